"""Returning a record from the office page: the clerk ticks the documents the household must bring."""

import pytest
from werkzeug.datastructures import MultiDict

from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.review.conftest import sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def return_form(csrf, *documents, comment="Thiếu giấy khai sinh của con thứ hai"):
    fields = [("csrf_token", csrf), ("action", "return"), ("version", "1"), ("comment", comment)]
    return MultiDict(fields + [("documents", kind) for kind in documents])


def test_the_return_form_offers_the_fixed_list(client, make, office):
    record_id = office.push()
    sign_in(client, make)
    html = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert 'name="documents" value="birth_certificate"' in html
    assert "Giấy khai sinh" in html and "Giấy xác nhận thông tin về cư trú" in html


def test_ticked_documents_are_kept_with_the_returned_record(client, make, office):
    record_id = office.push()
    csrf = sign_in(client, make)
    form = return_form(csrf, "personal_id", "birth_certificate")
    response = client.post(f"/review/records/{record_id}/action", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    record = db.session.get(Record, record_id)
    assert record.state.value == "returned"
    assert record.missing_documents == ["personal_id", "birth_certificate"]
    public = client.get(f"/r/{record.receipt_code}").get_data(as_text=True)
    assert "Thẻ căn cước hoặc căn cước công dân" in public
    assert "con thứ hai" not in public
    office_page = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert "Hộ gia đình được yêu cầu mang: Thẻ căn cước hoặc căn cước công dân; Giấy khai sinh" in office_page


def test_a_forged_kind_is_refused_and_the_ticks_stay_on_the_form(client, make, office):
    record_id = office.push()
    csrf = sign_in(client, make)
    response = client.post(
        f"/review/records/{record_id}/action", data=return_form(csrf, "residence", "ten-cua-ba-Pang")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Loại giấy tờ không có trong danh sách" in html
    assert 'value="residence" checked' in html
    db.session.expire_all()
    assert db.session.get(Record, record_id).state.value == "submitted"
