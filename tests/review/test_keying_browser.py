"""Keying a register at 1366x768 with the keyboard alone: five entries, a lunar date, a partial date,
ethnic groups typed without diacritics, a wrong entry whose typed values survive the error."""

from pathlib import Path

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.records.models import Record, Source
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.keying import Keyboard, key_entry
from tests.support.office import MOUSE_COUNTER, mouse_events, office_app, seed_book, serving, signed_in_page
from tests.support.register import Value, entries

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def five_entries():
    chosen = entries(5)
    chosen[1].values["mother.date_of_birth"] = Value("15081962", "15/08/1962", lunar=True)
    chosen[2].values["child.date_of_birth"] = Value("031985", "03/1985")
    chosen[3].values["child.ethnicity"] = Value("hmong", "Hmông (Mông)")
    return chosen


@pytest.fixture
def office(sqlite_template: Path, tmp_path: Path):
    app = office_app(sqlite_template, tmp_path)
    username, book_id = seed_book(app, five_entries())
    with serving(app) as url:
        yield app, url, username, book_id


def saved(page, number):
    page.wait_for_selector(f".flash-success:has-text('Đã lưu số {number}.')")


def test_five_entries_keyed_with_the_keyboard_alone(office):
    from playwright.sync_api import sync_playwright

    app, url, username, book_id = office
    chosen = five_entries()
    wrong = chosen[4]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = signed_in_page(browser, url, username)
        page.add_init_script(MOUSE_COUNTER)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/review/books/{book_id}")
        assert page.evaluate("document.activeElement.id") == "entry_number"
        assert page.input_value("#entry_number") == "1"
        assert "Hôm nay: 0 / 120 mục" in page.inner_text("#today")
        keys = Keyboard(page)
        for entry in chosen[:4]:
            key_entry(keys, entry)
            saved(page, entry.number)
        page.screenshot(path=str(SCREENSHOTS / "office-register-keying.png"))

        # the fifth: 31 February is refused; everything typed is still there, the field is named
        wrong.values["child.date_of_birth"] = Value("31021985", "31/02/1985")
        key_entry(keys, wrong)
        page.wait_for_selector(".flash-error")
        assert "Ngày, tháng, năm sinh" in page.inner_text(".flash-error")
        assert page.evaluate("document.activeElement.name") == "d:child.date_of_birth"
        assert page.input_value("[name='d:child.date_of_birth']") == "31/02/1985"
        assert page.input_value("[name='d:child.full_name']") == wrong.name
        assert page.input_value("[name='d:mother.full_name']") == wrong.values["mother.full_name"].shown
        assert page.input_value("[name='d:child.ethnicity']") == wrong.values["child.ethnicity"].shown
        assert page.input_value("#entry_number") == "5"
        assert "1 trường cần sửa" in page.inner_text("#form-status")
        page.screenshot(path=str(SCREENSHOTS / "office-register-keying-error.png"))
        keys.type("28021985")
        keys.press("Enter")
        saved(page, "5")
        assert "Hôm nay: 5 / 120 mục" in page.inner_text("#today")
        assert mouse_events(page) == 0
        assert errors == []
        browser.close()

    with app.app_context():
        records = {r.data["register"]["entry_number"]: r for r in db.session.scalars(select(Record))}
        assert len(records) == 5 and all(r.source is Source.REGISTER for r in records.values())
        first = records["1"].data
        assert first["register"]["official"] == "Lò Văn Minh"
        assert first["register"]["place"] == "UBND xã Mường Lát"
        assert records["2"].data["mother"]["dob_calendar"] == "lunar"
        assert records["2"].data["mother"]["date_of_birth"] == "1962-08-15"
        assert records["3"].data["child"]["date_of_birth"] == "1985-03"
        assert records["4"].data["child"]["ethnicity"] == "08"
        assert records["5"].data["child"]["date_of_birth"] == "1985-02-28"
        codes = {"Thái": "03", "Hmông (Mông)": "08", "Mường": "06", "Kinh": "01", "Dao": "09"}
        for entry in chosen:
            data = records[entry.number].data
            assert data["child"]["ethnicity"] == codes[entry.values["child.ethnicity"].shown]
            assert data["village"] == entry.values["village"].shown
