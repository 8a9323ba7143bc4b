"""Reading records back: area scoping, folded search, units, health, the OpenAPI document."""

from fieldapp.accounts.models import Role
from tests.support.builders import TRUNG_LY, household_data, item, person


def test_search_finds_a_name_typed_without_diacritics(client, make):
    token = make.collector_token()
    data = household_data(members=[{**person(full_name="Nguyễn Văn Ánh"), "relationship": "head"}])
    make.push(token, [item("household", data=data), item("household")])
    found = client.get("/api/v1/records?q=nguyen van anh", headers=make.headers(token)).get_json()["records"]
    assert [r["subject_name"] for r in found] == ["Nguyễn Văn Ánh"]


def test_search_by_personal_id_and_receipt_code(client, make):
    token = make.collector_token()
    [result] = make.push(token, [item("household")]).get_json()["results"]
    by_id = client.get("/api/v1/records?q=038080001234", headers=make.headers(token)).get_json()["records"]
    by_code = client.get(
        f"/api/v1/records?q={result['receipt_code'][:5]}-{result['receipt_code'][5:]}",
        headers=make.headers(token),
    ).get_json()["records"]
    assert len(by_id) == 1 and len(by_code) == 1


def test_a_clerk_sees_their_commune_only(client, make):
    mine, theirs = item("household"), item("household", data=household_data(TRUNG_LY))
    make.push(make.collector_token(), [mine])
    make.push(make.collector_token(TRUNG_LY), [theirs])
    clerk = make.headers(make.token(make.user(Role.CLERK)))
    listed = client.get("/api/v1/records", headers=clerk).get_json()["records"]
    assert [r["id"] for r in listed] == [mine["id"]]
    assert client.get(f"/api/v1/records/{theirs['id']}", headers=clerk).status_code == 404
    assert client.get(f"/api/v1/records/{mine['id']}", headers=clerk).status_code == 200


def test_a_collector_sees_only_their_own_records(client, make):
    mine = item("household")
    make.push(make.collector_token(), [item("household")])
    token = make.collector_token()
    make.push(token, [mine])
    listed = client.get("/api/v1/records", headers=make.headers(token)).get_json()["records"]
    assert [r["id"] for r in listed] == [mine["id"]]


def test_a_province_manager_sees_every_commune_of_the_province(client, make):
    make.push(make.collector_token(), [item("household")])
    make.push(make.collector_token(TRUNG_LY), [item("household", data=household_data(TRUNG_LY))])
    manager = make.headers(make.token(make.user(Role.MANAGER, "38")))
    assert len(client.get("/api/v1/records", headers=manager).get_json()["records"]) == 2


def test_records_page_with_a_cursor(client, make, app):
    app.config["API_PAGE_SIZE"] = 2
    token = make.collector_token()
    make.push(token, [item("household") for _ in range(3)])
    first = client.get("/api/v1/records", headers=make.headers(token)).get_json()
    second = client.get(f"/api/v1/records?before={first['next']}", headers=make.headers(token)).get_json()
    ids = [r["id"] for r in first["records"] + second["records"]]
    assert len(ids) == 3 and len(set(ids)) == 3 and second["next"] is None


def test_units_provinces_and_communes(client, make):
    auth = make.headers(make.collector_token())
    provinces = client.get("/api/v1/units", headers=auth).get_json()["units"]
    assert len(provinces) == 34
    assert {"code": "38", "name": "Tỉnh Thanh Hóa"}.items() <= next(
        p for p in provinces if p["code"] == "38"
    ).items()
    assert len(client.get("/api/v1/units?parent=38", headers=auth).get_json()["units"]) == 166


def test_reference_data_for_offline_forms(client, make):
    body = client.get("/api/v1/reference", headers=make.headers(make.collector_token())).get_json()
    assert [c["code"] for c in body["communes"]] == ["14845"]
    assert len(body["ethnic_groups"]) == 56
    assert body["ethnic_groups"][0] == {"code": "01", "name": "Kinh", "name_en": "Kinh"}
    assert body["ethnic_groups"][-2:] == [
        {"code": "55", "name": "Người nước ngoài", "name_en": "Foreign national"},
        {"code": "00", "name": "Không xác định", "name_en": "Not known"},
    ]
    assert body["nationalities"][0] == {"code": "VN", "name": "Việt Nam"}


def test_health(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_the_openapi_document_describes_the_contract(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    for path in (
        "/api/v1/auth/token",
        "/api/v1/sync/push",
        "/api/v1/sync/pull",
        "/api/v1/attachments/{sha256}",
        "/api/v1/records",
        "/api/v1/records/{record_id}",
        "/api/v1/units",
    ):
        assert path in doc["paths"]
    assert "HouseholdData" in doc["components"]["schemas"]
    assert doc["paths"]["/api/v1/auth/token"]["post"]["security"] == []
