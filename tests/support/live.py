"""A live server for the office's browser tests: its own SQLite copy, served from a thread."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from fieldapp import create_app
from fieldapp.extensions import db
from tests.support import databases
from tests.support.builders import PASSWORD
from tests.support.chromium import CHROMIUM


def office_app(sqlite_template: Path, tmp_path: Path) -> Flask:
    """An app on a copy of the migrated template (skips when Chromium is missing)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    config = databases.base_config(
        databases.sqlite_copy(sqlite_template, tmp_path / "live.sqlite3"), tmp_path
    )
    config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    return create_app(config)


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


def watch(page: Any, problems: list[str]) -> None:
    """Collect failed responses (favicon aside) and script errors of a page into `problems`."""
    page.on(
        "response", lambda r: problems.append(r.url) if r.status >= 400 and "favicon" not in r.url else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))


def sign_in(page: Any, url: str, username: str, landing: str) -> None:
    """Through the login form, landing on `landing` (a path)."""
    page.goto(f"{url}/login?next={landing}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{landing}")
