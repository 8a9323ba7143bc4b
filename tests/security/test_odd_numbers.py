"""Finding 7 of issue 17: digits that are not 0-9, and numbers too long to read, are refusals, not 500s."""

import pytest
from sqlalchemy import select, update

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.review.models import RegisterEntry
from tests.review.conftest import sign_in
from tests.review.test_books import book_id, entry, new_book
from tests.support.builders import item

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

SUPERSCRIPT_TWO = "²"  # isdigit() is True, int() raises
ARABIC_THREE = "٣"  # isdigit() is True, int() reads 3
HUGE = "9" * 5000  # past Python's 4,300-digit limit for int()


@pytest.mark.parametrize(
    "path",
    [
        f"/review/?collector={SUPERSCRIPT_TWO}",
        f"/review/export.csv?collector={SUPERSCRIPT_TWO}",
        f"/review/?collector={ARABIC_THREE}",
    ],
)
def test_queue_filters_with_odd_digits_are_ignored(client, make, path):
    sign_in(client, make)
    response = client.get(path)
    assert response.status_code == 200


def test_a_book_page_number_in_odd_digits_shows_the_first_page(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    response = client.get(f"/review/books/{book_id()}?page={SUPERSCRIPT_TWO}")
    assert response.status_code == 200


def test_a_pad_number_in_odd_digits_is_not_found(client, make):
    sign_in(client, make)
    response = client.get(f"/receipts/pad.pdf?pad={SUPERSCRIPT_TWO}")
    assert response.status_code == 404


def test_an_indicator_year_in_odd_digits_is_a_bad_request(client, make):
    sign_in(client, make, Role.MANAGER, "38")
    assert client.get(f"/progress/indicators?year={SUPERSCRIPT_TWO}").status_code == 400


def test_a_target_amount_in_odd_digits_is_refused_with_the_rule(client, make):
    csrf = sign_in(client, make, Role.MANAGER, "38")
    form = {"csrf_token": csrf, "kind": "commune", "code": "14845", "deadline": "2026-12-31"}
    response = client.post("/progress/targets", data={**form, "amount": SUPERSCRIPT_TWO})
    assert response.status_code == 422
    assert "số nguyên dương" in response.get_data(as_text=True)


def test_an_entry_number_in_odd_digits_is_refused_at_input(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    response = entry(client, csrf, book_id(), 1, SUPERSCRIPT_TWO, "Lò Thị Ún")
    assert response.status_code == 422
    assert "chữ số 0-9" in response.get_data(as_text=True)
    assert db.session.scalar(select(RegisterEntry.id)) is None


def test_a_book_whose_last_entry_has_odd_digits_still_opens(client, make):
    """Data stored before the input rule: the page renders, it just cannot suggest the next number."""
    csrf = sign_in(client, make)
    new_book(client, csrf)
    book = book_id()
    assert entry(client, csrf, book, 1, "7", "Lò Thị Ún").status_code == 302
    db.session.execute(update(RegisterEntry).values(entry_number=SUPERSCRIPT_TWO))
    db.session.commit()
    response = client.get(f"/review/books/{book}")
    assert response.status_code == 200
    assert SUPERSCRIPT_TWO in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/sync/push"])
def test_a_json_number_of_5000_digits_is_a_clear_400(client, make, path, caplog):
    body = '{"username": "a", "password": "b", "device_name": "c", "records": [], "n": ' + HUGE + "}"
    headers = make.headers(make.collector_token(), **{"Content-Type": "application/json"})
    response = client.post(path, data=body, headers=headers)
    assert response.status_code == 400
    assert "số quá dài" in response.get_json()["message"]
    assert "Traceback" not in caplog.text


def test_a_5000_digit_number_inside_a_record_is_a_clear_400(client, make):
    record = item()
    body = '{"records": [' + str(record).replace("'", '"')[:-1] + ', "base_version": ' + HUGE + "}]}"
    response = client.post(
        "/api/v1/sync/push",
        data=body,
        headers=make.headers(make.collector_token(), **{"Content-Type": "application/json"}),
    )
    assert response.status_code == 400


def test_malformed_json_is_answered_in_vietnamese(client):
    response = client.post("/api/v1/auth/token", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["message"] == "Dữ liệu gửi lên không phải JSON hợp lệ."


def test_a_5000_digit_number_in_the_pad_form_json_is_refused(client, make):
    token = make.collector_token()
    response = client.post(
        "/receipts/pad",
        data='{"collector_id": ' + HUGE + ', "size": 2}',
        headers=make.headers(token, **{"Content-Type": "application/json"}),
    )
    assert 400 <= response.status_code < 500
