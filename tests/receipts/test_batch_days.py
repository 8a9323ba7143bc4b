"""The batch print's filter takes days as clerks write them (dd/mm/yyyy), and a bad one comes back on the
form with its reason, in Vietnamese, and everything else that was typed."""

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.jobs.models import Job
from tests.receipts.conftest import push_household, sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def batch_form(client, **fields):
    page = client.get("/receipts/batch").get_data(as_text=True)
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post("/receipts/batch", data={"csrf_token": csrf, "format": "a5", **fields})


def test_batch_print_names_a_bad_day_on_its_own_form(client, make, collector_token, clerk):
    push_household(make, collector_token)
    sign_in(client, clerk)
    response = batch_form(client, village="Bản Pù Toong", date_from="31/02/2024")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ngày 31 không hợp lệ: tháng 2 năm 2024 có 29 ngày" in html
    assert 'value="31/02/2024"' in html and 'value="Bản Pù Toong"' in html  # nothing typed is lost
    assert "date_from:" not in html  # the reason beside the field, not the field's internal name
    assert db.session.scalars(select(Job)).first() is None


def test_batch_print_takes_a_ddmmyyyy_range(client, make, collector_token, clerk):
    push_household(make, collector_token)
    sign_in(client, clerk)
    response = batch_form(client, date_from="20/11/2025", date_to="20112025")
    assert response.status_code == 303
    assert db.session.scalars(select(Job)).one().params["query"]["date_to"] == "20112025"
