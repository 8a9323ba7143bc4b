"""The register inventory form as a tired clerk fills it: blanks and letters are refused by the field's
name (never its internal key), and the list names each commune, not its code."""

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.review.models import RegisterBook
from tests.review.conftest import sign_in
from tests.review.test_books import new_book

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_a_book_number_of_spaces_is_refused(client, make):
    csrf = sign_in(client, make)
    response = new_book(client, csrf, book_number="   ")
    assert response.status_code == 422
    assert "Quyển số: Bắt buộc nhập." in response.get_data(as_text=True)
    assert db.session.scalars(select(RegisterBook)).first() is None


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("year", "hai nghìn", "Năm: "),
        ("entries_total", "abc", "Số mục trong sổ: "),
        ("pages_total", "x", "Số trang: "),
    ],
)
def test_letters_in_a_number_are_refused_by_the_fields_name(client, make, field, typed, said):
    csrf = sign_in(client, make)
    response = new_book(client, csrf, **{field: typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert said in html and f"{field}:" not in html


def test_the_inventory_names_the_commune(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    html = client.get("/review/books").get_data(as_text=True)
    assert "Xã Mường Lát" in html and "<td>14845</td>" not in html
