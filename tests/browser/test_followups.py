"""The phone after the office has answered: what came back for correction is on the home screen, one tap
away, and "Hồ sơ của tôi" lists records by name, filters by state and searches without diacritics."""

from pathlib import Path

import pytest

from fieldapp.accounts.models import Role
from tests.browser import flows

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_returned_records_are_counted_at_home_and_open_in_one_tap(live, phone) -> None:
    user = live.user()
    clerk = live.user(Role.CLERK)
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    for head in ("Lò Văn Pản", "Giàng A Dế", "Vàng Thị Mua"):
        flows.add_household(page, head)
    flows.wait_synced(page)
    assert page.locator("#returned-link").count() == 0
    with live.app.app_context():
        returned = [r for r in flows.records_of(user["id"]) if r.subject_name != "Vàng Thị Mua"]
        for record in returned:
            flows.return_for_correction(record.id, clerk["id"], "Thiếu ảnh sổ hộ khẩu.")
    page.click("#sync")
    flows.wait_synced(page)
    link = page.locator("#returned-link")
    assert link.inner_text() == "2 hồ sơ bị trả lại cần sửa: bấm để sửa"
    page.screenshot(path=str(SHOTS / "field-returned-home.png"))
    link.click()
    page.wait_for_selector("#records")
    assert page.input_value("#records-state") == "returned"
    visible = page.locator("#records li:visible .name")
    assert sorted(visible.all_inner_texts()) == ["Giàng A Dế", "Lò Văn Pản"]
    page.select_option("#records-state", "")
    page.fill("#records-search", "vang thi")
    assert page.locator("#records li:visible .name").all_inner_texts() == ["Vàng Thị Mua"]
    page.fill("#records-search", "khong ai")
    assert page.locator("#records-empty").is_visible()
    page.fill("#records-search", "")
    page.select_option("#records-state", "returned")
    page.screenshot(path=str(SHOTS / "field-my-records.png"), full_page=True)
