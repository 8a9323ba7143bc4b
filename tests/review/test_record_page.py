"""The record page: data beside photos, field edits with history, two clerks at once, web actions."""

import hashlib

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.audit import AuditEntry
from fieldapp.records.models import Record, RecordVersion
from tests.review.conftest import csrf_from, sign_in
from tests.support.builders import THANH_HOA, TRUNG_LY, item

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def edit(client, record_id, csrf, version, **fields):
    form = {"csrf_token": csrf, "version": str(version), **{f"f:{k}": v for k, v in fields.items()}}
    return client.post(f"/review/records/{record_id}/edit", data=form)


def act(client, record_id, csrf, action, version=1, **form):
    data = {"csrf_token": csrf, "action": action, "version": str(version), **form}
    return client.post(f"/review/records/{record_id}/action", data=data)


def test_record_page_shows_the_data_and_actions(client, make, office):
    record_id = office.push("household")
    sign_in(client, make)
    html = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert "Giàng A Páo" in html
    assert 'value="Vàng Thị Mua"' in html  # editable field
    assert 'data-action="verify"' in html
    assert "<legend>Thành viên 2</legend>" in html and "Họ, chữ đệm và tên" in html


def test_edit_keeps_who_when_old_and_new(client, make, office, app):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    response = edit(
        client, record_id, csrf, 1, **{"members.1.full_name": "Vàng  Thị  Múa", "village": "Bản Lát"}
    )
    assert response.status_code == 302
    html = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert "Vàng Thị Mua" in html and "Vàng Thị Múa" in html
    record = db.session.get(Record, record_id)
    db.session.refresh(record)
    assert record.version == 2
    assert record.data["members"][1]["full_name"] == "Vàng Thị Múa"  # normalized by the schema
    assert record.data["village"] == "Bản Lát"
    versions = db.session.scalars(select(RecordVersion.version).where(RecordVersion.record_id == record_id))
    assert sorted(versions) == [1, 2]
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "record.edit")).one()
    assert set(audit.detail["fields"]) == {"members.1.full_name", "village"}


def test_history_lists_each_change(client, make, office):
    from fieldapp.review.models import FieldChange

    record_id = office.push("household")
    csrf = sign_in(client, make)
    edit(client, record_id, csrf, 1, **{"members.0.personal_id": "038080001235"})
    edit(client, record_id, csrf, 2, village="Bản Ón")
    changes = db.session.scalars(select(FieldChange).order_by(FieldChange.id)).all()
    assert [(c.field, c.old_value, c.new_value, c.version) for c in changes] == [
        ("members.0.personal_id", "038080001234", "038080001235", 2),
        ("village", "Bản Pù Toong", "Bản Ón", 3),
    ]
    assert all(c.changed_by_id is not None and c.changed_at is not None for c in changes)


def test_second_clerk_on_an_old_version_gets_a_conflict(app, make, office):
    record_id = office.push("household")
    first, second = app.test_client(), app.test_client()
    # both opened the page at version 1; the first saves, then the second saves its form
    assert edit(first, record_id, sign_in(first, make), 1, village="Bản Lát").status_code == 302
    response = edit(second, record_id, sign_in(second, make), 1, village="Bản Ón")
    assert response.status_code == 409
    assert "đã được người khác sửa" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Record, record_id).data["village"] == "Bản Lát"


def test_verify_on_an_old_version_is_a_conflict(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    edit(client, record_id, csrf, 1, village="Bản Lát")
    response = act(client, record_id, csrf, "verify", version=1)
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Record, record_id).state.value == "submitted"


def test_invalid_edit_names_the_field_and_saves_nothing(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    response = edit(client, record_id, csrf, 1, **{"members.0.date_of_birth": "1980-13-45"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Record, record_id).version == 1


def test_commune_cannot_be_retyped(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    edit(client, record_id, csrf, 1, commune_code=TRUNG_LY)
    db.session.expire_all()
    assert db.session.get(Record, record_id).commune_code != TRUNG_LY


def test_verify_from_the_page_starts_review_then_transfer(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    assert act(client, record_id, csrf, "verify").status_code == 302
    response = act(
        client, record_id, csrf, "transfer", registration_number="45/2025", registration_date="2025-12-02"
    )
    assert response.status_code == 302
    db.session.expire_all()
    record = db.session.get(Record, record_id)
    assert record.state.value == "transferred"
    assert record.registration_number == "45/2025"


def test_return_without_reason_stays_on_the_page(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    response = act(client, record_id, csrf, "return", comment="")
    assert response.status_code == 422
    assert "lý do trả lại" in response.get_data(as_text=True)


def test_comment_is_kept(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    client.post(
        f"/review/records/{record_id}/comment",
        data={"csrf_token": csrf, "body": "Đã gọi điện cho trưởng bản"},
    )
    assert "Đã gọi điện cho trưởng bản" in client.get(f"/review/records/{record_id}").get_data(as_text=True)


def test_manager_reads_but_may_not_change(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make, Role.MANAGER, THANH_HOA)
    html = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert "Giàng A Páo" in html
    assert 'data-action="verify"' not in html and 'id="edit-form"' not in html
    assert act(client, record_id, csrf, "start").status_code == 403
    assert edit(client, record_id, csrf, 1, village="Bản Lát").status_code == 403


def test_record_of_another_commune_is_404(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make, Role.CLERK, TRUNG_LY)
    assert client.get(f"/review/records/{record_id}").status_code == 404
    assert act(client, record_id, csrf, "start").status_code == 404


def test_form_without_csrf_is_refused(client, make, office):
    record_id = office.push("household")
    sign_in(client, make)
    assert client.post(f"/review/records/{record_id}/action", data={"action": "start"}).status_code == 400


JPEG = b"\xff\xd8\xff\xe0" + b"photo-of-a-birth-certificate" * 10


def upload(make, token):
    sha = hashlib.sha256(JPEG).hexdigest()
    response = make.client.put(
        f"/api/v1/attachments/{sha}", data=JPEG, headers=make.headers(token, **{"Content-Type": "image/jpeg"})
    )
    assert response.status_code == 201
    return sha


def test_photo_is_served_to_staff_of_the_area_only(client, make, office):
    sha = upload(make, office.collector_token)
    record_id = office.make.push(office.collector_token, [item("household", attachments=[sha])]).get_json()
    record_id = record_id["results"][0]["id"]
    sign_in(client, make)
    assert f"/review/attachments/{sha}" in client.get(f"/review/records/{record_id}").get_data(as_text=True)
    response = client.get(f"/review/attachments/{sha}")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == JPEG
    other = make.client
    sign_in(other, make, Role.CLERK, TRUNG_LY)
    assert other.get(f"/review/attachments/{sha}").status_code == 404


def test_keyboard_module_is_loaded_not_inline(client, make, office):
    record_id = office.push("household")
    sign_in(client, make)
    html = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert 'src="/static/review/keys.js"' in html
    assert "<script>" not in html and "style=" not in html and "onclick" not in html
    assert client.get("/static/review/keys.js").status_code == 200


def test_csrf_helper(client):
    assert csrf_from('<input name="csrf_token" value="abc">') == "abc"
