"""Keying a register entry: names typed without diacritics, digit dates, carried values, the next number,
today's count against the quota, and a refused entry that keeps what was typed and names the field."""

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.progress.models import Period, Quota
from fieldapp.records.models import Record
from fieldapp.review.models import RegisterBook
from tests.review.conftest import sign_in
from tests.review.test_books import book_id, entry, new_book

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
JSON = {"Accept": "application/json"}


def keyed(client, csrf, number, **extra):
    fields = {
        "d:register.registered_on": "02031998",
        "d:register.official": "Lò Văn Minh",
        "d:child.date_of_birth": "15021998",
        "d:child.ethnicity": "thai",
        **extra,
    }
    return entry(client, csrf, book_id(), 2, number, "Lò Thị Ún", **fields)


def test_names_without_diacritics_and_digit_dates_are_stored_as_codes_and_dates(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    extra = {
        "d:mother.date_of_birth": "031970",
        "d:mother.dob_calendar": "lunar",
        "d:mother.ethnicity": "hmong",
    }
    assert keyed(client, csrf, "1", **extra).status_code == 302
    data = db.session.scalars(select(Record)).one().data
    assert data["child"]["ethnicity"] == "03" and data["mother"]["ethnicity"] == "08"
    assert data["child"]["date_of_birth"] == "1998-02-15"
    assert data["mother"]["date_of_birth"] == "1970-03" and data["mother"]["dob_calendar"] == "lunar"
    assert data["register"]["registered_on"] == "1998-03-02"
    assert data["register"]["official"] == "Lò Văn Minh"


def test_the_next_entry_carries_the_repeated_values_and_suggests_the_number(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    keyed(client, csrf, "7")
    html = client.get(f"/review/books/{book_id()}?page=2").get_data(as_text=True)
    assert 'id="entry_number" name="entry_number" value="8"' in html
    assert 'value="Bản Lát"' in html and 'value="Lò Văn Minh"' in html and 'value="02031998"' in html
    assert "Lò Thị Ún" in html  # the entries keyed so far
    assert 'name="d:child.full_name" value=""' in html  # the person is not carried


def test_a_refused_entry_keeps_what_was_typed_and_names_the_field(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    response = keyed(client, csrf, "1", **{"d:child.ethnicity": "xyz", "d:father.full_name": "Lò Văn Pản"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Chưa lưu: 1 trường cần sửa: Dân tộc (Người được khai sinh)" in html
    assert "Không có “xyz” trong danh mục Dân tộc" in html
    assert 'value="xyz"' in html and 'value="Lò Văn Pản"' in html and 'value="15021998"' in html
    assert db.session.scalars(select(Record)).all() == []


def test_the_keying_page_saves_in_the_background_and_answers_in_json(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    form = {"csrf_token": csrf, "page": "2", "entry_number": "1", "d:village": "Bản Lát"}
    form |= {"d:child.full_name": "Lò Thị Ún", "d:child.sex": "female", "d:child.date_of_birth": "1998"}
    refused = client.post(f"/review/books/{book_id()}/entries", data=form, headers=JSON)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"child.ethnicity": ["Bắt buộc nhập."]}
    saved = client.post(
        f"/review/books/{book_id()}/entries", data=form | {"d:child.ethnicity": "Thái"}, headers=JSON
    )
    answer = saved.get_json()
    assert saved.status_code == 200 and answer["next_entry"] == "2"
    assert answer["message"] == "Đã lưu số 1." and answer["row"]["name"] == "Lò Thị Ún"
    assert "Hôm nay: 1 mục" in answer["today"] and "Đã nhập 1 / 4 mục" in answer["progress"]


def test_today_counts_against_the_daily_quota(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    html = client.get(f"/review/books/{book_id()}").get_data(as_text=True)
    assert "Hôm nay: 0 mục (chưa giao định mức)" in html
    creator = db.session.get(RegisterBook, book_id()).created_by_id
    db.session.add(Quota(user_id=creator, period=Period.DAY, amount=120, updated_by_id=creator))
    db.session.commit()
    keyed(client, csrf, "1")
    assert "Hôm nay: 1 / 120 mục" in client.get(f"/review/books/{book_id()}").get_data(as_text=True)
