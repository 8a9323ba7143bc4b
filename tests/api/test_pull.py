"""Pull: state changes of the caller's records since the cursor, comments, fresh receipt codes."""

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records import services as records
from fieldapp.records.models import Record
from fieldapp.records.states import Action
from tests.support.builders import item


def review(record_id: str, clerk, *actions, comment=None):
    record = db.session.get(Record, record_id)
    for action in actions:
        records.transition(record, action, clerk, comment=comment if action is Action.RETURN else None)
    db.session.commit()


def test_first_pull_gives_a_full_pool_of_codes_and_no_changes(make):
    token = make.collector_token()
    body = make.pull(token).get_json()
    assert body["changes"] == []
    assert len(body["receipt_codes"]) == 40
    assert len(set(body["receipt_codes"])) == 40
    assert body["cursor"] == "0"


def test_the_pool_is_refilled_after_codes_are_used(make):
    token = make.collector_token()
    codes = make.pool(token)
    make.push(token, [item("household", receipt_code=codes[0]), item("household", receipt_code=codes[1])])
    refilled = make.pool(token)
    assert len(refilled) == 40
    assert codes[0] not in refilled and codes[1] not in refilled
    assert set(codes[2:]) <= set(refilled)


def test_a_returned_record_reaches_the_collector_with_the_comment_and_data(make):
    collector = make.user(Role.COLLECTOR)
    token = make.token(collector)
    record = item("household")
    make.push(token, [record])
    review(
        record["id"], make.user(Role.CLERK), Action.START, Action.RETURN, comment="Chụp lại trang sổ số 12"
    )
    body = make.pull(token).get_json()
    [change] = body["changes"]
    assert change["id"] == record["id"]
    assert change["state"] == "returned"
    assert change["comment"] == "Chụp lại trang sổ số 12"
    assert change["data"]["members"][0]["full_name"] == "Giàng A Páo"
    assert make.pull(token, body["cursor"]).get_json()["changes"] == []


def test_changes_are_not_shown_to_other_collectors(make):
    token = make.collector_token()
    record = item("household")
    make.push(token, [record])
    review(record["id"], make.user(Role.CLERK), Action.START, Action.VERIFY)
    other = make.collector_token()
    assert make.pull(other).get_json()["changes"] == []
    assert [c["state"] for c in make.pull(token).get_json()["changes"]] == ["verified"]


def test_a_bad_cursor_is_a_clear_422(make):
    response = make.pull(make.collector_token(), cursor="abc")
    assert response.status_code == 422
    assert "cursor" in response.get_json()["errors"]
