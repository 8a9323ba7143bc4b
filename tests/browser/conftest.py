"""A live server on its own SQLite file and Debian's Chromium with a phone-sized persistent profile."""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Playwright, sync_playwright

from fieldapp import create_app
from fieldapp.accounts.models import Role
from fieldapp.config import project_root
from tests.support import databases
from tests.support.builders import MUONG_LAT, PASSWORD, Builders
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.live import serving
from tests.support.requirements import require_chromium

PHONE = {"width": 360, "height": 740}


@dataclass
class LiveServer:
    app: Flask
    url: str
    source: Path

    def user(self, role: Role = Role.COLLECTOR, area: str = MUONG_LAT, **extra: Any) -> Any:
        with self.app.app_context():
            user = Builders(self.app).user(role, area, **extra)
            return {"id": user.id, "username": user.username, "password": PASSWORD}


@pytest.fixture(scope="session")
def live(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    require_chromium()
    work = tmp_path_factory.mktemp("live")
    source = work / "field-src"
    shutil.copytree(project_root() / "static" / "field", source)
    config = databases.base_config(databases.sqlite_copy(sqlite_template, work / "live.sqlite3"), work)
    config.update(
        {
            "FIELD_ASSET_SOURCE": str(source),
            "FIELD_BUILD_DIR": str(work / "field-build"),
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "PUBLIC_BASE_URL": "",
        }
    )
    app = create_app(config)
    with serving(app) as url:
        yield LiveServer(app, url, source)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    # per module, not per session: other parts' tests start their own sync_playwright() later on,
    # which fails while another one is still running in the same thread
    require_chromium()
    with sync_playwright() as pw:
        yield pw


class Phone:
    """One phone: a Chromium profile on disk, opened and closed like the browser on a real phone."""

    def __init__(self, playwright: Playwright, profile: Path) -> None:
        self.playwright = playwright
        self.profile = profile
        self.context: BrowserContext | None = None

    def open(self, **options: Any) -> BrowserContext:
        self.context = self.playwright.chromium.launch_persistent_context(
            str(self.profile),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=PHONE,
            accept_downloads=True,
            bypass_csp=True,  # lets the test read app state; the app itself runs under the CSP
            **options,
        )
        self.context.set_default_timeout(20_000)
        return self.context

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = None


@pytest.fixture
def phone(playwright: Playwright, tmp_path: Path) -> Iterator[Phone]:
    device = Phone(playwright, tmp_path / "profile")
    yield device
    device.close()
