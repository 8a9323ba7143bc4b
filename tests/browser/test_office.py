"""The office and the phone: records returned for correction, and the export file imported at the office."""

from pathlib import Path

import pytest

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record, Source
from tests.browser import flows

pytestmark = pytest.mark.browser


def test_returned_record_shows_the_comment_and_is_corrected(live, phone) -> None:
    user = live.user()
    clerk = live.user(Role.CLERK)
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    flows.add_household(page, "Lò Văn Pản")
    flows.wait_synced(page)
    with live.app.app_context():
        (record,) = flows.records_of(user["id"])
        record_id = record.id
        flows.return_for_correction(record_id, clerk["id"], "Thiếu số nhà; ghi lại tên thôn cho đúng.")

    page.click("#sync")
    flows.wait_synced(page)
    page.click("#records-link")
    item = page.locator(f"li[data-id='{record_id}']")
    item.locator(".comment").wait_for()
    assert "Thiếu số nhà" in item.inner_text()
    item.locator("text=Sửa và gửi lại").click()
    page.wait_for_selector("body[data-form=household]")
    assert page.input_value("[data-key=village]") == "Bản Pù Toong"
    page.fill("[data-key=village]", "Bản Pù Toong Mới")
    page.fill("[data-key=address]", "Số 12")
    page.click("#save")
    flows.wait_synced(page)
    with live.app.app_context():
        record = db.session.get(Record, record_id)
        assert (record.version, record.state.value, record.village) == (2, "submitted", "Bản Pù Toong Mới")
        assert flows.record_count(user["id"]) == 1
        db.session.remove()


def test_export_imported_twice_at_the_office_then_synced_stores_each_record_once(
    live, phone, tmp_path: Path
) -> None:
    user = live.user()
    clerk = live.user(Role.CLERK)
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    phone.context.set_offline(True)
    photo = flows.photo_file(tmp_path)
    flows.add_household(page, "Giàng A Dế", photo=photo)
    flows.add_household(page, "Vàng Thị Mua")
    with page.expect_download() as download:
        page.click("#export")
    content = Path(download.value.path()).read_bytes()

    first = flows.office_import(live.app, clerk, content)
    second = flows.office_import(live.app, clerk, content)
    assert (flows.imported_count(first, "created"), flows.imported_count(first, "photos")) == (2, 1)
    assert (flows.imported_count(second, "created"), flows.imported_count(second, "duplicate")) == (0, 2)

    flows.go_online(page)
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == {"Giàng A Dế": 1, "Vàng Thị Mua": 1}
        assert {r.source for r in flows.records_of(user["id"])} == {Source.IMPORT}
        assert {a.complete for a in flows.attachments_of(user["id"])} == {True}
        db.session.remove()
