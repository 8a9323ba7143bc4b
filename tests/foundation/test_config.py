"""Configuration rules: production refuses the development key; SQLite runs in WAL with foreign keys."""

import pytest
from sqlalchemy import text

from fieldapp import create_app
from fieldapp.config import DEV_SECRET_KEY, normalize_database_url
from fieldapp.extensions import db

#: what a production start needs besides a database (see test_production_start.py for each rule)
PRODUCTION = {"SECRET_KEY": "k" * 32, "PUBLIC_BASE_URL": "https://fieldapp.example.vn"}


def test_production_refuses_to_start_with_the_development_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FIELDAPP_ENV_NAME", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": DEV_SECRET_KEY})


def test_production_with_a_key_starts_with_secure_cookies(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", **PRODUCTION})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_database_url_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@dbhost/fieldapp")
    monkeypatch.setenv("FIELDAPP_PUSH_MAX_RECORDS", "77")
    app = create_app(PRODUCTION)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@dbhost/fieldapp"
    assert app.config["PUSH_MAX_RECORDS"] == 77


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "k", "TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/fieldapp.sqlite3")


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", **PRODUCTION})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_postgres_urls_are_pointed_at_psycopg3():
    assert normalize_database_url("postgresql://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalize_database_url("sqlite:///x") == "sqlite:///x"
