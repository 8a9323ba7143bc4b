"""Setting targets and quotas in the web pages: managers and administrators, CSRF, own area only."""

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.progress.models import Quota, Target
from tests.progress.helpers import sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
VI = {"Accept-Language": "vi"}


def target_form(token, **extra):
    return {
        "csrf_token": token,
        "kind": "commune",
        "code": "14845",
        "amount": "32.736",
        "deadline": "2026-12-20",
        "measure": "collected",
        **extra,
    }


def test_manager_sets_and_changes_a_target(client, make):
    token = sign_in(client, make.user("manager", "38"))
    assert client.post("/progress/targets", data=target_form(token)).status_code == 302
    assert client.post("/progress/targets", data=target_form(token, amount="40000")).status_code == 302
    target = db.session.scalars(select(Target)).one()
    assert (target.area_code, target.amount) == ("14845", 40000)
    assert "40.000" in client.get("/progress/targets", headers=VI).get_data(as_text=True)


def test_target_form_without_csrf_is_refused(client, make):
    sign_in(client, make.user("manager", "38"))
    form = target_form("")
    form.pop("csrf_token")
    assert client.post("/progress/targets", data=form).status_code == 400
    assert db.session.scalars(select(Target)).first() is None


def test_manager_cannot_set_a_target_outside_the_area(client, make):
    token = sign_in(client, make.user("manager", "01"))
    response = client.post("/progress/targets", data=target_form(token), headers=VI)
    assert response.status_code == 422
    assert "không thuộc địa bàn được giao cho bạn" in response.get_data(as_text=True)


def test_bad_amount_is_explained(client, make):
    token = sign_in(client, make.user("manager", "38"))
    response = client.post("/progress/targets", data=target_form(token, amount="nhiều"), headers=VI)
    assert response.status_code == 422
    assert "Số lượng phải là số nguyên dương" in response.get_data(as_text=True)


def test_clerk_cannot_set_targets(client, make):
    token = sign_in(client, make.user("clerk", "14845"))
    assert client.post("/progress/targets", data=target_form(token)).status_code == 403


def test_manager_sets_a_quota_for_a_team_member_and_deletes_it(client, make):
    member = make.user("collector", "14845")
    token = sign_in(client, make.user("manager", "38"))
    form = {
        "csrf_token": token,
        "user_id": str(member.id),
        "amount": "40",
        "period": "day",
        "measure": "collected",
    }
    assert client.post("/progress/quotas", data=form).status_code == 302
    quota = db.session.scalars(select(Quota)).one()
    assert (quota.user_id, quota.amount) == (member.id, 40)
    assert client.post(f"/progress/quotas/{quota.id}/delete", data={"csrf_token": token}).status_code == 302
    assert db.session.scalars(select(Quota)).first() is None


def test_quota_for_a_member_of_another_province_is_refused(client, make):
    member = make.user("collector", "00004")  # Hà Nội
    token = sign_in(client, make.user("manager", "38"))
    form = {"csrf_token": token, "user_id": str(member.id), "amount": "40", "period": "day"}
    assert client.post("/progress/quotas", data=form).status_code == 422
    assert db.session.scalars(select(Quota)).first() is None


def test_deleting_another_provinces_target_is_not_found(client, make):
    from datetime import date

    from fieldapp.progress import services
    from fieldapp.progress.models import AreaKind

    target = services.set_target(AreaKind.PROVINCE, "01", 1000, date(2026, 12, 20), None)
    db.session.commit()
    token = sign_in(client, make.user("manager", "38"))
    assert client.post(f"/progress/targets/{target.id}/delete", data={"csrf_token": token}).status_code == 404


def test_an_amount_past_the_database_integer_is_explained(client, make):
    """Regression (found by fuzzing the form): 400 digits overflowed the column, a 500."""
    token = sign_in(client, make.user("manager", "38"))
    response = client.post("/progress/targets", data=target_form(token, amount="9" * 400), headers=VI)
    assert response.status_code == 422
    assert "Số lượng phải là số nguyên dương" in response.get_data(as_text=True)
    assert db.session.scalars(select(Target)).first() is None


@pytest.mark.parametrize("member", ["9" * 400, "²", "١"])
def test_a_quota_member_that_is_no_id_is_explained(client, make, member):
    """Regression (found by fuzzing the form): a huge id overflowed, "²" passed isdigit() then broke int()."""
    token = sign_in(client, make.user("manager", "38"))
    form = {"csrf_token": token, "user_id": member, "amount": "40", "period": "day"}
    response = client.post("/progress/quotas", data=form, headers=VI)
    assert response.status_code == 422
    assert "Hãy chọn một cán bộ." in response.get_data(as_text=True)
    assert db.session.scalars(select(Quota)).first() is None


def test_target_deadline_is_typed_ddmmyyyy(client, make):
    token = sign_in(client, make.user("manager", "38"))
    form = {"csrf_token": token, "kind": "commune", "code": "14845", "amount": "100", "measure": "collected"}
    page = client.get("/progress/targets").get_data(as_text=True)
    assert 'name="deadline"' in page and 'type="date"' not in page
    bad = client.post("/progress/targets", data={**form, "deadline": "31/02/2027"})
    assert bad.status_code == 422
    assert "tháng 2 năm 2027 có 28 ngày" in bad.get_data(as_text=True)
    assert client.post("/progress/targets", data={**form, "deadline": "31/12/2027"}).status_code == 302
    assert db.session.scalars(select(Target)).one().deadline.isoformat() == "2027-12-31"
