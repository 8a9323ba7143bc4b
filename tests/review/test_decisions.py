"""Decisions can be taken back: undo for a few seconds by whoever took them, reopen a verified record."""

import pytest

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record
from fieldapp.records.states import State
from fieldapp.review import services
from tests.review.conftest import sign_in
from tests.review.test_record_page import act

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def undo(client, record_id, csrf, version=1):
    form = {"csrf_token": csrf, "version": str(version)}
    return client.post(f"/review/records/{record_id}/undo", data=form)


def verified_page(client, make, office):
    """A household the signed-in clerk has just verified on the web: (record id, csrf, its page)."""
    record_id = office.push("household")
    csrf = sign_in(client, make)
    act(client, record_id, csrf, "verify")
    return record_id, csrf, client.get(f"/review/records/{record_id}").get_data(as_text=True)


def state_of(record_id):
    db.session.expire_all()
    return db.session.get(Record, record_id).state


def test_verify_offers_undo_and_undo_goes_back_to_review(client, make, office):
    record_id, csrf, page = verified_page(client, make, office)
    assert 'id="undo-toast"' in page and "Hoàn tác" in page
    assert 'id="undo-toast"' not in client.get(f"/review/records/{record_id}").get_data(as_text=True)  # once
    assert undo(client, record_id, csrf).status_code == 302
    assert state_of(record_id) is State.IN_REVIEW
    page = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert "Đã hoàn tác: xác nhận đã đối chiếu." in page


def test_undo_of_a_return_tells_the_phone_the_record_is_in_review_again(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    act(client, record_id, csrf, "return", comment="Thiếu ảnh")
    assert undo(client, record_id, csrf).status_code == 302
    change = next(c for c in make.pull(office.collector_token).get_json()["changes"] if c["id"] == record_id)
    assert change["state"] == "in_review" and change["comment"] is None


def test_only_the_one_who_decided_may_undo(client, make, office):
    record_id = office.push("household")
    clerk = office.staff_token()
    office.review(clerk, record_id, "start")
    office.review(clerk, record_id, "verify")
    csrf = sign_in(client, make)
    page = undo(client, record_id, csrf)
    assert page.status_code == 409
    assert "Chỉ người vừa thực hiện thao tác mới hoàn tác được." in page.get_data(as_text=True)
    assert state_of(record_id) is State.VERIFIED


def test_undo_after_the_time_is_refused_and_points_to_reopen(client, make, office, monkeypatch):
    record_id, csrf, _page = verified_page(client, make, office)
    monkeypatch.setattr(services, "UNDO_SECONDS", -1)
    page = undo(client, record_id, csrf)
    assert page.status_code == 409 and "có thể được mở lại, kèm lý do" in page.get_data(as_text=True)
    assert state_of(record_id) is State.VERIFIED


def test_nothing_to_undo(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    assert undo(client, record_id, csrf).status_code == 409


def test_reopen_needs_a_reason_and_goes_back_to_review(client, make, office):
    record_id, csrf, page = verified_page(client, make, office)
    assert 'data-action="reopen"' in page and "Lý do mở lại" in page
    refused = act(client, record_id, csrf, "reopen")
    assert refused.status_code == 422 and "Hãy ghi lý do mở lại" in refused.get_data(as_text=True)
    assert act(client, record_id, csrf, "reopen", comment="Năm sinh chủ hộ khác sổ").status_code == 302
    assert state_of(record_id) is State.IN_REVIEW
    trail = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert "mở lại hồ sơ đã đối chiếu để rà soát lại. Lý do: Năm sinh chủ hộ khác sổ" in trail


def test_reopen_through_the_api_and_not_from_review(office):
    record_id = office.push("household")
    clerk = office.staff_token()
    office.review(clerk, record_id, "start")
    assert office.review(clerk, record_id, "reopen", comment="x").status_code == 409
    office.review(clerk, record_id, "verify")
    assert office.review(clerk, record_id, "reopen", comment="Sai tên thôn").status_code == 200
    assert state_of(record_id) is State.IN_REVIEW


def test_a_manager_cannot_undo(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make, Role.MANAGER, "38")
    assert undo(client, record_id, csrf).status_code == 403
