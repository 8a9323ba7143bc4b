"""Test databases: a migrated SQLite template copied per test, and one PostgreSQL database per session."""

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text

from fieldapp import create_app
from fieldapp.extensions import db

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
#: tables that keep their rows between tests: reference data loaded once per session
KEEP_TABLES = {"admin_units", "legacy_units", "legacy_unit_mappings", "alembic_version"}


def migrate_and_load_units(database_url: str, workdir: Path) -> None:
    from flask_migrate import upgrade

    from fieldapp.vn.units import load_units

    app = create_app(base_config(database_url, workdir))
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[2] / "migrations"), revision="heads")
        load_units(db.session)
        db.session.commit()
        db.engine.dispose()


def base_config(database_url: str, workdir: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_DIR": str(workdir / "uploads"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "WTF_CSRF_ENABLED": True,
        "PUBLIC_BASE_URL": "http://fieldapp.test",
        "JOBS_QUEUE": "memory",  # jobs wait until a test runs them (tests.support.jobs)
    }


def sqlite_template(workdir: Path) -> Path:
    path = workdir / "template.sqlite3"
    migrate_and_load_units(f"sqlite:///{path}", workdir)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def sqlite_copy(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def postgres_available() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def postgres_database(workdir: Path) -> Iterator[str]:
    """A fresh database for this test session, migrated, with units loaded; dropped afterwards."""
    name = f"fieldapp_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    url = f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"
    try:
        migrate_and_load_units(url, workdir)
        yield url
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [
            row[0]
            for row in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            if row[0] not in KEEP_TABLES
        ]
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()
