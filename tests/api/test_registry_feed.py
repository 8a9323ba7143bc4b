"""The registry feed: whose households a caller gets, in what shape, by pages, compressed."""

import gzip
import json

import brotli
import pytest

from fieldapp.accounts.models import Role
from tests.support.builders import (
    HA_NOI_COMMUNE,
    MUONG_LAT,
    TRUNG_LY,
    birth_data,
    household_data,
    item,
    person,
)


def households(make, token, cursor="0", **query):
    response = make.registry(token, cursor, **query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ids_of(page):
    return [h["id"] for h in page["households"]]


def in_village(village, name="Giàng A Páo", commune=None):
    data = household_data(commune, village=village) if commune else household_data(village=village)
    data["members"][0]["full_name"] = name
    return item("household", data=data)


def test_a_collector_gets_every_household_of_their_commune_and_none_of_another(make):
    mine, colleagues, elsewhere = (
        item("household"),
        item("household"),
        item("household", data=household_data(TRUNG_LY)),
    )
    token = make.collector_token()
    make.push(token, [mine])
    make.push(make.collector_token(), [colleagues])
    make.push(make.collector_token(TRUNG_LY), [elsewhere])
    page = households(make, token)
    assert sorted(ids_of(page)) == sorted([mine["id"], colleagues["id"]])
    assert page["total"] == 2 and page["more"] is False


def test_province_staff_get_every_commune_of_their_province_and_no_other(make):
    here, there = item("household"), item("household", data=household_data(TRUNG_LY))
    hanoi = item("household", data=household_data(HA_NOI_COMMUNE))
    make.push(make.collector_token(), [here])
    make.push(make.collector_token(TRUNG_LY), [there])
    make.push(make.collector_token(HA_NOI_COMMUNE), [hanoi])
    for role in (Role.MANAGER, Role.CLERK):
        page = households(make, make.token(make.user(role, "38")))
        assert sorted(ids_of(page)) == sorted([here["id"], there["id"]])


def test_a_collector_assigned_villages_gets_only_those_villages(make):
    toong, lat, other = in_village("Bản Pù Toong"), in_village("Bản Lát"), in_village("Bản Ón")
    make.push(make.collector_token(), [toong, lat, other])
    # typed as an administrator might: other case, no diacritics, stray spaces
    assigned = make.user(Role.COLLECTOR, villages=["ban  pu toong ", "BẢN LÁT"])
    page = households(make, make.token(assigned))
    assert sorted(ids_of(page)) == sorted([toong["id"], lat["id"]])
    assert page["total"] == 2


def test_the_shape_is_minimal_and_says_whose_record_it_is(make):
    collector = make.user(Role.COLLECTOR)
    token = make.token(collector)
    data = household_data(address="Số 4, đường bản")
    data["members"][1].update(status="moved", date_of_birth="1983-02", dob_calendar="lunar")
    data["members"][2].pop("personal_id")
    data["members"][2]["nationality"] = "LA"  # a child of Lao nationality: kept through a phone's update
    record = item("household", data=data)
    [result] = make.push(token, [record]).get_json()["results"]
    [own] = households(make, token)["households"]
    assert own == {
        "id": record["id"],
        "version": 1,
        "state": "submitted",
        "commune_code": MUONG_LAT,
        "village": "Bản Pù Toong",
        "address": "Số 4, đường bản",
        "receipt_code": result["receipt_code"],
        "mine": True,
        "editable": True,
        "members": [
            {"name": "Giàng A Páo", "sex": "male", "dob": "1980-03-15", "pid": "038080001234", "eth": "08",
             "rel": "head"},
            {"name": "Vàng Thị Mua", "sex": "female", "dob": "1983-02", "cal": "lunar", "pid": "038183004321",
             "eth": "08", "rel": "spouse", "status": "moved"},
            {"name": "Giàng A Dế", "sex": "male", "dob": "2010-09-02", "eth": "08", "nat": "LA",
             "rel": "child"},
        ],
    }  # fmt: skip
    [theirs] = households(make, make.collector_token())["households"]
    assert "mine" not in theirs and "editable" not in theirs  # read-only on a colleague's phone


def test_a_verified_household_is_no_longer_editable_by_its_collector(make, office_token):
    token = make.collector_token()
    record = item("household")
    make.push(token, [record])
    for action in ("start", "verify"):
        make.client.post(
            f"/api/v1/records/{record['id']}/review",
            json={"action": action},
            headers=make.headers(office_token),
        )
    [entry] = households(make, token)["households"]
    assert entry["state"] == "verified" and entry["mine"] is True and "editable" not in entry


@pytest.fixture
def office_token(make):
    return make.token(make.user(Role.CLERK))


def test_events_of_the_household_come_with_it(make):
    token = make.collector_token()
    home = item("household")
    born = item("birth", data=birth_data(household_id=home["id"]))
    died = item("death")
    died["data"].update(household_id=home["id"], date_of_death="2021-10", dod_calendar="lunar")
    make.push(token, [home, born, died])
    [entry] = households(make, token)["households"]
    assert entry["events"] == [  # oldest first
        {"id": died["id"], "type": "death", "state": "submitted", "name": "Sùng A Chứ", "date": "2021-10",
         "cal": "lunar"},
        {"id": born["id"], "type": "birth", "state": "submitted", "name": "Lò Thị Ún", "date": "2023-05-20"},
    ]  # fmt: skip


def test_an_event_of_another_commune_is_not_shown_with_a_household(make):
    home = item("household")
    make.push(make.collector_token(), [home])
    province_collector = make.token(make.user(Role.COLLECTOR, "38"))
    elsewhere = item("birth", data=birth_data(TRUNG_LY, household_id=home["id"]))
    assert make.push(province_collector, [elsewhere]).get_json()["results"][0]["status"] == "created"
    [entry] = households(make, make.collector_token())["households"]
    assert "events" not in entry
    [seen_by_province] = households(make, province_collector)["households"]
    assert [e["id"] for e in seen_by_province["events"]] == [elsewhere["id"]]


def test_pages_of_limit_households_until_more_is_false(make):
    token = make.collector_token()
    pushed = [in_village("Bản Pù Toong", name=f"Giàng A Páo {n}") for n in range(5)]
    make.push(token, pushed)
    first = households(make, token, limit=2)
    second = households(make, token, first["cursor"], limit=2)
    third = households(make, token, second["cursor"], limit=2)
    assert [len(p["households"]) for p in (first, second, third)] == [2, 2, 1]
    assert [p["more"] for p in (first, second, third)] == [True, True, False]
    assert first["total"] == 5 and "total" not in second and "total" not in third
    assert sorted(ids_of(first) + ids_of(second) + ids_of(third)) == sorted(h["id"] for h in pushed)
    assert households(make, token, third["cursor"]) == {
        "households": [],
        "cursor": third["cursor"],
        "more": False,
    }


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("identity", None)],
)
def test_the_answer_is_compressed_as_the_phone_accepts(make, accept, encoding):
    token = make.collector_token()
    make.push(token, [item("household")])
    response = make.client.get(
        "/api/v1/sync/registry", headers=make.headers(token, **{"Accept-Encoding": accept})
    )
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    raw = response.get_data()
    plain = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda b: b}[encoding](raw)
    assert json.loads(plain)["households"][0]["members"][0]["name"] == "Giàng A Páo"


def test_an_administrator_without_an_area_is_told_why_there_is_nothing(make):
    response = make.registry(make.token(make.user(Role.ADMIN, None)))
    assert response.status_code == 403
    assert "địa bàn" in response.get_json()["message"]


@pytest.mark.parametrize(
    "query", [{"cursor": "abc"}, {"limit": "0"}, {"limit": "1001"}, {"cursor": "1" * 19}]
)
def test_a_bad_cursor_or_limit_is_a_clear_422(make, query):
    response = make.registry(make.collector_token(), **query)
    assert response.status_code == 422


def test_no_token_no_registry(make):
    assert make.client.get("/api/v1/sync/registry").status_code == 401


def test_the_openapi_document_describes_the_feed(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/sync/registry"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"cursor", "limit"}
    household = spec["components"]["schemas"]["RegistryHousehold"]["properties"]
    assert {"id", "gone", "version", "members", "events", "editable"} <= set(household)
    assert "status" in spec["components"]["schemas"]["RegistryMember"]["properties"]


def test_a_pushed_member_status_and_door_check_are_kept(make):
    token = make.collector_token()
    data = household_data()
    data["members"][2]["status"] = "died"
    match = item("household")["id"]
    data["door_check"] = {"matches": [match.upper()], "decision": "existing", "chosen": match}
    record = item("household", data=data)
    assert make.push(token, [record]).get_json()["results"][0]["status"] == "created"
    stored = make.client.get(f"/api/v1/records/{record['id']}", headers=make.headers(token)).get_json()
    assert stored["data"]["door_check"] == {"matches": [match], "decision": "existing", "chosen": match}
    assert stored["data"]["members"][2]["status"] == "died"


@pytest.mark.parametrize(
    ("door_check", "field"),
    [
        ({"decision": "existing"}, "data.door_check.chosen"),
        ({"decision": "maybe"}, "data.door_check.decision"),
        ({"decision": "new", "matches": ["not-a-uuid"]}, "data.door_check.matches.0"),
        ({"decision": "new", "matches": [item()["id"] for _ in range(21)]}, "data.door_check.matches"),
    ],
)
def test_a_bad_door_check_is_refused_with_the_field_named(make, door_check, field):
    record = item("household", data=household_data(door_check=door_check))
    [result] = make.push(make.collector_token(), [record]).get_json()["results"]
    assert result["status"] == "invalid"
    assert field in result["errors"]


def test_a_bad_member_status_or_household_id_is_refused(make):
    data = household_data()
    data["members"][0]["status"] = "away"
    born = item("birth", data=birth_data(household_id="hộ-số-1"))
    results = make.push(make.collector_token(), [item("household", data=data), born]).get_json()["results"]
    assert "data.members.0.status" in results[0]["errors"]
    assert "data.household_id" in results[1]["errors"]


def test_a_member_present_is_not_stored_as_such(make):
    token = make.collector_token()
    data = household_data(members=[{**person(), "relationship": "head", "status": "present"}])
    record = item("household", data=data)
    make.push(token, [record])
    [entry] = households(make, token)["households"]
    assert "status" not in entry["members"][0]


def test_a_cursor_from_before_a_restore_starts_a_full_download_marked_reset(make):
    token = make.collector_token()
    home = item("household")
    make.push(token, [home])
    page = households(make, token, "999999")
    assert page["reset"] is True and page["total"] == 1
    assert ids_of(page) == [home["id"]]
    assert "reset" not in households(make, token, page["cursor"])
