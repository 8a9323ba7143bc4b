"""Limits and malformed requests: always a clear 4xx JSON answer, never a 500."""

import gzip
import json

import pytest

from tests.support.builders import item

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def auth(make):
    return make.headers(make.collector_token())


def post(client, auth, body: bytes, **headers):
    return client.post(
        "/api/v1/sync/push", data=body, headers={**auth, "Content-Type": "application/json", **headers}
    )


def test_malformed_json_is_a_400_json_error(client, auth):
    response = post(client, auth, b'{"records": [')
    assert response.status_code == 400
    assert response.is_json and response.get_json()["message"]


def test_a_batch_over_the_limit_is_413(client, auth, app):
    app.config["PUSH_MAX_RECORDS"] = 3
    response = client.post("/api/v1/sync/push", json={"records": [item() for _ in range(4)]}, headers=auth)
    assert response.status_code == 413
    assert "3" in response.get_json()["message"]


def test_a_body_over_the_limit_is_413(client, auth, app):
    app.config["PUSH_MAX_BYTES"] = 2000
    body = json.dumps({"records": [item() for _ in range(5)]}).encode()
    assert post(client, auth, body).status_code == 413


def test_gzip_bodies_are_accepted(client, auth):
    body = gzip.compress(json.dumps({"records": [item()]}).encode())
    response = post(client, auth, body, **{"Content-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.get_json()["results"][0]["status"] == "created"


def test_broken_gzip_is_400(client, auth):
    assert post(client, auth, b"\x1f\x8b\x08garbage", **{"Content-Encoding": "gzip"}).status_code == 400


def test_a_gzip_bomb_is_413_not_a_memory_blowup(client, auth):
    bomb = gzip.compress(b" " * (20 * 1024 * 1024))
    assert post(client, auth, bomb, **{"Content-Encoding": "gzip"}).status_code == 413


def test_missing_or_wrong_records_field_is_422(client, auth):
    assert post(client, auth, b"{}").status_code == 422
    response = post(client, auth, b'{"records": "nope"}')
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"records": ["Phải là một danh sách."]}


def test_unknown_routes_and_methods_are_json_under_the_api(client, auth):
    assert client.get("/api/v1/nothing", headers=auth).status_code == 404
    response = client.delete("/api/v1/sync/push", headers=auth)
    assert response.status_code == 405 and response.is_json
