"""Push: created, duplicate, updated, conflict, invalid; idempotent; a bad record blocks no other."""

import unicodedata

from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.receipts.codes import is_valid_code
from fieldapp.records.audit import AuditEntry
from fieldapp.records.models import Record, RecordPerson, RecordVersion
from tests.support.builders import birth_data, death_data, household_data, item, marriage_data, person


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_new_household_is_created_with_a_receipt_code(make):
    token = make.collector_token()
    record = item("household")
    response = make.push(token, [record])
    assert response.status_code == 200
    [result] = response.get_json()["results"]
    assert result["id"] == record["id"]
    assert result["status"] == "created"
    assert result["version"] == 1
    assert is_valid_code(result["receipt_code"])
    stored = db.session.get(Record, record["id"])
    assert stored.subject_name == "Giàng A Páo"
    assert stored.province_code == "38"
    assert count(RecordPerson) == 3
    assert count(RecordVersion) == 1


def test_every_record_type_is_accepted(make):
    token = make.collector_token()
    records = [
        item("birth", data=birth_data()),
        item("death", data=death_data()),
        item("marriage", data=marriage_data()),
    ]
    statuses = [r["status"] for r in make.push(token, records).get_json()["results"]]
    assert statuses == ["created", "created", "created"]
    marriage = db.session.get(Record, records[2]["id"])
    assert marriage.subject_name == "Thào A Lử & Hờ Thị Dua"


def test_pushing_the_same_batch_twice_changes_nothing(make):
    token = make.collector_token()
    batch = [item("household"), item("birth"), item("death")]
    first = make.push(token, batch).get_json()["results"]
    counts = [count(m) for m in (Record, RecordPerson, RecordVersion, AuditEntry)]
    second = make.push(token, batch).get_json()["results"]
    assert [r["status"] for r in second] == ["duplicate"] * 3
    assert [r["receipt_code"] for r in second] == [r["receipt_code"] for r in first]
    assert [count(m) for m in (Record, RecordPerson, RecordVersion, AuditEntry)] == counts


def test_a_bad_record_does_not_block_the_good_ones(make):
    token = make.collector_token()
    bad = item("household", data=household_data(members=[{**person(sex="female"), "relationship": "head"}]))
    good1, good2 = item("household"), item("birth")
    results = make.push(token, [good1, bad, good2]).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "created"]
    assert results[1]["id"] == bad["id"]
    assert "data.members.0.sex" in results[1]["errors"]
    assert "nam" in results[1]["errors"]["data.members.0.sex"][0]  # names the conflict in Vietnamese
    assert db.session.get(Record, bad["id"]) is None
    assert count(Record) == 2


def test_field_errors_are_keyed_by_path(make):
    token = make.collector_token()
    data = household_data()
    data["members"][1]["date_of_birth"] = "1983-02-30"
    data["members"][2]["ethnicity"] = "99"
    del data["village"]
    [result] = make.push(token, [item("household", data=data)]).get_json()["results"]
    assert result["status"] == "invalid"
    assert set(result["errors"]) >= {"data.village", "data.members.2.ethnicity"}
    assert result["errors"]["data.village"] == ["Bắt buộc nhập."]


def test_structural_errors_in_one_item_still_answer_per_item(make):
    token = make.collector_token()
    broken = [{"id": "not-a-uuid", "type": "household", "captured_at": "yesterday", "data": {}}, "garbage"]
    good = item("household")
    results = make.push(token, [*broken, good]).get_json()["results"]
    assert [r["status"] for r in results] == ["invalid", "invalid", "created"]
    assert "id" in results[0]["errors"] and "captured_at" in results[0]["errors"]
    assert results[1]["id"] is None


def test_nfd_input_and_stray_spaces_are_stored_nfc(make):
    token = make.collector_token()
    name = unicodedata.normalize("NFD", "  Ðặng   Thị   Ánh ")
    data = household_data(
        members=[{**person(full_name=name, sex="female", personal_id="038180001234"), "relationship": "head"}]
    )
    record = item("household", data=data)
    assert make.push(token, [record]).get_json()["results"][0]["status"] == "created"
    stored = db.session.get(Record, record["id"])
    assert stored.data["members"][0]["full_name"] == "Đặng Thị Ánh"
    assert unicodedata.is_normalized("NFC", stored.subject_name)
    assert stored.people[0].name_folded == "dang thi anh"


def test_the_same_uuid_twice_in_one_batch_is_stored_once(make):
    token = make.collector_token()
    record = item("household")
    results = make.push(token, [record, record]).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "duplicate"]
    assert results[0]["receipt_code"] == results[1]["receipt_code"]
    assert count(Record) == 1


def test_lunar_birth_dates_get_their_solar_date(make):
    token = make.collector_token()
    data = birth_data(
        child=person(
            full_name="Lò Văn Khăm",
            date_of_birth="2023-02-15",
            dob_calendar="lunar",
            dob_leap_month=True,
            personal_id="038223000555",
        )
    )
    record = item("birth", data=data)
    assert make.push(token, [record]).get_json()["results"][0]["status"] == "created"
    child = db.session.get(Record, record["id"]).data["child"]
    assert child["dob_calendar"] == "lunar" and child["dob_leap_month"] is True
    assert child["dob_solar"] == "2023-04-05"  # 15th of leap 2nd month, Quý Mão


def test_a_leap_month_that_did_not_exist_is_refused(make):
    token = make.collector_token()
    data = birth_data(
        child=person(
            date_of_birth="2024-02-15", dob_calendar="lunar", dob_leap_month=True, personal_id="038224000555"
        )
    )
    [result] = make.push(token, [item("birth", data=data)]).get_json()["results"]
    assert result["status"] == "invalid"
    assert "data.child.date_of_birth" in result["errors"]


def test_death_before_birth_is_refused(make):
    token = make.collector_token()
    data = death_data(date_of_death="1930-01-01")
    [result] = make.push(token, [item("death", data=data)]).get_json()["results"]
    assert result["errors"] == {"data.date_of_death": ["Ngày mất không thể trước ngày sinh."]}


def test_a_household_needs_exactly_one_head(make):
    token = make.collector_token()
    data = household_data()
    data["members"][1]["relationship"] = "head"
    [result] = make.push(token, [item("household", data=data)]).get_json()["results"]
    assert result["errors"] == {"data.members": ["Hộ phải có đúng một chủ hộ."]}
