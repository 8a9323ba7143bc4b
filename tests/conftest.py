"""Fixtures: an app per test on SQLite and on PostgreSQL, a client, and builders for users and records."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from fieldapp import create_app
from fieldapp.extensions import db
from tests.support import databases
from tests.support.builders import Builders
from tests.support.requirements import require

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fieldapp")


@pytest.fixture(scope="session")
def sqlite_template(session_dir: Path) -> Path:
    return databases.sqlite_template(session_dir)


@pytest.fixture(scope="session")
def postgres_url(session_dir: Path) -> Iterator[str]:
    require(
        databases.postgres_available(),
        f"PostgreSQL at {databases.POSTGRES_ADMIN_URL}",
        "(set TEST_POSTGRES_URL)",
    )
    with databases.postgres_database(session_dir) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        yield databases.sqlite_copy(template, tmp_path / "test.sqlite3")
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    databases.truncate_postgres(url)


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict:
    """Override per test by defining a fixture of this name in a test module, or update it in place."""
    return databases.base_config(database_url, tmp_path)


@pytest.fixture
def app(app_config: dict) -> Iterator[Flask]:
    application = create_app(app_config)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make(app: Flask) -> Builders:
    """Builders: make.user(), make.token(), make.household(), make.push(), ..."""
    return Builders(app)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """An S3-compatible server over HTTP (moto's standalone server unless TEST_S3_ENDPOINT_URL is set)."""
    from tests.support.s3 import s3_server

    with s3_server() as url:
        yield url


@pytest.fixture
def s3_config(s3_endpoint: str) -> dict:
    """Settings that put this test's photos and scans in a bucket of their own."""
    from tests.support.s3 import new_bucket

    return {"FILE_STORAGE": f"s3://{new_bucket(s3_endpoint)}/fieldapp", "S3_ENDPOINT_URL": s3_endpoint}
