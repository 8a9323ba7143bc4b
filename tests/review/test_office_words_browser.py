"""In Chromium with an English interface (an English Windows), at 1366x768: the office pages' own form
checks speak the page's language, and the date filters read and show dd/mm/yyyy."""

from pathlib import Path

import pytest

from fieldapp.accounts.models import Role
from tests.support.builders import MUONG_LAT, Builders, item
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.live import office_app, serving
from tests.support.office import OFFICE, signed_in_page

pytestmark = pytest.mark.browser
ENGLISH_OS = [*CHROMIUM_ARGS, "--lang=en-US"]


@pytest.fixture
def office(sqlite_template: Path, tmp_path: Path):
    app = office_app(sqlite_template, tmp_path)
    with app.app_context():
        make = Builders(app)
        manager = make.user(Role.MANAGER, "38").username
        clerk = make.user(Role.CLERK, MUONG_LAT).username
        record = item("household")
        make.push(make.collector_token(), [record])
    with serving(app) as url:
        yield url, manager, clerk, record["id"]


def message_of(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => el.validationMessage")


def test_the_browsers_own_checks_speak_vietnamese(office):
    from playwright.sync_api import sync_playwright

    url, manager, _clerk, _record = office
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ENGLISH_OS, headless=True)
        login = browser.new_page(viewport=OFFICE, locale="vi-VN")  # a Vietnamese page, English browser
        login.goto(f"{url}/login")
        login.click("button[type=submit]")
        assert message_of(login, "input[name=username]") == "Hãy điền ô này."
        page = signed_in_page(browser, url, manager)
        page.goto(f"{url}/progress/targets")
        page.click("form[action$='/progress/targets'] button[type=submit]")
        assert message_of(page, "input[name=code]") == "Hãy điền ô này."
        page.fill("input[name=code]", "14845")
        assert message_of(page, "input[name=code]") == ""  # typing clears it: the form can go
        page.fill("input[name=amount]", "100")
        page.fill("input[name=deadline]", "31122027")
        page.press("input[name=deadline]", "Tab")
        assert page.input_value("input[name=deadline]") == "31/12/2027"  # the digits read back as a day
        with page.expect_navigation():
            page.click("form[action$='/progress/targets'] button[type=submit]")
        assert "31/12/2027" in page.inner_text("main")
        browser.close()


def test_the_comment_button_sits_beside_its_field(office):
    from playwright.sync_api import sync_playwright

    url, _manager, clerk, record_id = office
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ENGLISH_OS, headless=True)
        page = signed_in_page(browser, url, clerk)
        page.goto(f"{url}/review/records/{record_id}")
        form = "form[action*='/comment']"
        button = page.locator(f"{form} button").bounding_box()
        field = page.locator(f"{form} textarea").bounding_box()
        assert button["width"] < 150  # not stretched to half the panel
        assert button["x"] > field["x"] + field["width"] - 1  # to its right, on the same line
        browser.close()
