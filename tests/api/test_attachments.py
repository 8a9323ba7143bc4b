"""Attachments by SHA-256: idempotent, checked on arrival, resumable."""

import hashlib

import pytest

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"
SHA = hashlib.sha256(JPEG).hexdigest()


@pytest.fixture
def auth(make):
    return make.headers(make.collector_token())


def put(client, auth, body, sha=SHA, content_type="image/jpeg", **headers):
    return client.put(
        f"/api/v1/attachments/{sha}", data=body, headers={**auth, "Content-Type": content_type, **headers}
    )


def test_upload_then_upload_again(client, auth, app):
    first = put(client, auth, JPEG)
    assert first.status_code == 201
    assert first.get_json()["complete"] is True
    assert put(client, auth, JPEG).status_code == 200
    stored = app.config["UPLOAD_DIR"] + f"/objects/{SHA[:2]}/{SHA}"
    with open(stored, "rb") as f:
        assert f.read() == JPEG


def test_bytes_that_do_not_match_the_hash_are_refused(client, auth):
    response = put(client, auth, JPEG[:-1] + b"\x00")
    assert response.status_code == 422
    assert "SHA-256" in response.get_json()["message"]
    assert client.get(f"/api/v1/attachments/{SHA}", headers=auth).get_json()["complete"] is False


def test_content_that_is_not_what_the_type_says_is_refused(client, auth):
    fake = b"MZ\x90\x00 not an image"
    response = put(client, auth, fake, sha=hashlib.sha256(fake).hexdigest())
    assert response.status_code == 415


def test_an_unsupported_type_is_refused(client, auth):
    assert put(client, auth, JPEG, content_type="text/html").status_code == 415


def test_too_large_is_413(client, auth, app):
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    assert put(client, auth, JPEG).status_code == 413


def test_an_interrupted_upload_resumes_where_it_stopped(client, auth):
    total = len(JPEG)
    half = total // 2
    first = put(client, auth, JPEG[:half], **{"Content-Range": f"bytes 0-{half - 1}/{total}"})
    assert first.status_code == 202 and first.get_json()["received"] == half
    # The phone lost the answer and retries from zero: the server says where to resume.
    again = put(client, auth, JPEG[:half], **{"Content-Range": f"bytes 0-{half - 1}/{total}"})
    assert again.status_code == 416
    assert again.headers["Upload-Offset"] == str(half)
    status = client.get(f"/api/v1/attachments/{SHA}", headers=auth).get_json()
    assert status["received"] == half
    rest = put(client, auth, JPEG[half:], **{"Content-Range": f"bytes {half}-{total - 1}/{total}"})
    assert rest.status_code == 201


def test_a_malformed_hash_or_range_is_400(client, auth):
    assert put(client, auth, JPEG, sha="abc").status_code == 400
    assert put(client, auth, JPEG, **{"Content-Range": "bytes=0-10"}).status_code == 400


def test_attachments_need_a_token(client):
    assert client.put(f"/api/v1/attachments/{SHA}", data=JPEG, content_type="image/jpeg").status_code == 401
