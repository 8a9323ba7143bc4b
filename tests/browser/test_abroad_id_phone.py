"""On the phone at 360 px: a 12-digit ID whose first three digits are no province code (a birth registered
abroad carries a country code) is pointed out under the field, in the office's words and linked by
aria-describedby, as the worker leaves the field and when a record comes back into the form; the record
is saved all the same."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from fieldapp.accounts.models import Role
from tests.browser import a11y, flows

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ID = "[data-path='child.personal_id']"
ABROAD_ID = "840 324 012 345"  # 840: a country code; 3: a girl born in the 2000s; 24: born 2024
WARNING = (
    "Lưu ý: Mã 840 ở đầu số định danh không phải mã tỉnh: chỉ đúng khi người này đăng ký khai sinh ở nước "
    "ngoài (mã quốc gia). Hãy đối chiếu lại với giấy tờ"
)
WARNING_EN = (
    "Note: The code 840 at the start of the personal ID number is no province: it is right only when this "
    "person’s birth was registered abroad (a country code). Check the number against the papers"
)


def warning_of(page: Page) -> str | None:
    """The visible warning the ID field is described by, or None."""
    return page.evaluate(
        """(selector) => {
          const input = document.querySelector(selector);
          const ids = (input.getAttribute('aria-describedby') || '').split(' ');
          const warn = ids.map((id) => document.getElementById(id)).find((e) => e?.matches('.warn'));
          return warn && !warn.hidden && warn.checkVisibility() ? warn.textContent : null;
        }""",
        ID,
    )


def test_an_id_registered_abroad_is_pointed_out_and_the_birth_still_saves(live, phone) -> None:
    user = live.user()
    clerk = live.user(Role.CLERK)
    page = phone.open().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    flows.first_login(page, live.url, user)
    page.click("#new-birth")
    page.wait_for_selector("body[data-form=birth]")
    page.fill("[data-path=village]", "Bản Lát")
    page.fill("[data-path='child.full_name']", "Lò Thị Mai")
    page.select_option("[data-path='child.sex']", "female")
    page.fill("[data-path='child.date_of_birth']", "05/08/2024")
    page.select_option("[data-path='child.ethnicity']", "03")
    page.fill(ID, "038 324 012 345")  # Thanh Hóa: nothing to say
    page.press(ID, "Tab")
    assert warning_of(page) is None
    page.fill(ID, ABROAD_ID)
    assert warning_of(page) is None  # not while typing: when the worker leaves the field
    page.press(ID, "Tab")
    assert warning_of(page) == WARNING
    field = page.locator(ID)
    assert field.get_attribute("aria-invalid") is None  # a warning, not an error
    note = page.locator(f"#{field.get_attribute('id')}-warn")
    assert note.bounding_box()["y"] > field.bounding_box()["y"]  # under the field
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert a11y.severe_violations(page) == []
    field.evaluate("el => el.closest('.field').scrollIntoView({block: 'center'})")
    page.screenshot(path=str(SHOTS / "field-abroad-id-warning.png"))

    page.click("#save")
    page.wait_for_selector("#notice:not([hidden])")
    assert "Đã lưu hồ sơ Khai sinh: Lò Thị Mai" in page.inner_text("#notice")
    flows.wait_synced(page)
    with live.app.app_context():
        (record,) = flows.records_of(user["id"])
        assert record.data["child"]["personal_id"] == "840324012345"
        flows.return_for_correction(record.id, clerk["id"], "Kiểm tra lại số định danh.")

    page.click("#lang")  # in English, the record that came back opens with the warning already there
    page.click("#sync")
    flows.wait_synced(page)
    page.click("#returned-link")
    page.wait_for_selector("body[data-form=birth]")
    assert page.input_value(ID) == "840324012345"
    assert warning_of(page) == WARNING_EN

    page.evaluate("location.hash = '#new/household'")  # a member added to a household: its own field
    page.wait_for_selector("body[data-form=household]")
    page.click("#add-member")
    second = page.locator("[data-item]").nth(1).locator("[data-key=personal_id]")
    second.fill(ABROAD_ID)
    second.press("Tab")
    note_id = f"{second.get_attribute('id')}-warn"
    assert note_id in second.get_attribute("aria-describedby").split()
    assert page.inner_text(f"#{note_id}") == WARNING_EN
    assert page.locator(".warn:visible").count() == 1
    assert errors == []
