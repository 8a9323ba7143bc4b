"""The office import of a phone's export file: same push rules, the clerk's own area only."""

import base64
import hashlib
import io
import json
import re

import pytest

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.field import imports
from fieldapp.jobs.queue import run_queued_jobs
from fieldapp.records.models import Record, Source
from tests.support.builders import HA_NOI_COMMUNE, PASSWORD, TRUNG_LY, item

JPEG = b"\xff\xd8\xff\xe0" + b"fieldapp-test-photo" * 20


@pytest.fixture
def request_ctx(app):
    """The service speaks to the clerk (messages in the request's language): run it inside a request."""
    with app.test_request_context():
        yield


def export_file(collector, records, photos=(JPEG,)) -> bytes:
    return json.dumps(
        {
            "format": "fieldapp-outbox",
            "version": 1,
            "collector": {"id": collector.id, "username": collector.username},
            "records": records,
            "photos": [
                {
                    "sha256": hashlib.sha256(p).hexdigest(),
                    "type": "image/jpeg",
                    "data": base64.b64encode(p).decode(),
                }
                for p in photos
            ],
        }
    ).encode()


def sign_in(client, user) -> None:
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": user.username, "password": PASSWORD, "csrf_token": token}
    client.post("/login", data=form)


def upload(client, content: bytes):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/field/import").text).group(1)
    return client.post(
        "/field/import",
        data={"csrf_token": token, "file": (io.BytesIO(content), "hotich.json")},
        content_type="multipart/form-data",
    )


def test_importing_twice_stores_each_record_once(app, make, request_ctx) -> None:
    collector, clerk = make.user(Role.COLLECTOR), make.user(Role.CLERK)
    sha = hashlib.sha256(JPEG).hexdigest()
    content = export_file(collector, [item(attachments=[sha]), item("birth")])
    first = imports.import_export(clerk, content, app.config)
    second = imports.import_export(clerk, content, app.config)
    db.session.commit()
    assert [r["status"] for r in first.results] == ["created", "created"]
    assert [r["status"] for r in second.results] == ["duplicate", "duplicate"]
    assert first.photos_stored == 1
    records = db.session.query(Record).all()
    assert len(records) == 2
    assert {(r.source, r.captured_by_id) for r in records} == {(Source.IMPORT, collector.id)}


def test_a_clerk_imports_only_for_collectors_of_their_commune(app, make, request_ctx) -> None:
    collector = make.user(Role.COLLECTOR)
    other_clerk = make.user(Role.CLERK, TRUNG_LY)
    with pytest.raises(imports.ImportRefused, match="không thuộc một cán bộ thu thập trong địa bàn"):
        imports.import_export(other_clerk, export_file(collector, [item()]), app.config)
    assert db.session.query(Record).count() == 0


def test_a_file_naming_someone_else_is_refused(app, make, request_ctx) -> None:
    collector, clerk = make.user(Role.COLLECTOR), make.user(Role.CLERK)
    content = json.loads(export_file(collector, [item()]))
    content["collector"]["username"] = "someone-else"
    with pytest.raises(imports.ImportRefused):
        imports.import_export(clerk, json.dumps(content).encode(), app.config)


def test_bad_records_and_photos_are_reported_and_the_rest_imported(app, make, request_ctx) -> None:
    collector, clerk = make.user(Role.COLLECTOR), make.user(Role.CLERK)
    bad = item(data={"commune_code": HA_NOI_COMMUNE, "village": "x", "members": []})
    content = json.loads(export_file(collector, [item(), bad]))
    content["photos"][0]["sha256"] = "0" * 64
    result = imports.import_export(clerk, json.dumps(content).encode(), app.config)
    assert [r["status"] for r in result.results] == ["created", "invalid"]
    assert result.photo_errors and result.photos_stored == 0


def imported(app, client, answer) -> str:
    """The import runs as a background job: run it, then read its page."""
    assert answer.status_code == 303, answer.text
    assert run_queued_jobs(app) == 1
    return client.get(answer.headers["Location"]).text


def test_import_page_shows_the_counts(app, client, make) -> None:
    collector, clerk = make.user(Role.COLLECTOR), make.user(Role.CLERK)
    sign_in(client, clerk)
    page = imported(app, client, upload(client, export_file(collector, [item(), item()])))
    assert 'data-count="created">2<' in page
    again = imported(app, client, upload(client, export_file(collector, [item()])))
    assert 'data-count="created">1<' in again


def test_the_import_page_names_what_went_wrong_in_words(app, client, make) -> None:
    collector, clerk = make.user(Role.COLLECTOR), make.user(Role.CLERK)
    sign_in(client, clerk)
    bad = item(data={"commune_code": HA_NOI_COMMUNE, "village": "x", "members": []})
    page = imported(app, client, upload(client, export_file(collector, [item(), bad])))
    assert 'data-count="invalid">1<' in page and "Không hợp lệ" in page
    assert "invalid" not in page.split("import-summary")[1].replace('data-count="invalid"', "")


def test_import_page_refuses_a_file_that_is_not_an_export(client, make) -> None:
    sign_in(client, make.user(Role.CLERK))
    answer = upload(client, b"not json at all")
    assert answer.status_code == 400
    assert "không phải tệp xuất từ ứng dụng thu thập" in answer.text


def test_import_page_is_for_office_staff_only(client, make) -> None:
    sign_in(client, make.user(Role.COLLECTOR))
    assert client.get("/field/import").status_code == 403
