"""Finding 2 of issue 17: a photo's hash is not a key to it.

A clerk of commune B who learns the hash of a photo from commune A (hashes appear in URLs and logs)
pushes a record naming it: the record is refused, and the photo stays out of B's reach. The upload
status answer says nothing about files other users sent.
"""

import hashlib
import re

import pytest
from flask import g
from sqlalchemy import func, select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordAttachment
from tests.support.builders import MUONG_LAT, PASSWORD, TRUNG_LY, household_data, item

PHOTO = b"\xff\xd8\xff\xe0" + b"giay-khai-sinh-cua-ba-A" * 200 + b"\xff\xd9"
SHA = hashlib.sha256(PHOTO).hexdigest()
NEVER_SENT = hashlib.sha256(b"never sent").hexdigest()


def upload(client, make, token, body=PHOTO, sha=SHA, **headers):
    return client.put(
        f"/api/v1/attachments/{sha}",
        data=body,
        headers=make.headers(token, **{"Content-Type": "image/jpeg", **headers}),
    )


def status(client, make, token, sha=SHA):
    return client.get(f"/api/v1/attachments/{sha}", headers=make.headers(token))


def push_naming(make, token, commune, *shas):
    record = item(data=household_data(commune), attachments=list(shas))
    return record["id"], make.push(token, [record]).get_json()["results"][0]


def web_login(client, user):
    g.pop("csrf_token", None)
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": csrf}
    )
    assert response.status_code == 302
    g.pop("csrf_token", None)


@pytest.fixture
def commune_a(client, make):
    """A collector of commune A who uploaded a document photo and pushed the record naming it."""
    token = make.token(make.user(Role.COLLECTOR, MUONG_LAT))
    assert upload(client, make, token).status_code == 201
    record_id, result = push_naming(make, token, MUONG_LAT, SHA)
    assert result["status"] == "created"
    return token, record_id


def test_a_clerk_of_another_commune_cannot_claim_a_photo_by_its_hash(client, make, commune_a):
    clerk_b = make.user(Role.CLERK, TRUNG_LY)
    record_id, result = push_naming(make, make.token(clerk_b), TRUNG_LY, SHA)
    assert result["status"] == "invalid"
    assert "chưa được tải lên từ tài khoản này" in result["errors"]["attachments"][0]
    assert db.session.get(Record, record_id) is None
    web_login(client, clerk_b)
    assert client.get(f"/review/attachments/{SHA}").status_code == 404


def test_the_owners_clerk_still_sees_the_photo(client, make, commune_a):
    web_login(client, make.user(Role.CLERK, MUONG_LAT))
    response = client.get(f"/review/attachments/{SHA}")
    assert response.status_code == 200 and response.data == PHOTO


def test_the_upload_status_does_not_tell_whether_someone_else_sent_a_file(client, make, commune_a):
    stranger = make.token(make.user(Role.COLLECTOR, TRUNG_LY))
    theirs, unknown = status(client, make, stranger), status(client, make, stranger, NEVER_SENT)
    assert theirs.status_code == unknown.status_code == 404
    assert {**theirs.get_json(), "sha256": ""} == {**unknown.get_json(), "sha256": ""}
    own_token, _ = commune_a
    assert status(client, make, own_token).get_json()["complete"] is True


def test_a_part_sent_by_someone_else_is_answered_like_a_new_file(client, make, commune_a):
    """No 416 "the server already has N bytes" and no "200 already had it": both would confirm the file."""
    stranger = make.token(make.user(Role.COLLECTOR, TRUNG_LY))
    half = len(PHOTO) // 2
    first = upload(
        client, make, stranger, PHOTO[:half], **{"Content-Range": f"bytes 0-{half - 1}/{len(PHOTO)}"}
    )
    assert first.status_code == 202 and first.get_json()["received"] == half
    _, result = push_naming(make, stranger, TRUNG_LY, SHA)
    assert result["status"] == "invalid"  # half a file proves nothing


def test_whoever_sends_the_whole_file_may_attach_it(client, make, commune_a):
    """Holding every byte is the proof: the same photo taken by two collectors is no leak."""
    other = make.token(make.user(Role.COLLECTOR, TRUNG_LY))
    assert upload(client, make, other).status_code == 201
    _, result = push_naming(make, other, TRUNG_LY, SHA)
    assert result["status"] == "created"


def test_bytes_that_do_not_hash_to_the_name_give_no_claim(client, make, commune_a):
    other = make.token(make.user(Role.COLLECTOR, TRUNG_LY))
    assert upload(client, make, other, PHOTO[:-1] + b"\x00").status_code == 422
    _, result = push_naming(make, other, TRUNG_LY, SHA)
    assert result["status"] == "invalid"


def test_a_clerk_may_name_a_photo_of_a_record_in_their_own_commune(make, commune_a):
    _, result = push_naming(make, make.token(make.user(Role.CLERK, MUONG_LAT)), MUONG_LAT, SHA)
    assert result["status"] == "created"


def test_a_hash_nobody_sent_is_refused_and_the_rest_of_the_batch_goes_on(make):
    token = make.token(make.user(Role.COLLECTOR, MUONG_LAT))
    bad = item(attachments=[NEVER_SENT])
    good = item()
    results = make.push(token, [bad, good]).get_json()["results"]
    assert [r["status"] for r in results] == ["invalid", "created"]
    assert db.session.scalar(select(func.count()).select_from(RecordAttachment)) == 0


def test_an_interrupted_upload_of_ones_own_photo_still_resumes(client, make):
    token = make.token(make.user(Role.COLLECTOR, MUONG_LAT))
    half, total = len(PHOTO) // 2, len(PHOTO)
    upload(client, make, token, PHOTO[:half], **{"Content-Range": f"bytes 0-{half - 1}/{total}"})
    held = status(client, make, token)
    assert held.status_code == 200 and held.get_json()["received"] == half
    rest = upload(client, make, token, PHOTO[half:], **{"Content-Range": f"bytes {half}-{total - 1}/{total}"})
    assert rest.status_code == 201
    _, result = push_naming(make, token, MUONG_LAT, SHA)
    assert result["status"] == "created"
