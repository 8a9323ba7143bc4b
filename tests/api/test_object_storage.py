"""Photos and scans in an S3-compatible bucket, over real HTTP: what the local folder does, across servers."""

import hashlib

import boto3
import pytest

from fieldapp import create_app
from fieldapp.files import file_store
from fieldapp.files.stores import object_key
from fieldapp.ops.backup import create_backup
from fieldapp.ops.restore import restore_backup
from fieldapp.sync.attachments import partial_name
from tests.review.conftest import sign_in
from tests.support.builders import item
from tests.support.s3 import new_bucket

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"
SHA = hashlib.sha256(JPEG).hexdigest()


@pytest.fixture
def app_config(app_config, s3_config):
    app_config.update(s3_config)
    return app_config


@pytest.fixture
def bucket(app_config):
    name, prefix = app_config["FILE_STORAGE"].removeprefix("s3://").split("/", 1)
    client = boto3.client("s3", endpoint_url=app_config["S3_ENDPOINT_URL"], region_name="us-east-1")

    def keys() -> list[str]:
        listed = client.list_objects_v2(Bucket=name, Prefix=prefix + "/").get("Contents", [])
        return sorted(entry["Key"].removeprefix(prefix + "/") for entry in listed)

    def read(key: str) -> bytes:
        return client.get_object(Bucket=name, Key=f"{prefix}/{key}")["Body"].read()

    return type("Bucket", (), {"keys": staticmethod(keys), "read": staticmethod(read)})


def another_server(app, config, **overrides):
    """A second app on the same database, as a second app server would be (built in a request context:
    the API document's lazy Vietnamese strings need one)."""
    with app.test_request_context():
        return create_app({**config, **overrides})


def put(client, headers, body, start=None, total=None):
    extra = {"Content-Type": "image/jpeg"}
    if start is not None:
        extra["Content-Range"] = f"bytes {start}-{start + len(body) - 1}/{total}"
    return client.put(f"/api/v1/attachments/{SHA}", data=body, headers={**headers, **extra})


def test_an_upload_lands_in_the_bucket_and_nowhere_else(client, make, bucket, app_config, tmp_path):
    headers = make.headers(make.collector_token())
    assert put(client, headers, JPEG).status_code == 201
    assert put(client, headers, JPEG).status_code == 200
    assert bucket.keys() == [object_key(SHA)]
    assert bucket.read(object_key(SHA)) == JPEG
    assert not (tmp_path / "uploads" / "objects").exists()


def test_an_upload_cut_on_one_server_resumes_on_another(app, client, make, bucket, app_config, tmp_path):
    """Two app servers share only the database and the bucket, not a folder."""
    second = another_server(app, app_config, UPLOAD_DIR=str(tmp_path / "server-2"))
    collector = make.user()
    headers = make.headers(make.token(collector))
    half = len(JPEG) // 2
    assert put(client, headers, JPEG[:half], 0, len(JPEG)).status_code == 202
    assert bucket.keys() == [f"partial/{partial_name(SHA, collector.id)}/{0:012d}"]  # the uploader's own
    with second.test_client() as other:
        assert other.get(f"/api/v1/attachments/{SHA}", headers=headers).get_json()["received"] == half
        assert put(other, headers, JPEG[:half], 0, len(JPEG)).status_code == 416
        assert put(other, headers, JPEG[half:], half, len(JPEG)).status_code == 201
    assert bucket.keys() == [object_key(SHA)]
    assert bucket.read(object_key(SHA)) == JPEG


def test_a_clerk_sees_a_photo_from_the_bucket_through_another_server(app, make, app_config, tmp_path):
    collector_token = make.collector_token()
    headers = make.headers(collector_token)
    assert put(make.client, headers, JPEG).status_code == 201
    pushed = make.push(collector_token, [item("household", attachments=[SHA])]).get_json()
    assert pushed["results"][0]["status"] == "created"
    second = another_server(app, app_config, UPLOAD_DIR=str(tmp_path / "server-2"))
    with second.app_context(), second.test_client() as browser:
        sign_in(browser, make)
        response = browser.get(f"/review/attachments/{SHA}")
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg"
        assert response.get_data() == JPEG
        assert response.headers["ETag"] == f'"{SHA}"'
        assert (
            browser.get(f"/review/attachments/{SHA}", headers={"If-None-Match": f'"{SHA}"'}).status_code
            == 304
        )


def test_bytes_that_do_not_match_leave_nothing_in_the_bucket(client, make, bucket):
    headers = make.headers(make.collector_token())
    response = put(client, headers, JPEG[:-1] + b"\x00")
    assert response.status_code == 422
    assert bucket.keys() == []


def test_an_unreachable_bucket_is_a_clear_507_and_nothing_is_half_written(app, make, bucket, app_config):
    headers = make.headers(make.collector_token())
    broken = another_server(app, app_config, S3_ENDPOINT_URL="http://127.0.0.1:9")  # nothing listens
    with broken.test_client() as other:
        response = put(other, headers, JPEG)
    assert response.status_code == 507
    assert "không ghi được" in response.get_json()["message"]
    assert bucket.keys() == []


def test_backup_and_restore_carry_the_bucket(app, client, make, app_config, s3_endpoint, tmp_path, backend):
    headers = make.headers(make.collector_token())
    assert put(client, headers, JPEG).status_code == 201
    backup_dir = tmp_path / "backup"
    manifest = create_backup(backup_dir, app_config["SQLALCHEMY_DATABASE_URI"], file_store(app_config))
    assert f"uploads/{object_key(SHA)}" in manifest["files"]
    assert (backup_dir / "uploads" / object_key(SHA)).read_bytes() == JPEG

    fresh = file_store({**app_config, "FILE_STORAGE": f"s3://{new_bucket(s3_endpoint)}/restored"})
    assert list(fresh.object_names()) == []
    from fieldapp.extensions import db

    db.session.remove()
    db.engine.dispose()
    restore_backup(backup_dir, app_config["SQLALCHEMY_DATABASE_URI"], fresh)
    assert list(fresh.object_names()) == [SHA]
    assert b"".join(fresh.object_chunks(SHA)) == JPEG
