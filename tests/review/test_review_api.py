"""POST /api/v1/records/<id>/review: every transition, legal and illegal, per role and area."""

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.support.builders import THANH_HOA, TRUNG_LY

REASON = {"comment": "Thiếu ảnh giấy chứng sinh"}
TRANSFER = {"registration_number": "123/2025", "registration_date": "2025-12-01"}


def walk(office, token, record_id, *actions):
    response = None
    for action in actions:
        body = {"transfer": TRANSFER, "return": REASON, "reject": REASON}.get(action, {})
        response = office.review(token, record_id, action, **body)
        assert response.status_code == 200, response.get_json()
    return response.get_json() if response is not None else None


def stored_state(record_id: str) -> tuple[str, int]:
    """The record's state and version as the database holds them."""
    state, version = db.session.execute(
        select(Record.state, Record.version).where(Record.id == record_id)
    ).one()
    return state.value, version


SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("actions", "state"),
    [
        (["start"], "in_review"),
        (["start", "verify"], "verified"),
        (["start", "verify", "transfer"], "transferred"),
        (["start", "return"], "returned"),
        (["start", "reject"], "rejected"),
    ],
)
def test_clerk_moves_a_record_along_the_state_machine(office, actions, state):
    record_id = office.push()
    body = walk(office, office.staff_token(), record_id, *actions)
    assert body["state"] == state
    assert body["id"] == record_id
    assert body["version"] == 1
    assert stored_state(record_id) == (state, 1)


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("done", "action", "state_label"),
    [
        ([], "verify", "Đã tiếp nhận"),
        ([], "transfer", "Đã tiếp nhận"),
        (["start"], "start", "Đang rà soát"),
        (["start"], "transfer", "Đang rà soát"),
        (["start", "verify"], "return", "Đã đối chiếu"),
        (["start", "verify", "transfer"], "reject", "Đã chuyển vào hệ thống"),
        (["start", "reject"], "verify", "Từ chối"),
    ],
)
def test_illegal_transition_is_refused_with_a_clear_message(office, done, action, state_label):
    record_id = office.push()
    token = office.staff_token()
    walk(office, token, record_id, *done)
    body = {"comment": "x", **TRANSFER}
    before = stored_state(record_id)
    response = office.review(token, record_id, action, **body)
    assert response.status_code == 409
    assert stored_state(record_id) == before
    message = response.get_json()["message"]
    assert "Không thể thực hiện thao tác" in message
    assert state_label in message


def test_transfer_stores_the_official_number_and_date(office, make):
    record_id = office.push()
    walk(office, office.staff_token(), record_id, "start", "verify", "transfer")
    record = make.client.get(f"/api/v1/records/{record_id}", headers=make.headers(office.collector_token))
    assert record.get_json()["registration_number"] == "123/2025"
    assert record.get_json()["registration_date"] == "2025-12-01"


@SQLITE_ONLY
@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_and_reject_need_a_comment(office, action):
    record_id = office.push()
    token = office.staff_token()
    walk(office, token, record_id, "start")
    response = office.review(token, record_id, action, comment="   ")
    assert response.status_code == 422
    assert "comment" in response.get_json()["errors"]
    assert stored_state(record_id) == ("in_review", 1)


def test_transfer_needs_number_and_date(office):
    record_id = office.push()
    token = office.staff_token()
    walk(office, token, record_id, "start", "verify")
    response = office.review(token, record_id, "transfer")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"registration_number", "registration_date"}
    assert stored_state(record_id) == ("verified", 1)


def test_unknown_action_is_refused(office):
    record_id = office.push()
    response = office.review(office.staff_token(), record_id, "resubmit")
    assert response.status_code == 422
    assert stored_state(record_id) == ("submitted", 1)


@pytest.mark.parametrize("role", [Role.COLLECTOR, Role.MANAGER])
def test_roles_that_may_not_review_get_403(office, role):
    record_id = office.push()
    token = office.collector_token if role is Role.COLLECTOR else office.staff_token(role, THANH_HOA)
    response = office.review(token, record_id, "start")
    assert response.status_code == 403
    assert stored_state(record_id) == ("submitted", 1)


def test_clerk_of_another_commune_gets_404(office):
    record_id = office.push()
    response = office.review(office.staff_token(Role.CLERK, TRUNG_LY), record_id, "start")
    assert response.status_code == 404
    assert stored_state(record_id) == ("submitted", 1)


def test_province_clerk_and_admin_may_review(office):
    record_id = office.push()
    started = office.review(office.staff_token(Role.CLERK, THANH_HOA), record_id, "start")
    assert started.status_code == 200 and started.get_json()["state"] == "in_review"
    assert stored_state(record_id) == ("in_review", 1)
    verified = office.review(office.staff_token(Role.ADMIN, None), record_id, "verify")
    assert verified.status_code == 200 and verified.get_json()["state"] == "verified"
    assert stored_state(record_id) == ("verified", 1)


def test_returned_comment_reaches_the_collectors_phone(office, make):
    record_id = office.push()
    walk(office, office.staff_token(), record_id, "start")
    office.review(office.staff_token(), record_id, "return", comment="Ghi lại ngày sinh của con")
    changes = make.pull(office.collector_token).get_json()["changes"]
    mine = [c for c in changes if c["id"] == record_id]
    assert mine[-1]["state"] == "returned"
    assert mine[-1]["comment"] == "Ghi lại ngày sinh của con"


def test_stale_version_is_a_conflict(office):
    record_id = office.push()
    response = office.review(office.staff_token(), record_id, "start", version=7)
    assert response.status_code == 409
    assert stored_state(record_id) == ("submitted", 1)
    assert "phiên bản" in response.get_json()["message"]


def test_transitions_are_in_the_audit_log(office, app):
    from sqlalchemy import select

    from fieldapp.extensions import db
    from fieldapp.records.audit import AuditEntry

    record_id = office.push()
    walk(office, office.staff_token(), record_id, "start", "verify")
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_id == record_id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["record.create", "record.start", "record.verify"]


def test_without_token_is_401(client, office):
    record_id = office.push()
    assert client.post(f"/api/v1/records/{record_id}/review", json={"action": "start"}).status_code == 401
    assert stored_state(record_id) == ("submitted", 1)


def test_returned_record_corrected_on_the_phone_is_submitted_again(office, make):
    from tests.support.builders import household_data, item

    record = item("household")
    make.push(office.collector_token, [record])
    walk(office, office.staff_token(), record["id"], "start", "return")
    fixed = item("household", id=record["id"], base_version=1, data=household_data(village="Bản Lát"))
    result = make.push(office.collector_token, [fixed]).get_json()["results"][0]
    assert result["status"] == "updated"
    assert result["state"] == "submitted"
    assert stored_state(record["id"]) == ("submitted", 2)
    again = office.review(office.staff_token(), record["id"], "start")
    assert again.status_code == 200 and again.get_json()["state"] == "in_review"
    assert stored_state(record["id"]) == ("in_review", 2)
