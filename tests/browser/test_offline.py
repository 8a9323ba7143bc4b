"""The field app in a real browser: offline work survives, syncs once, and comes back after updates."""

from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.files import LocalFolder
from fieldapp.records.models import Record, RecordAttachment
from tests.browser import flows

pytestmark = pytest.mark.browser


def test_offline_households_survive_a_restart_and_sync_once(live, phone, tmp_path: Path) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    phone.context.set_offline(True)
    page.reload()
    flows.unlock(page)
    page.wait_for_selector("#new-household")
    photo = flows.photo_file(tmp_path)
    heads = ["Giàng A Páo", "Thào A Lử", "Sùng A Chứ"]
    for head in heads:
        flows.add_household(page, head, photo=photo)
    assert flows.outbox(page) == 3

    phone.close()
    context = phone.open(offline=True)
    page = context.new_page()
    flows.open_app(page, live.url)
    assert flows.outbox(page) == 3
    with live.app.app_context():
        assert flows.record_count(user["id"]) == 0

    context.set_offline(False)
    flows.wait_synced(page)
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == dict.fromkeys(heads, 1)
        stored = flows.attachments_of(user["id"])
        mine = Record.captured_by_id == user["id"]
        links = select(func.count()).select_from(RecordAttachment).join(Record).where(mine)
        linked = db.session.scalar(links)
        assert linked == 3  # each household kept its photo
        assert {a.complete for a in stored} == {True}
        path = LocalFolder(live.app.config["UPLOAD_DIR"]).object_path(stored[0].sha256)
        with Image.open(path) as image:
            assert max(image.size) == 1600
        db.session.remove()
