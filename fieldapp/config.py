"""Configuration: defaults, then instance/config.py, then the environment; tests pass a dict."""

import os
import sys
from pathlib import Path
from typing import Any

from flask import Flask

DEV_SECRET_KEY = "dev-only-not-secret"
#: shortest SECRET_KEY production accepts (it signs every session cookie)
MIN_SECRET_KEY_LENGTH = 32

#: Settings read from the environment under their own names; everything else as FIELDAPP_<NAME>.
PLAIN_ENV = ("DATABASE_URL", "SECRET_KEY", "UPLOAD_DIR", "REDIS_URL")


class Defaults:
    SECRET_KEY = DEV_SECRET_KEY
    #: "development" or "production"; production refuses the development secret key
    ENV_NAME = "production"
    # hide_parameters: SQL errors in the logs must not carry the names and ID numbers bound to them
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    REDIS_URL = ""
    UPLOAD_DIR = ""
    #: where photos and scans go: empty for the UPLOAD_DIR folder, or s3://bucket/prefix (several servers)
    FILE_STORAGE = ""
    #: an S3-compatible server (MinIO, Ceph RGW, ...); empty for AWS itself. Keys: AWS_* environment variables
    S3_ENDPOINT_URL = ""
    S3_REGION = ""
    #: the background jobs' queue: empty picks Redis when REDIS_URL is set, else a SQLite file in instance/
    JOBS_QUEUE = ""
    JOBS_QUEUE_FILE = ""  # the SQLite queue's file; default instance/jobs-queue.sqlite3
    #: the public address printed in receipt QR codes; required in production (never the Host header)
    PUBLIC_BASE_URL = ""
    #: how many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none, trust no header)
    TRUSTED_PROXIES = 0

    # Request limits (the device contract; see docs/api.md)
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024  # largest body of any request, attachments included
    PUSH_MAX_BYTES = 2 * 1024 * 1024  # a push body after gunzip
    PUSH_MAX_RECORDS = 200
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    RECEIPT_POOL_SIZE = 40
    PULL_MAX_CHANGES = 500
    API_PAGE_SIZE = 50

    # Rate limits (Flask-Limiter syntax)
    LOGIN_RATE_LIMIT = "10 per minute"
    PUBLIC_LOOKUP_RATE_LIMIT = "30 per minute"
    RATELIMIT_HEADERS_ENABLED = True

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None

    # Languages
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    # OpenAPI document, published at /api/v1/openapi.json
    API_TITLE = "fieldapp sync API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS: dict[str, Any] = {
        "security": [{"bearerAuth": []}],
        "info": {
            "description": "The contract between field devices and the fieldapp server. See docs/api.md."
        },
    }

    JSON_SORT_KEYS = False
    DEVICE_TOKEN_TOUCH_SECONDS = 3600
    # Phones: a token's idle expiry slides with use; its absolute lifetime does not (renewed only by
    # a password login). The field app locks after this many idle minutes and, after this many wrong
    # PINs, wants the password again; it warns this many days before its token ends.
    DEVICE_TOKEN_LIFETIME_DAYS = 30
    DEVICE_TOKEN_MAX_DAYS = 90
    FIELD_LOCK_MINUTES = 5
    FIELD_PIN_TRIES = 5
    FIELD_RENEW_WARNING_DAYS = 7


def configure(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config from defaults, the instance file, the environment and overrides, in that order."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    _read_environment(app)
    if overrides:
        app.config.update(overrides)
    _fill_derived(app)
    _refuse_unsafe_production(app)


def _read_environment(app: Flask) -> None:
    for name in PLAIN_ENV:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("FIELDAPP")


def _fill_derived(app: Flask) -> None:
    instance = Path(app.instance_path)
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not url:
        instance.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{instance / 'fieldapp.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(url)
    if not app.config.get("UPLOAD_DIR"):
        app.config["UPLOAD_DIR"] = str(instance / "uploads")
    storage = app.config.get("REDIS_URL") or "memory://"
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.setdefault("connect_args", {"timeout": 30})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def normalize_database_url(url: str) -> str:
    """Point postgres:// and postgresql:// URLs at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _refuse_unsafe_production(app: Flask) -> None:
    production = app.config["ENV_NAME"] == "production" and not (app.debug or app.testing)
    if not production:
        return
    problems = production_problems(app.config, served_by_gunicorn="gunicorn" in sys.modules)
    if problems:
        raise RuntimeError(" ".join(problems) + " (FIELDAPP_ENV_NAME=development is for a local trial.)")
    if not app.config.get("ALLOW_INSECURE_COOKIES"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def production_problems(config: dict[str, Any], *, served_by_gunicorn: bool) -> list[str]:
    """What keeps a configuration from running in production, in the words of the fix."""
    problems = []
    key = str(config.get("SECRET_KEY") or "")
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH} characters, "
            "e.g. python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    if not str(config.get("PUBLIC_BASE_URL") or "").startswith(("https://", "http://")):
        problems.append(
            "FIELDAPP_PUBLIC_BASE_URL must be the public address of the site (https://...): receipt QR "
            "codes carry it, and the Host header of a request cannot be trusted for that."
        )
    if served_by_gunicorn and str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        problems.append(
            "REDIS_URL must be set when gunicorn serves the app: each worker process would otherwise count "
            "logins and public lookups on its own, multiplying every rate limit by the number of workers."
        )
    return problems


def project_root() -> Path:
    """The checkout: migrations/, static/ and templates/ live here beside the package."""
    return Path(__file__).resolve().parent.parent
