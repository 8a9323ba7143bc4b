"""Push rules that span rows: updates and conflicts, areas, receipt-code pools, roles."""

from sqlalchemy import select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records import services as records
from fieldapp.records.models import Record, RecordVersion
from fieldapp.records.states import Action
from tests.support.builders import HA_NOI_COMMUNE, MUONG_LAT, TRUNG_LY, household_data, item


def edited(record: dict, **fields) -> dict:
    data = household_data(address="Nhà sàn cạnh suối")
    return {**record, "data": data, **fields}


def test_an_edit_with_the_current_version_is_an_update_and_history_is_kept(make):
    token = make.collector_token()
    record = item("household")
    make.push(token, [record])
    [result] = make.push(token, [edited(record, base_version=1)]).get_json()["results"]
    assert result["status"] == "updated" and result["version"] == 2
    versions = db.session.scalars(
        select(RecordVersion).where(RecordVersion.record_id == record["id"]).order_by(RecordVersion.version)
    ).all()
    assert [v.version for v in versions] == [1, 2]
    assert "address" not in versions[0].data  # the submitted data stays as it was
    assert versions[1].data["address"] == "Nhà sàn cạnh suối"


def test_retrying_an_update_whose_answer_was_lost_is_a_duplicate(make):
    token = make.collector_token()
    record = item("household")
    make.push(token, [record])
    make.push(token, [edited(record, base_version=1)])
    [again] = make.push(token, [edited(record, base_version=1)]).get_json()["results"]
    assert again["status"] == "duplicate" and again["version"] == 2


def test_a_stale_base_version_is_a_conflict(make):
    token = make.collector_token()
    record = item("household")
    make.push(token, [record])
    make.push(token, [edited(record, base_version=1)])
    other = {**record, "data": household_data(address="Khác"), "base_version": 1}
    [result] = make.push(token, [other]).get_json()["results"]
    assert result["status"] == "conflict"
    assert result["version"] == 2
    assert db.session.get(Record, record["id"]).data["address"] == "Nhà sàn cạnh suối"


def test_new_content_without_base_version_is_a_conflict(make):
    token = make.collector_token()
    record = item("household")
    make.push(token, [record])
    assert make.push(token, [edited(record)]).get_json()["results"][0]["status"] == "conflict"


def test_a_record_under_review_cannot_be_changed_from_the_phone(make):
    collector = make.user(Role.COLLECTOR)
    token = make.token(collector)
    record = item("household")
    make.push(token, [record])
    clerk = make.user(Role.CLERK)
    records.transition(db.session.get(Record, record["id"]), Action.START, clerk)
    db.session.commit()
    [result] = make.push(token, [edited(record, base_version=1)]).get_json()["results"]
    assert result["status"] == "conflict" and result["state"] == "in_review"


def test_a_returned_record_sent_back_corrected_is_submitted_again(make):
    collector = make.user(Role.COLLECTOR)
    token = make.token(collector)
    record = item("household")
    make.push(token, [record])
    clerk = make.user(Role.CLERK)
    stored = db.session.get(Record, record["id"])
    records.transition(stored, Action.START, clerk)
    records.transition(stored, Action.RETURN, clerk, comment="Thiếu ngày sinh của con")
    db.session.commit()
    [result] = make.push(token, [edited(record, base_version=1)]).get_json()["results"]
    assert result["status"] == "updated" and result["state"] == "submitted"


def test_a_collector_pushes_only_into_their_own_area(make):
    token = make.collector_token(MUONG_LAT)
    outside = item("household", data=household_data(TRUNG_LY))
    inside = item("household")
    results = make.push(token, [outside, inside]).get_json()["results"]
    assert results[0]["status"] == "invalid"
    assert results[0]["errors"]["data.commune_code"] == ["Xã mã 14857 không thuộc địa bàn được giao cho bạn."]
    assert results[1]["status"] == "created"


def test_a_province_level_user_covers_every_commune_of_the_province_only(make):
    token = make.token(make.user(Role.CLERK, "38"))
    results = make.push(
        token,
        [
            item("household", data=household_data(TRUNG_LY)),
            item("household", data=household_data(HA_NOI_COMMUNE)),
        ],
    ).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid"]


def test_an_unknown_commune_is_invalid(make):
    token = make.collector_token()
    [result] = make.push(token, [item("household", data=household_data("99999"))]).get_json()["results"]
    assert result["errors"]["data.commune_code"] == ["Không có xã nào mã 99999."]


def test_someone_elses_record_id_cannot_be_overwritten(make):
    record = item("household")
    make.push(make.collector_token(), [record])
    [result] = make.push(make.collector_token(), [edited(record, base_version=1)]).get_json()["results"]
    assert result["status"] == "invalid" and "id" in result["errors"]


def test_a_code_from_the_device_pool_is_used_once(make):
    token = make.collector_token()
    code = make.pool(token)[0]
    first, second = item("household", receipt_code=code), item("household", receipt_code=code)
    results = (
        make.push(token, [first]).get_json()["results"] + make.push(token, [second]).get_json()["results"]
    )
    assert results[0]["status"] == "created" and results[0]["receipt_code"] == code
    assert results[1]["status"] == "invalid" and "receipt_code" in results[1]["errors"]
    assert code not in make.pool(token)


def test_a_code_of_another_users_pool_or_a_made_up_code_is_refused(make):
    mine, theirs = make.collector_token(), make.collector_token()
    foreign = make.pool(theirs)[0]
    results = make.push(
        mine, [item("household", receipt_code=foreign), item("household", receipt_code="23456789AB")]
    ).get_json()["results"]
    assert [r["status"] for r in results] == ["invalid", "invalid"]


def test_codes_of_the_same_users_earlier_login_stay_valid(make):
    """After logging in again (a new device token), the outbox's pooled codes still go through."""
    collector = make.user(Role.COLLECTOR)
    old_code = make.pool(make.token(collector, "điện thoại"))[0]
    new_token = make.token(collector, "điện thoại (đăng nhập lại)")
    [result] = make.push(new_token, [item("household", receipt_code=old_code)]).get_json()["results"]
    assert result["status"] == "created" and result["receipt_code"] == old_code


def test_a_manager_may_not_push(client, make):
    token = make.token(make.user(Role.MANAGER, "38"))
    response = make.push(token, [item("household")])
    assert response.status_code == 403
    assert response.get_json()["message"] == "Vai trò của bạn không được gửi hồ sơ."
