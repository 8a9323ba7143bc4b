"""Register books: inventory, one scan per page, keyed entries becoming records that flow through review."""

import io

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record, Source
from fieldapp.review.models import RegisterBook, RegisterPage
from tests.review.conftest import sign_in
from tests.support.builders import THANH_HOA, TRUNG_LY

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
PNG = b"\x89PNG\r\n\x1a\n" + b"scan-of-page-3" * 20


def new_book(client, csrf, **fields):
    form = {
        "csrf_token": csrf,
        "type": "birth",
        "year": "1998",
        "book_number": "01",
        "entries_total": "4",
        **fields,
    }
    return client.post("/review/books", data=form)


def book_id():
    return db.session.scalars(select(RegisterBook.id)).one()


def entry(client, csrf, book, page, number, name, **extra):
    form = {
        "csrf_token": csrf,
        "page": str(page),
        "entry_number": number,
        "d:village": "Bản Lát",
        "d:child.full_name": name,
        "d:child.sex": "female",
        "d:child.date_of_birth": "1998-02-03",
        "d:child.ethnicity": "03",
        "d:mother.full_name": "Hà Thị Pâng",
        **extra,
    }
    return client.post(f"/review/books/{book}/entries", data=form)


def scan(client, csrf, book, page):
    form = {"csrf_token": csrf, "page": str(page), "scan": (io.BytesIO(PNG), "trang3.png", "image/png")}
    return client.post(f"/review/books/{book}/pages", data=form, content_type="multipart/form-data")


def test_clerk_adds_a_book_to_the_inventory(client, make):
    csrf = sign_in(client, make)
    assert new_book(client, csrf).status_code == 302
    html = client.get("/review/books").get_data(as_text=True)
    assert "Sổ đăng ký khai sinh" in html and "1998" in html
    assert new_book(client, csrf).status_code == 409  # the same book twice


def test_keyed_entries_become_records_in_review_with_the_page_scan(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    book = book_id()
    assert scan(client, csrf, book, 3).status_code == 302
    assert entry(client, csrf, book, 3, "1", "Lò Thị Ún").status_code == 302
    assert entry(client, csrf, book, 3, "2", "Lò Văn Pản").status_code == 302
    assert db.session.scalar(select(RegisterPage.sha256)) is not None  # one scan, two entries
    records = db.session.scalars(select(Record).order_by(Record.subject_name)).all()
    assert [r.subject_name for r in records] == ["Lò Thị Ún", "Lò Văn Pản"]
    assert {r.source for r in records} == {Source.REGISTER}
    assert records[0].data["register"] == {
        "book_number": "01",
        "book_year": 1998,
        "page": 3,
        "entry_number": "1",
    }
    assert "Lò Thị Ún" in client.get("/review/").get_data(as_text=True)
    page = client.get(f"/review/records/{records[0].id}").get_data(as_text=True)
    assert "Trang 3 sổ hộ tịch" in page
    sha = db.session.scalar(select(RegisterPage.sha256))
    served = client.get(f"/review/attachments/{sha}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    progress = client.get(f"/review/books/{book}").get_data(as_text=True)
    assert "Đã nhập 2 / 4 mục (50%)" in progress


def test_entry_with_an_error_is_not_stored_and_says_why(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    response = entry(client, csrf, book_id(), 1, "1", "Lò Thị Ún", **{"d:child.date_of_birth": "1998-02-31"})
    assert response.status_code == 422
    assert db.session.scalars(select(Record)).all() == []


def test_an_entry_number_is_keyed_once(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    entry(client, csrf, book_id(), 1, "1", "Lò Thị Ún")
    response = entry(client, csrf, book_id(), 1, "1", "Lò Văn Pản")
    assert response.status_code == 422
    assert "đã được nhập" in response.get_data(as_text=True)


def test_books_are_scoped_and_managers_only_read(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    book = book_id()
    other = make.client
    sign_in(other, make, Role.CLERK, TRUNG_LY)
    assert other.get(f"/review/books/{book}").status_code == 404
    manager = make.app.test_client()
    manager_csrf = sign_in(manager, make, Role.MANAGER, THANH_HOA)
    assert manager.get(f"/review/books/{book}").status_code == 200
    assert entry(manager, manager_csrf, book, 1, "1", "Lò Thị Ún").status_code == 403


def test_book_can_be_marked_complete(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    client.post(f"/review/books/{book_id()}/complete", data={"csrf_token": csrf, "complete": "1"})
    db.session.expire_all()
    assert db.session.get(RegisterBook, book_id()).complete is True
