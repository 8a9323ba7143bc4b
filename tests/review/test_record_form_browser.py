"""The record page at 1366x768: the data in words and dd/mm/yyyy (never a code or an ISO date), an ethnic
group changed by typing it without diacritics, the photo zoomed and panned from the keyboard."""

import hashlib
import re
from pathlib import Path

import pytest

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.support.builders import MUONG_LAT, Builders, item
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.office import office_app, serving, signed_in_page
from tests.support.register import entries, scan_png

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
INTERNAL = re.compile(r"\b(male|female|solar|lunar|head|spouse|VN|1980-03-15|14845)\b")


@pytest.fixture
def office(sqlite_template: Path, tmp_path: Path):
    app = office_app(sqlite_template, tmp_path)
    with app.app_context():
        make = Builders(app)
        clerk = make.user(Role.CLERK, MUONG_LAT, full_name="Phạm Thị Hằng")
        token = make.collector_token()
        photo = scan_png(entries(3), 1)
        sha = hashlib.sha256(photo).hexdigest()
        headers = make.headers(token, **{"Content-Type": "image/png"})
        assert make.client.put(f"/api/v1/attachments/{sha}", data=photo, headers=headers).status_code == 201
        record = item("household", attachments=[sha])
        record["data"]["members"][1].update(date_of_birth="1983-05", dob_calendar="lunar")
        assert make.push(token, [record]).get_json()["results"][0]["status"] == "created"
        username, record_id = clerk.username, record["id"]
    with serving(app) as url:
        yield app, url, username, record_id


def test_record_page_in_words_edits_by_name_and_zooms_from_the_keyboard(office):
    from playwright.sync_api import sync_playwright

    app, url, username, record_id = office
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = signed_in_page(browser, url, username)
        page.goto(f"{url}/review/records/{record_id}")
        form = page.locator("#edit-form")
        assert page.input_value("[name='f:members.0.date_of_birth']") == "15/03/1980"
        assert page.input_value("[name='f:members.1.date_of_birth']") == "05/1983"
        assert page.is_checked("[name='f:members.1.dob_calendar']")
        assert page.input_value("[name='f:members.0.ethnicity']") == "Hmông (Mông)"
        assert page.input_value("[name='f:members.0.nationality']") == "Việt Nam"
        assert form.locator("[name='f:members.0.sex'] option:checked").inner_text() == "Nam"
        assert form.locator("[name='f:members.1.relationship'] option:checked").inner_text() == "Vợ/chồng"
        typed = "#edit-form input:not([type=hidden]):not([type=checkbox])"
        values = page.eval_on_selector_all(typed, "els => els.map(e => e.value)")
        visible = form.inner_text() + " ".join(values)
        assert INTERNAL.search(visible) is None, INTERNAL.search(visible)

        ethnic = page.locator("[name='f:members.2.ethnicity']")
        ethnic.focus()
        page.keyboard.press("Control+a")
        page.keyboard.type("thai")
        page.wait_for_selector("#f-members-2-ethnicity-list li[aria-selected=true]:has-text('Thái')")
        page.keyboard.press("Enter")
        assert ethnic.input_value() == "Thái"

        scan = page.locator(".scan-view").first
        scan.focus()
        page.keyboard.press("+")
        page.keyboard.press("+")
        page.keyboard.press("ArrowRight")
        assert float(scan.get_attribute("data-zoom")) > 1.5
        assert "translate(-" in page.eval_on_selector(".scan-view img", "img => img.style.transform")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / "office-record-page.png"))

        page.locator("#edit-form button[type=submit]").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".flash-success")
        browser.close()
    with app.app_context():
        assert db.session.get(Record, record_id).data["members"][2]["ethnicity"] == "03"
