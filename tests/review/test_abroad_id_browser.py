"""In Chromium at 1366x768: keying an ID whose prefix is no province shows the born-abroad warning as
the clerk leaves the field (linked by aria-describedby), does not stop the save, and the next entry starts
without it."""

from pathlib import Path

import pytest

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.keying import Keyboard, key_entry
from tests.support.office import office_app, seed_book, serving, signed_in_page
from tests.support.register import Value, entries

pytestmark = pytest.mark.browser
WARNING = "Lưu ý: Mã 999 ở đầu số định danh không phải mã tỉnh"
ID_INPUT = "[name='d:child.personal_id']"


def abroad_entry():
    entry = entries(1)[0]
    female = entry.values["child.sex"].shown == "Nữ"
    personal_id = f"999{1 if female else 0}85001234"  # born 1985; century digit by sex
    entry.values["child.personal_id"] = Value(personal_id, personal_id)
    return entry


@pytest.fixture
def office(sqlite_template: Path, tmp_path: Path):
    app = office_app(sqlite_template, tmp_path)
    username, book_id = seed_book(app, entries(2))
    with serving(app) as url:
        yield url, username, book_id


def warning_of(page) -> str | None:
    """The warning the ID field is described by, or None."""
    return page.evaluate(
        """(selector) => {
          const input = document.querySelector(selector);
          const ids = (input.getAttribute('aria-describedby') || '').split(' ');
          const found = ids.map((id) => document.getElementById(id));
          const warn = found.find((el) => el?.className === 'field-warning');
          return warn ? warn.textContent : null;
        }""",
        ID_INPUT,
    )


def test_the_born_abroad_warning_shows_as_the_clerk_types_and_never_blocks(office):
    from playwright.sync_api import sync_playwright

    url, username, book_id = office
    entry = abroad_entry()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = signed_in_page(browser, url, username)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/review/books/{book_id}")
        page.fill(ID_INPUT, "038185001234")
        page.press(ID_INPUT, "Tab")
        assert warning_of(page) is None  # Thanh Hóa: nothing to say
        page.focus("#entry_number")
        key_entry(Keyboard(page), entry, save=False)
        page.press(ID_INPUT, "Tab")
        assert WARNING in (warning_of(page) or "")
        page.press(ID_INPUT, "Enter")
        page.wait_for_selector(".flash-success:has-text('Đã lưu số 1.')")
        assert WARNING.removeprefix("Lưu ý: ") in page.inner_text("#keying-status")
        assert page.input_value(ID_INPUT) == "" and warning_of(page) is None  # the next entry is clean
        assert page.locator(".field-warning").count() == 0
        assert errors == []
