"""A household collected on paper, keyed at the office with the code of the collector's paper pad:
checked by its check symbol, refused when the pad is another collector's or the code is used."""

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.receipts import services as receipts
from fieldapp.records.models import Record, Source
from tests.review.conftest import sign_in
from tests.support.builders import MUONG_LAT

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def household(client, csrf, collector, code, **extra):
    form = {
        "csrf_token": csrf,
        "collector": str(collector.id),
        "d:commune_code": "Mường Lát",
        "d:village": "Bản Pù Toong",
        "d:members.0.relationship": "head",
        "d:members.0.full_name": "Giàng A Páo",
        "d:members.0.sex": "male",
        "d:members.0.date_of_birth": "1980",
        "d:members.0.ethnicity": "hmong",
        "d:members.1.relationship": "",
        "d:members.1.full_name": "",
        "d:receipt_code": code,
        **extra,
    }
    return client.post("/review/households/new", data=form)


@pytest.fixture
def pad(make):
    collector = make.user(Role.COLLECTOR, MUONG_LAT)
    _pad, codes = receipts.allocate_pad(collector, collector, 3)
    db.session.commit()
    return collector, codes


def test_a_paper_household_is_the_collectors_record_with_the_pad_code(client, make, pad):
    collector, codes = pad
    csrf = sign_in(client, make)
    page = client.get("/review/households/new").get_data(as_text=True)
    assert "Mã biên nhận giấy" in page and 'name="d:members.5.full_name"' in page
    response = household(client, csrf, collector, codes[0][:5] + "-" + codes[0][5:].lower())
    assert response.status_code == 302
    record = db.session.scalars(select(Record)).one()
    assert record.receipt_code == codes[0] and record.captured_by_id == collector.id
    assert record.source is Source.IMPORT
    assert [m["full_name"] for m in record.data["members"]] == ["Giàng A Páo"]
    assert record.data["members"][0]["ethnicity"] == "08"


def test_a_mistyped_code_is_caught_by_its_check_symbol(client, make, pad):
    collector, codes = pad
    csrf = sign_in(client, make)
    typo = codes[0][:9] + ("2" if codes[0][9] != "2" else "3")
    response = household(client, csrf, collector, typo)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ký tự kiểm tra không khớp" in html and "Mã biên nhận giấy" in html
    assert 'value="Giàng A Páo"' in html  # what was typed is still there
    assert db.session.scalars(select(Record)).all() == []


def test_another_collectors_pad_or_a_used_code_is_refused(client, make, pad):
    collector, codes = pad
    other = make.user(Role.COLLECTOR, MUONG_LAT)
    csrf = sign_in(client, make)
    refused = household(client, csrf, other, codes[0]).get_data(as_text=True)
    assert "thuộc tập biên nhận giấy của người khác" in refused
    assert household(client, csrf, collector, codes[1]).status_code == 302
    again = household(client, csrf, collector, codes[1], **{"d:members.0.full_name": "Vàng A Sử"})
    assert again.status_code == 422
    assert "đã được dùng cho hồ sơ khác" in again.get_data(as_text=True)
