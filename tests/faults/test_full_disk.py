"""A full disk or an unwritable upload folder: a clear answer to the device, nothing half-written.

The one 5xx the server sends on purpose is 507 Insufficient Storage for uploads (503 when the database
itself is full): the device keeps the photo in its outbox and retries; docs/reliability.md says why.
"""

import errno
import hashlib
import os

import pytest
from sqlalchemy import event, func, select

from fieldapp.extensions import db
from fieldapp.files import LocalFolder, stores
from fieldapp.records.models import Record
from fieldapp.sync.attachments import partial_name
from fieldapp.sync.models import Attachment
from tests.support.builders import item

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

PHOTO = b"\xff\xd8\xff\xe0" + os.urandom(64 * 1024)
SHA = hashlib.sha256(PHOTO).hexdigest()


def put(client, token, body, content_range=None):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"}
    if content_range:
        headers["Content-Range"] = content_range
    return client.put(f"/api/v1/attachments/{SHA}", data=body, headers=headers)


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_full_disk_on_upload_is_a_clear_507_and_leaves_nothing(app, client, make, monkeypatch):
    user = make.user()
    token = make.token(user)
    monkeypatch.setattr(stores.os, "fsync", disk_full)
    response = put(client, token, PHOTO)
    assert response.status_code == 507
    assert (
        response.get_json()["message"] == "Máy chủ không ghi được tệp (hết chỗ hoặc thư mục không ghi được)."
    )
    store = LocalFolder(app.config["UPLOAD_DIR"])
    assert not store.object_path(SHA).exists()
    assert store.partial_path(partial_name(SHA, user.id)).stat().st_size == 0  # the bytes written are gone
    assert db.session.get(Attachment, SHA) is None
    monkeypatch.undo()
    assert put(client, token, PHOTO).status_code == 201  # space freed: the device's retry succeeds
    assert hashlib.sha256(store.object_path(SHA).read_bytes()).hexdigest() == SHA


def test_full_disk_mid_resumable_upload_keeps_the_parts_already_stored(app, client, make, monkeypatch):
    user = make.user()
    token = make.token(user)
    half = len(PHOTO) // 2
    assert put(client, token, PHOTO[:half], f"bytes 0-{half - 1}/{len(PHOTO)}").status_code == 202
    monkeypatch.setattr(stores.os, "fsync", disk_full)
    rest = f"bytes {half}-{len(PHOTO) - 1}/{len(PHOTO)}"
    assert put(client, token, PHOTO[half:], rest).status_code == 507
    store = LocalFolder(app.config["UPLOAD_DIR"])
    assert store.partial_path(partial_name(SHA, user.id)).stat().st_size == half
    status = client.get(f"/api/v1/attachments/{SHA}", headers=make.headers(token)).get_json()
    assert status["received"] == half and not status["complete"]
    monkeypatch.undo()
    assert put(client, token, PHOTO[half:], rest).status_code == 201


def test_unwritable_upload_folder_is_a_clear_507(app, client, make, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    app.config["UPLOAD_DIR"] = str(blocker / "uploads")  # unwritable even for root
    response = put(client, make.collector_token(), PHOTO)
    assert response.status_code == 507
    assert response.is_json and "không ghi được" in response.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_full_database_is_a_clear_503_and_the_batch_is_kept_whole(app, client, make):
    token = make.collector_token()
    db.session.remove()

    def cap_size(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(db.engine, "connect", cap_size)
    db.engine.dispose()
    batch = [item("household") for _ in range(100)]
    try:
        response = make.push(token, batch)
    finally:
        event.remove(db.engine, "connect", cap_size)
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 503
    assert response.get_json()["message"] == "Máy chủ tạm thời không lưu được dữ liệu; vui lòng thử lại sau."
    assert db.session.scalar(select(func.count()).select_from(Record)) == 0  # not half a batch
    retry = make.push(token, batch)
    assert {r["status"] for r in retry.get_json()["results"]} == {"created"}
