"""Adding a field to a form is one change in one place: the phone's definition, the office record editor
and the register keying form all show it."""

from dataclasses import replace

import pytest

from fieldapp.records.forms import FORMS, Field
from fieldapp.records.models import RecordType
from tests.review.conftest import sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def nickname(monkeypatch):
    """One new line in fieldapp/records/forms.py: the child's other name."""
    sections = list(FORMS[RecordType.BIRTH])
    child = next(i for i, s in enumerate(sections) if s.fields[0].path.startswith("child."))
    added = Field("child.other_name", "Tên gọi khác (thử)")
    sections[child] = replace(sections[child], fields=(*sections[child].fields, added))
    monkeypatch.setitem(FORMS, RecordType.BIRTH, tuple(sections))
    return added


def test_a_field_added_to_the_definition_is_on_all_three_forms(client, make, office, nickname):
    token = office.collector_token
    reference = make.client.get("/api/v1/forms", headers=make.headers(token)).get_json()
    phone = [f for s in reference["forms"]["birth"] for f in s["fields"]]
    assert {
        "path": "child.other_name",
        "label": {"vi": "Tên gọi khác (thử)", "en": "Tên gọi khác (thử)"},
        "kind": "text",
    } in phone

    record_id = office.push("birth")
    csrf = sign_in(client, make)
    editor = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert 'name="f:child.other_name"' in editor and "Tên gọi khác (thử)" in editor

    client.post(
        "/review/books", data={"csrf_token": csrf, "type": "birth", "year": "1985", "book_number": "01"}
    )
    keying = client.get("/review/books/1").get_data(as_text=True)
    assert 'name="d:child.other_name"' in keying and "Tên gọi khác (thử)" in keying


def test_without_the_line_none_of_them_has_it(client, make, office):
    reference = make.client.get("/api/v1/forms", headers=make.headers(office.collector_token)).get_json()
    assert "child.other_name" not in {f["path"] for s in reference["forms"]["birth"] for f in s["fields"]}
    record_id = office.push("birth")
    sign_in(client, make)
    assert "f:child.other_name" not in client.get(f"/review/records/{record_id}").get_data(as_text=True)


def test_the_phone_gets_every_form_with_english_labels(client, make, office):
    reference = make.client.get("/api/v1/forms", headers=make.headers(office.collector_token)).get_json()
    assert set(reference["forms"]) == {"household", "birth", "death", "marriage"}
    members = next(s for s in reference["forms"]["household"] if s.get("repeat") == "members")
    name = next(f for f in members["fields"] if f["path"] == "members.*.full_name")
    assert name["label"] == {"vi": "Họ, chữ đệm và tên", "en": "Full name"} and name["required"]
    sex = next(f for f in members["fields"] if f["path"] == "members.*.sex")
    assert sex["choices"] == [["male", {"vi": "Nam", "en": "Male"}], ["female", {"vi": "Nữ", "en": "Female"}]]
