"""In a real browser: a clerk signs in, finds a record typing the name without diacritics, verifies it
with the keyboard and transfers it with the official number."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldapp.accounts.models import Role
from tests.support.builders import Builders, item
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.live import office_app, serving, sign_in, watch
from tests.support.requirements import require_chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def office_server(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A live server with one clerk and one pushed household; yields (url, clerk username)."""
    require_chromium()
    app = office_app(sqlite_template, tmp_path)
    with app.app_context():
        make = Builders(app)
        clerk = make.user(Role.CLERK, username="canbo.muonglat")
        token = make.collector_token()
        assert make.push(token, [item("household")]).get_json()["results"][0]["status"] == "created"
        username = clerk.username
    with serving(app) as url:
        yield url, username


def test_clerk_finds_verifies_and_transfers_a_record(office_server):
    from playwright.sync_api import sync_playwright

    url, username = office_server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(locale="vi-VN")  # a clerk in Thanh Hóa: the browser asks for Vietnamese
        page.set_default_timeout(15_000)
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        watch(page, problems)
        sign_in(page, url, username, "/review/")

        page.keyboard.press("/")  # the keyboard module focuses the search box
        page.keyboard.type("giang a pao")
        page.keyboard.press("Enter")
        page.wait_for_url("**q=giang+a+pao**")
        page.keyboard.press("j")
        page.keyboard.press("Enter")
        page.wait_for_selector("#record-page")
        assert "Giàng A Páo" in page.inner_text("h1")

        page.keyboard.press("v")
        page.wait_for_selector("#record-state:has-text('Đã đối chiếu')")

        transfer = page.locator("form[data-action=transfer]")
        transfer.locator("input[name=registration_number]").fill("102/2025/KS")
        transfer.locator("input[name=registration_date]").fill("2025-12-01")
        transfer.locator("button[type=submit]").click()
        page.wait_for_selector("#record-state:has-text('Đã chuyển vào hệ thống')")
        assert "102/2025/KS" in page.inner_text(".record-head")
        browser.close()
    assert problems == []
