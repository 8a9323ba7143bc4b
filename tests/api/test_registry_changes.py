"""The registry is incremental: after a full download, every path that changes a household or an event
that follows it up brings that household back (and only it); a household that leaves an area is gone."""

import json

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.field import imports
from fieldapp.records.models import Record
from fieldapp.review import pairs
from fieldapp.review.models import DuplicatePair
from fieldapp.review.paper import key_household
from fieldapp.review.services import undo
from fieldapp.review.transfers import import_transfers
from tests.review.conftest import sign_in
from tests.support.builders import TRUNG_LY, birth_data, household_data, item


def feed(make, token, cursor="0"):
    response = make.registry(token, cursor)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def downloaded(make, token):
    """A full first download; the cursor to ask from next."""
    page = feed(make, token)
    assert not page["more"]
    return page["cursor"]


def in_village(village, name="Giàng A Páo"):
    data = household_data(village=village)
    data["members"][0]["full_name"] = name
    return item("household", data=data)


def review(make, token, record_id, *actions):
    for action in actions:
        body = {"action": action}
        if action in ("return", "reject"):
            body["comment"] = "Thiếu giấy tờ"
        response = make.client.post(
            f"/api/v1/records/{record_id}/review", json=body, headers=make.headers(token)
        )
        assert response.status_code == 200, response.get_json()


@pytest.fixture
def collector(make):
    return make.collector_token()


@pytest.fixture
def clerk(make):
    return make.user(Role.CLERK)


def test_after_a_full_download_only_the_changed_household_comes(make, collector, clerk):
    pushed = [in_village("Bản Pù Toong", name=f"Giàng A Páo {n}") for n in range(3)]
    make.push(collector, pushed)
    cursor = downloaded(make, collector)
    review(make, make.token(clerk), pushed[1]["id"], "start", "verify")
    page = feed(make, collector, cursor)
    assert [(h["id"], h["state"]) for h in page["households"]] == [(pushed[1]["id"], "verified")]
    assert feed(make, collector, page["cursor"])["households"] == []


def test_a_household_changed_many_times_comes_once(make, collector, clerk):
    home = item("household")
    make.push(collector, [home])
    cursor = downloaded(make, collector)
    review(make, make.token(clerk), home["id"], "start", "return")
    page = feed(make, collector, cursor)
    assert [(h["id"], h["state"]) for h in page["households"]] == [(home["id"], "returned")]


def test_a_birth_pushed_later_brings_its_household_back_with_the_event(make, collector):
    home = item("household")
    make.push(collector, [home])
    other = make.collector_token()  # a colleague visits the household and adds the newborn
    cursor = downloaded(make, collector)
    born = item("birth", data=birth_data(household_id=home["id"]))
    make.push(other, [born])
    [entry] = feed(make, collector, cursor)["households"]
    assert entry["id"] == home["id"]
    assert [e["id"] for e in entry["events"]] == [born["id"]]


def test_a_birth_moved_to_another_household_changes_both(make, collector):
    first, second = item("household"), in_village("Bản Pù Toong", name="Lò Văn Pản")
    born = item("birth", data=birth_data(household_id=first["id"]))
    make.push(collector, [first, second, born])
    cursor = downloaded(make, collector)
    moved = item("birth", id=born["id"], data=birth_data(household_id=second["id"]), base_version=1)
    assert make.push(collector, [moved]).get_json()["results"][0]["status"] == "updated"
    entries = {h["id"]: h for h in feed(make, collector, cursor)["households"]}
    assert set(entries) == {first["id"], second["id"]}
    assert "events" not in entries[first["id"]]
    assert [e["id"] for e in entries[second["id"]]["events"]] == [born["id"]]


def test_a_new_version_pushed_by_the_collector_comes_with_its_version(make, collector):
    home = item("household")
    make.push(collector, [home])
    cursor = downloaded(make, collector)
    data = household_data()
    data["members"][2]["status"] = "moved"
    make.push(collector, [item("household", id=home["id"], data=data, base_version=1)])
    [entry] = feed(make, collector, cursor)["households"]
    assert entry["version"] == 2 and entry["members"][2]["status"] == "moved"


def test_a_household_moved_to_another_village_is_gone_for_the_old_one_and_new_for_the_other(
    client, make, collector
):
    home = in_village("Bản Pù Toong")
    make.push(collector, [home])
    old_village = make.token(make.user(Role.COLLECTOR, villages=["Bản Pù Toong"]))
    new_village = make.token(make.user(Role.COLLECTOR, villages=["Bản Lát"]))
    old_cursor, new_cursor = downloaded(make, old_village), downloaded(make, new_village)
    csrf = sign_in(client, make)
    form = {"csrf_token": csrf, "version": "1", "f:village": "Bản Lát"}
    assert client.post(f"/review/records/{home['id']}/edit", data=form).status_code == 302
    assert feed(make, old_village, old_cursor)["households"] == [{"id": home["id"], "gone": True}]
    [arrived] = feed(make, new_village, new_cursor)["households"]
    assert (arrived["id"], arrived["village"], arrived["version"]) == (home["id"], "Bản Lát", 2)
    assert [h["id"] for h in feed(make, collector)["households"]] == [home["id"]]  # the whole commune


def test_a_household_moved_to_another_commune_is_gone_there_and_present_here(make):
    province_collector = make.token(make.user(Role.COLLECTOR, "38"))
    home = item("household")
    make.push(province_collector, [home])
    muong_lat, trung_ly = make.collector_token(), make.collector_token(TRUNG_LY)
    left_cursor, entered_cursor = downloaded(make, muong_lat), downloaded(make, trung_ly)
    moved = item("household", id=home["id"], data=household_data(TRUNG_LY), base_version=1)
    assert make.push(province_collector, [moved]).get_json()["results"][0]["status"] == "updated"
    assert feed(make, muong_lat, left_cursor)["households"] == [{"id": home["id"], "gone": True}]
    assert [h["id"] for h in feed(make, trung_ly, entered_cursor)["households"]] == [home["id"]]
    assert [h["id"] for h in feed(make, trung_ly)["households"]] == [home["id"]]
    assert feed(make, muong_lat)["total"] == 0


def test_a_rejected_household_is_gone_and_an_undone_rejection_brings_it_back(make, collector, clerk):
    home = item("household")
    make.push(collector, [home])
    cursor = downloaded(make, collector)
    token = make.token(clerk)
    review(make, token, home["id"], "start", "reject")
    page = feed(make, collector, cursor)
    assert page["households"] == [{"id": home["id"], "gone": True}]
    undo(db.session.get(Record, home["id"]), clerk)
    db.session.commit()
    [back] = feed(make, collector, page["cursor"])["households"]
    assert back["id"] == home["id"] and back["state"] == "in_review"


def test_a_household_merged_into_its_duplicate_is_gone(make, collector, clerk):
    kept, dropped = item("household"), in_village("Bản Pù Toong")  # same head, same ID number
    make.push(collector, [kept])
    make.push(make.collector_token(), [dropped])
    cursor = downloaded(make, collector)
    pair = db.session.scalars(select(DuplicatePair)).one()
    pairs.resolve_pair(clerk, pair.id, "duplicate", keep=kept["id"])
    db.session.commit()
    assert feed(make, collector, cursor)["households"] == [{"id": dropped["id"], "gone": True}]


def test_a_bulk_transfer_brings_the_households_back_transferred(make, collector, clerk):
    home = item("household")
    make.push(collector, [home])
    review(make, make.token(clerk), home["id"], "start", "verify")
    cursor = downloaded(make, collector)
    import_transfers(clerk, f"Mã hồ sơ,Số đăng ký,Ngày đăng ký\n{home['id']},12/2025,03/01/2025\n")
    db.session.commit()
    [entry] = feed(make, collector, cursor)["households"]
    assert (entry["id"], entry["state"]) == (home["id"], "transferred")


def test_a_household_keyed_at_the_office_from_paper_comes(make, collector, clerk):
    cursor = downloaded(make, collector)
    owner = db.session.scalars(select(User).where(User.role == Role.COLLECTOR)).first()
    typed = {
        "commune_code": "Mường Lát",
        "village": "Bản Pù Toong",
        "members.0.relationship": "head",
        "members.0.full_name": "Hờ A Chông",
        "members.0.sex": "male",
        "members.0.date_of_birth": "1975",
        "members.0.ethnicity": "hmong",
        "members.0.status": "present",
        "members.1.relationship": "",
        "members.1.status": "present",
    }
    record_id = item()["id"]
    _result, errors, _message = key_household(clerk, str(owner.id), typed, record_id)
    assert errors == {}, errors
    db.session.commit()
    [entry] = feed(make, collector, cursor)["households"]
    assert entry["id"] == record_id and entry["members"] == [
        {"name": "Hờ A Chông", "sex": "male", "dob": "1975", "eth": "08", "rel": "head"}
    ]


def test_a_household_deleted_is_gone(make, collector):
    home = item("household")
    make.push(collector, [home])
    cursor = downloaded(make, collector)
    db.session.delete(db.session.get(Record, home["id"]))
    db.session.commit()
    assert feed(make, collector, cursor)["households"] == [{"id": home["id"], "gone": True}]


def test_a_change_that_a_phone_does_not_hold_writes_nothing(make, collector, clerk):
    """A clerk's comment or a new sort key is no change of the registry."""
    home = item("household")
    make.push(collector, [home])
    cursor = downloaded(make, collector)
    record = db.session.get(Record, home["id"])
    record.review_comment = "Gọi lại cho chủ hộ"
    db.session.commit()
    assert feed(make, collector, cursor)["households"] == []


def test_a_phones_file_imported_at_the_office_brings_its_linked_birth(app, make, collector, clerk):
    home = item("household")
    make.push(collector, [home])
    cursor = downloaded(make, collector)
    offline = make.user(Role.COLLECTOR)  # a phone that never reached the server
    born = item("birth", data=birth_data(household_id=home["id"]))
    content = json.dumps(
        {
            "format": "fieldapp-outbox",
            "version": 1,
            "collector": {"id": offline.id, "username": offline.username},
            "records": [born],
            "photos": [],
        }
    ).encode()
    with app.test_request_context():
        result = imports.import_export(clerk, content, app.config)
        db.session.commit()
    assert [r["status"] for r in result.results] == ["created"]
    [entry] = feed(make, collector, cursor)["households"]
    assert [e["id"] for e in entry["events"]] == [born["id"]]
