"""The hint under a date names only the keys that date takes: "n" (leap month) only where there is a
leap-month box."""

import re

import pytest

from tests.review.conftest import sign_in
from tests.review.test_books import book_id, new_book

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def hint(html: str, field_id: str) -> str:
    return re.search(rf'id="{field_id}-hint">([^<]*)<', html).group(1)


def test_a_date_without_a_leap_month_box_does_not_offer_the_n_key(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    html = client.get(f"/review/books/{book_id()}").get_data(as_text=True)
    assert 'id="f-child-date_of_birth-leap"' in html
    assert "n: tháng nhuận" in hint(html, "f-child-date_of_birth")
    assert 'id="f-mother-date_of_birth-leap"' not in html
    assert "Phím a: âm lịch." in hint(html, "f-mother-date_of_birth")
    assert "tháng nhuận" not in hint(html, "f-mother-date_of_birth")
