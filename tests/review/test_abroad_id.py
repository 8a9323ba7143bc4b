"""A 12-digit ID whose first three digits are no province (a birth registered abroad) is saved, and the
office forms say so beside the field, in Vietnamese, linked to it for screen readers."""

import json
import re

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.review.conftest import sign_in
from tests.review.test_books import book_id, entry, new_book
from tests.support.builders import household_data, person

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
#: a man born in 1980 whose birth was registered abroad: "999" is no province code
ABROAD = "999080001234"
WARNING = "Mã 999 ở đầu số định danh không phải mã tỉnh"


def head_with(personal_id: str) -> dict:
    return household_data(members=[{**person(personal_id=personal_id), "relationship": "head"}])


def warning_of(html: str, field_id: str) -> str | None:
    """The text of the field's warning, if the input names it in aria-describedby."""
    described = re.search(rf'id="{field_id}"[^>]*aria-describedby="([^"]*)"', html, re.S)
    if described is None or f"{field_id}-warn" not in described.group(1).split():
        return None
    return re.search(rf'id="{field_id}-warn">([^<]*)<', html).group(1)


def test_the_record_editor_shows_the_warning_beside_the_id(client, make, office):
    record_id = office.push("household", data=head_with(ABROAD))
    sign_in(client, make)
    html = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert WARNING in warning_of(html, "f-members-0-personal_id")
    assert warning_of(html, "f-members-1-personal_id") is None  # 038…: Thanh Hóa, nothing to say


def test_an_abroad_id_typed_by_the_clerk_is_saved_and_then_pointed_out(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    form = {"csrf_token": csrf, "version": "1", "f:members.0.personal_id": "999 080 001 234"}
    assert client.post(f"/review/records/{record_id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Record, record_id).data["members"][0]["personal_id"] == ABROAD
    html = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert WARNING in warning_of(html, "f-members-0-personal_id")


def test_a_verified_record_shows_the_warning_in_its_read_only_view(client, make, office):
    record_id = office.push("household", data=head_with(ABROAD))
    token = office.staff_token()
    for action in ("start", "verify"):
        office.review(token, record_id, action)
    sign_in(client, make)
    html = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert 'class="field-warning"' in html and WARNING in html


def test_keying_saves_an_abroad_id_and_says_so_in_its_answer(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    answer = client.post(
        f"/review/books/{book_id()}/entries",
        data={
            "csrf_token": csrf,
            "page": "1",
            "entry_number": "1",
            "d:village": "Bản Lát",
            "d:child.full_name": "Lò Thị Ún",
            "d:child.sex": "female",
            "d:child.date_of_birth": "03021998",
            "d:child.ethnicity": "thai",
            "d:child.personal_id": "999198001234",
            "d:mother.full_name": "Hà Thị Pâng",
        },
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200
    message = answer.get_json()["message"]
    assert message.startswith("Đã lưu số 1.") and "Số định danh cá nhân" in message and WARNING in message
    assert db.session.scalars(select(Record)).one().data["child"]["personal_id"] == "999198001234"


def test_a_refused_keyed_entry_keeps_the_warning_beside_the_typed_id(client, make):
    csrf = sign_in(client, make)
    new_book(client, csrf)
    extra = {"d:child.personal_id": "999198001234", "d:child.date_of_birth": "31021998"}
    response = entry(client, csrf, book_id(), 1, "1", "Lò Thị Ún", **extra)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert WARNING in warning_of(html, "f-child-personal_id")


def test_every_id_input_carries_the_warning_to_show_as_the_clerk_types(client, make, office):
    record_id = office.push("household")
    sign_in(client, make)
    html = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    inputs = re.findall(r'<input id="f-members-\d-personal_id"[^>]*>', html)
    assert len(inputs) == 3
    assert all('data-abroad="Lưu ý: Mã {code} ở đầu số định danh' in tag for tag in inputs)
    lists = json.loads(re.search(r'id="choice-lists">([^<]*)<', html).group(1))
    assert ["038", "Thanh Hóa"] in lists["personal_id"] and "999" not in dict(lists["personal_id"])
