"""Bad input by hand: malformed JSON, huge bodies, deep nesting, invalid UTF-8, gzip bombs, injections."""

import gzip
import re

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.support.builders import household_data, item, person, session_id

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

PUSH = "/api/v1/sync/push"
SQL_NAME = "Lò Văn A'); DROP TABLE records;--"
HTML_NAME = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def headers(make):
    return make.headers(make.collector_token())


def assert_clear_error(response, status: int) -> None:
    assert response.status_code == status
    body = response.get_json()
    assert body["code"] == status and body["message"]


@pytest.mark.parametrize(
    "body",
    [b"{", b'{"records": [', b"null", b"[]", b'"records"', b"{'records': []}", b"\x00\x01\x02"],
    ids=["open-brace", "cut-short", "null", "array", "string", "single-quotes", "binary"],
)
def test_malformed_json_is_a_4xx(client, headers, body):
    response = client.post(PUSH, data=body, headers={**headers, "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500 and response.is_json


def test_invalid_utf8_is_a_400(client, headers):
    body = b'{"records": [{"id": "\xff\xfe\xc3\x28"}]}'
    response = client.post(PUSH, data=body, headers={**headers, "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500 and response.is_json


def test_deep_nesting_is_a_4xx_not_a_crash(client, headers):
    body = b'{"records": [{"data": ' + b"[" * 200_000 + b"]" * 200_000 + b"}]}"
    response = client.post(PUSH, data=body, headers={**headers, "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500 and response.is_json


def test_body_over_the_request_limit_is_413(app, client, headers):
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(PUSH, data=body, headers={**headers, "Content-Type": "application/json"})
    assert_clear_error(response, 413)


def test_push_over_its_own_limit_is_413(app, client, headers):
    body = b'{"records": ["' + b"x" * app.config["PUSH_MAX_BYTES"] + b'"]}'
    response = client.post(PUSH, data=body, headers={**headers, "Content-Type": "application/json"})
    assert_clear_error(response, 413)


def test_gzip_bomb_is_413(client, headers):
    bomb = gzip.compress(b'{"records": ["' + b"0" * (64 * 1024 * 1024) + b'"]}')
    assert len(bomb) < 100_000
    response = client.post(
        PUSH, data=bomb, headers={**headers, "Content-Type": "application/json", "Content-Encoding": "gzip"}
    )
    assert response.status_code == 413 and response.is_json


def test_broken_gzip_is_400(client, headers):
    response = client.post(
        PUSH,
        data=b"\x1f\x8b\x08\x00garbage",
        headers={**headers, "Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert response.status_code == 400 and response.is_json


def test_malformed_page_cursor_is_a_400_not_a_500(client, headers):
    """Regression (found by schemathesis): a bad `before` cursor crashed the records list."""
    assert_clear_error(client.get("/api/v1/records?before=SG", headers=headers), 422)
    impossible = "2025-02-30 10:00:00|" + "0" * 8 + "-0000-4000-8000-" + "0" * 12
    response = client.get("/api/v1/records", query_string={"before": impossible}, headers=headers)
    assert_clear_error(response, 400)
    assert response.get_json()["message"] == "Con trỏ trang không hợp lệ."


@pytest.mark.parametrize("name", [SQL_NAME, HTML_NAME], ids=["sql", "html"])
def test_injection_in_a_name_is_stored_as_typed(client, make, headers, name):
    data = household_data(members=[{**person(full_name=name), "relationship": "head"}])
    response = make.push(headers["Authorization"].split()[1], [item("household", data=data)])
    result = response.get_json()["results"][0]
    assert result["status"] == "created", result
    stored = client.get(f"/api/v1/records/{result['id']}", headers=headers).get_json()
    assert stored["data"]["members"][0]["full_name"] == name
    assert db.session.scalar(select(func.count()).select_from(Record)) == 1  # the table is still there
    found = client.get("/api/v1/records", query_string={"q": name[:20]}, headers=headers)
    assert found.status_code == 200


def test_html_in_a_name_is_shown_escaped_on_every_record_page(app, make):
    """Every HTML page of a record (found in the URL map) shows the name as text, never as markup."""
    clerk = make.user("clerk")
    token = make.collector_token()
    data = household_data(members=[{**person(full_name=HTML_NAME), "relationship": "head"}])
    record_id = make.push(token, [item("household", data=data)]).get_json()["results"][0]["id"]
    pages = [
        rule.rule.replace("<record_id>", record_id)
        for rule in app.url_map.iter_rules()
        if set(rule.arguments) == {"record_id"}
        and "GET" in rule.methods
        and not rule.rule.startswith("/api/")
    ]
    if not pages:
        pytest.skip("no HTML record page registered yet")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id(clerk)
    for page in pages:
        response = client.get(page)
        assert response.status_code < 500, page
        html = response.get_data(as_text=True)
        assert "<script>alert" not in html and not re.search(r"<img[^>]*onerror", html), page
        if response.status_code == 200 and response.mimetype == "text/html":
            assert "&lt;script&gt;" in html, page


def test_deep_nesting_gets_a_clear_message(client, headers):
    """Regression: JSON nested 200,000 levels deep raised RecursionError, answered as a 500."""
    body = b'{"records": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    response = client.post(PUSH, data=body, headers={**headers, "Content-Type": "application/json"})
    assert_clear_error(response, 400)
    assert response.get_json()["message"] == "Dữ liệu lồng nhau quá sâu."
