"""The receipt drawn on the phone offline: a pooled code and a QR that leads to the status page."""

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.browser import flows
from tests.support.requirements import require_module

pytestmark = pytest.mark.browser
#: set FIELDAPP_SCREENSHOTS=docs/screenshots to refresh the README's pictures
SCREENSHOTS = os.environ.get("FIELDAPP_SCREENSHOTS")


def test_receipt_offline_shows_a_pooled_code_and_a_readable_qr(live, phone) -> None:
    zxingcpp = require_module("zxingcpp")
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    pool = page.evaluate(
        """() => new Promise(r => { const o = indexedDB.open('fieldapp');
           o.onsuccess = () => { const q = o.result.transaction('kv').objectStore('kv').get('pool');
           q.onsuccess = () => r(q.result); }; })"""
    )
    phone.context.set_offline(True)
    page.click("#new-household")
    page.fill("[data-key=village]", "Bản Pù Toong")
    page.fill("[data-key=address]", "Số 12, đường 15A")
    member = page.locator("[data-item]").first
    member.locator("[data-key=full_name]").fill("Giàng A Páo")
    member.locator("[data-key=sex]").select_option("male")
    member.locator("[data-key=date_of_birth]").fill("1980")
    member.locator("[data-key=ethnicity]").select_option("08")
    member.locator("[data-key=personal_id]").fill("038080001234")
    page.click("#add-member")
    second = page.locator("[data-item]").nth(1)
    second.locator("[data-key=relationship]").select_option("spouse")
    second.locator("[data-key=full_name]").fill("Vàng Thị Mua")
    second.locator("[data-key=sex]").select_option("female")
    second.locator("[data-key=date_of_birth]").fill("5/3/1983")
    second.locator("[data-key=dob_calendar]").check()
    second.locator("[data-key=ethnicity]").select_option("08")
    if SCREENSHOTS:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(SCREENSHOTS) / "field-household-form.png"))
    flows.save_new(page, "#receipt svg.qr")
    code = page.inner_text("#receipt-code").replace("-", "")
    assert code == pool[0]
    assert "Giàng A Páo" in page.inner_text("#receipt")
    shot = page.locator("#receipt").screenshot()
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "field-receipt.png"))
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert [f.text for f in found] == [f"{live.url}/r/{code}"]

    page.emulate_media(media="print")
    assert not page.is_visible("#print") and not page.is_visible("#outbox")
    assert page.is_visible("#receipt svg.qr")


def test_form_shows_the_servers_messages_before_saving(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    page.click("#new-household")
    member = page.locator("[data-item]").first
    member.locator("[data-key=full_name]").fill("Giàng A Páo")
    member.locator("[data-key=sex]").select_option("male")
    member.locator("[data-key=date_of_birth]").fill("31/02/1981")
    member.locator("[data-key=personal_id]").fill("038180001234")
    page.click("#save")
    errors = page.locator("#record-form .err:not([hidden])").all_inner_texts()
    assert "Ngày 31 không hợp lệ: tháng 2 năm 1981 có 28 ngày" in errors
    assert "Số định danh cho biết giới tính nữ nhưng hồ sơ ghi nam" in errors
    assert "Bắt buộc nhập." in errors  # village and ethnicity
    assert re.fullmatch(r"0", page.evaluate("document.body.dataset.outbox"))
