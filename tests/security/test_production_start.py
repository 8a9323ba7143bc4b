"""Findings 5 and 10 of issue 17: the documented production start is safe by itself.

It refuses a weak SECRET_KEY and a missing FIELDAPP_PUBLIC_BASE_URL, and under gunicorn it refuses
rate limits counted in each worker's memory. Behind a reverse proxy the trusted proxy count is a setting.
"""

import os
import subprocess
import sys

import pytest

from fieldapp import create_app
from fieldapp.config import DEV_SECRET_KEY, project_root

GOOD = {"SECRET_KEY": "s" * 40, "PUBLIC_BASE_URL": "https://hotich.example.vn"}


def production(tmp_path, monkeypatch, **config):
    for name in ("SECRET_KEY", "REDIS_URL", "FIELDAPP_ENV_NAME", "FIELDAPP_PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", **GOOD, **config})


@pytest.mark.parametrize("key", ["x", "k" * 31, DEV_SECRET_KEY])
def test_production_refuses_a_short_or_development_secret_key(tmp_path, monkeypatch, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set to a random value of at least 32"):
        production(tmp_path, monkeypatch, SECRET_KEY=key)


def test_production_requires_the_public_base_url(tmp_path, monkeypatch):
    with pytest.raises(RuntimeError, match="FIELDAPP_PUBLIC_BASE_URL"):
        production(tmp_path, monkeypatch, PUBLIC_BASE_URL="")


def test_a_development_trial_may_use_the_development_key(tmp_path, monkeypatch):
    app = production(
        tmp_path, monkeypatch, SECRET_KEY=DEV_SECRET_KEY, PUBLIC_BASE_URL="", ENV_NAME="development"
    )
    assert app.config["SECRET_KEY"] == DEV_SECRET_KEY


def test_under_gunicorn_limits_kept_in_memory_are_refused(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "gunicorn", sys)  # what a gunicorn worker has loaded
    with pytest.raises(RuntimeError, match="REDIS_URL must be set when gunicorn serves the app"):
        production(tmp_path, monkeypatch)
    app = production(tmp_path, monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_the_procfile_start_without_redis_stops_with_the_reason(tmp_path):
    """The real start: gunicorn with two workers, as the Procfile and README say, minus REDIS_URL."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FIELDAPP_ENV_NAME")},
        "SECRET_KEY": "s" * 40,
        "FIELDAPP_PUBLIC_BASE_URL": "https://hotich.example.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", "127.0.0.1:0", "wsgi:app"]
    done = subprocess.run(command, cwd=project_root(), env=env, capture_output=True, timeout=60, text=True)
    assert done.returncode != 0
    assert "REDIS_URL must be set" in done.stderr


@pytest.fixture
def app_config(database_url, tmp_path):
    from tests.support import databases

    config = databases.base_config(database_url, tmp_path)
    config.update(PUBLIC_LOOKUP_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1)
    return config


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(client):
    def lookups(address: str) -> list[int]:
        headers = {"X-Forwarded-For": address}
        return [client.get("/r/ABCDEFGHJK", headers=headers).status_code for _ in range(3)]

    assert lookups("203.0.113.5") == [404, 404, 429]
    assert lookups("203.0.113.6") == [404, 404, 429]  # another household behind the same proxy


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(database_url, tmp_path):
    from tests.support import databases

    config = {**databases.base_config(database_url, tmp_path), "PUBLIC_LOOKUP_RATE_LIMIT": "2 per minute"}
    client = create_app(config).test_client()  # TRUSTED_PROXIES left at 0
    statuses = [
        client.get("/r/ABCDEFGHJK", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [404, 404, 429]  # a client cannot reset its limit by inventing addresses
