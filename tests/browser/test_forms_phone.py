"""The phone's forms, rendered from the definition it received with its reference data: words not codes,
one label per control of a date, a failed save that says how many fields and where, a confirmation after
every save, and a receipt code typed from a paper pad."""

from pathlib import Path

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.receipts import services as receipts
from fieldapp.records.models import Record
from tests.browser import flows

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_birth_form_in_words_with_a_labelled_date_group_and_a_confirmation(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    page.click("#new-birth")
    page.wait_for_selector("body[data-form=birth]")
    nationality = page.locator("[data-path='child.nationality']")
    labels = nationality.locator("option").all_inner_texts()
    assert labels[0] == "Việt Nam" and "Áo" in labels and "Ai Cập" in labels and "Austria" not in labels
    assert page.locator("label label").count() == 0  # no label inside a label
    date = page.locator("[data-path='child.date_of_birth']")
    described = date.get_attribute("aria-describedby").split()
    assert page.locator(f"#{described[0]}").inner_text().startswith("Năm (1990)")
    for path in ("child.dob_calendar", "child.dob_leap_month"):
        box = page.locator(f"[data-path='{path}']")
        assert page.locator(f"label[for='{box.get_attribute('id')}']").count() == 1
        row = box.locator("xpath=..").bounding_box()
        assert row["height"] >= 44, f"{path}: the tap row is {row['height']} px tall"

    page.click("#save")  # nothing typed: every required field is named, the first one has the focus
    page.wait_for_selector("#form-errors:not([hidden])")
    assert "trường cần sửa" in page.inner_text("#form-errors")
    assert page.evaluate("document.activeElement.dataset.path") == "village"
    assert page.locator("[data-path='child.full_name']").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(SCREENSHOTS / "field-birth-form-errors.png"), full_page=False)

    page.fill("[data-path=village]", "Bản Lát")
    page.fill("[data-path='child.full_name']", "Lò Thị Ún")
    page.select_option("[data-path='child.sex']", "female")
    page.fill("[data-path='child.date_of_birth']", "05082024")
    page.check("[data-path='child.dob_calendar']")
    page.select_option("[data-path='child.ethnicity']", "03")
    page.click("#save")
    page.wait_for_selector("#notice:not([hidden])")
    assert "Đã lưu hồ sơ Khai sinh: Lò Thị Ún" in page.inner_text("#notice")
    flows.wait_synced(page)
    with live.app.app_context():
        record = db.session.scalars(select(Record).where(Record.captured_by_id == user["id"])).one()
        assert record.data["child"]["date_of_birth"] == "2024-08-05"
        assert record.data["child"]["dob_calendar"] == "lunar"


def test_a_pad_code_typed_into_the_household_form(live, phone) -> None:
    user = live.user()
    with live.app.app_context():
        collector = db.session.get(User, user["id"])
        _pad, codes = receipts.allocate_pad(collector, collector, 2)
        db.session.commit()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    page.click("#new-household")
    page.wait_for_selector("body[data-form=household]")
    page.fill("[data-path=village]", "Bản Pù Toong")
    page.fill("[data-path='members.*.full_name']", "Giàng A Páo")
    page.select_option("[data-path='members.*.sex']", "male")
    page.fill("[data-path='members.*.date_of_birth']", "1980")
    page.select_option("[data-path='members.*.ethnicity']", "08")
    date = "[data-path='members.*.date_of_birth']"
    page.eval_on_selector(date, "el => el.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(SCREENSHOTS / "field-household-form.png"))
    typo = codes[0][:9] + ("2" if codes[0][9] != "2" else "3")
    page.fill("[data-path=receipt_code]", typo)
    page.click("#save")
    page.wait_for_selector("#form-errors:not([hidden])")
    assert "ký tự kiểm tra không khớp" in page.inner_text("#form-errors, .err:not([hidden])")
    page.fill("[data-path=receipt_code]", f"{codes[0][:5]}-{codes[0][5:].lower()}")
    flows.save_new(page, "#receipt")
    assert codes[0][:5] in page.inner_text("#receipt")
    flows.wait_synced(page)
    with live.app.app_context():
        record = db.session.scalars(select(Record).where(Record.captured_by_id == user["id"])).one()
        assert record.receipt_code == codes[0]
