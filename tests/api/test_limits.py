"""Limits and malformed requests: always a clear 4xx JSON answer, never a 500."""

import gzip
import io
import json

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

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


class ChunkedBody(io.RawIOBase):
    """A request body of unknown length, read in pieces, that counts how much of it was read."""

    def __init__(self, body: bytes) -> None:
        self.stream = io.BytesIO(body)
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(min(len(buffer), 64 * 1024))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)


def chunked_push(app, auth, body: bytes, **headers):
    """A push as gunicorn hands over a `Transfer-Encoding: chunked` body: no CONTENT_LENGTH, and the
    stream marked terminated (werkzeug's test client always sets a length, so the environ is built here)."""
    environ = EnvironBuilder(
        path="/api/v1/sync/push",
        method="POST",
        headers={**auth, "Content-Type": "application/json", "Transfer-Encoding": "chunked", **headers},
    ).get_environ()
    stream = ChunkedBody(body)
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": io.BufferedReader(stream), "wsgi.input_terminated": True})
    chunks, status, _headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    return int(status.split()[0]), json.loads(b"".join(chunks)), stream


def five_megabyte_push() -> bytes:
    record = item()
    record["data"]["note"] = "x" * (5 * 1024 * 1024)
    return json.dumps({"records": [record]}).encode()


def test_a_chunked_push_over_the_limit_is_413_and_not_read_to_the_end(app, auth):
    status, body, stream = chunked_push(app, auth, five_megabyte_push())
    assert status == 413, body
    assert "quá lớn" in body["message"]
    assert stream.consumed <= app.config["PUSH_MAX_BYTES"] + 128 * 1024


def test_a_chunked_push_within_the_limit_is_stored(app, auth):
    status, body, _ = chunked_push(app, auth, json.dumps({"records": [item()]}).encode())
    assert status == 200
    assert body["results"][0]["status"] == "created"


def test_a_chunked_gzip_push_is_inflated_and_capped(app, auth):
    status, body, _ = chunked_push(
        app, auth, gzip.compress(five_megabyte_push()), **{"Content-Encoding": "gzip"}
    )
    assert status == 413
    small = gzip.compress(json.dumps({"records": [item()]}).encode())
    status, body, _ = chunked_push(app, auth, small, **{"Content-Encoding": "gzip"})
    assert status == 200 and body["results"][0]["status"] == "created"


def test_a_chunked_gzip_bomb_is_413(app, auth):
    bomb = gzip.compress(b" " * (20 * 1024 * 1024))
    status, _, _ = chunked_push(app, auth, bomb, **{"Content-Encoding": "gzip"})
    assert status == 413
