"""Office date inputs are dd/mm/yyyy text read by one parser (fieldapp.vn.dates.parse_day): a good day
filters or saves, a day that does not exist is refused by name, in Vietnamese, never a 500."""

from pathlib import Path

import pytest

from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.review.conftest import sign_in
from tests.review.test_queue import birth
from tests.support.builders import item

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def two_days(office) -> None:
    """Giàng A Páo captured on 20/11/2025, Hà Thị Pâng on 05/12/2025."""
    office.push("household")
    late = item("birth", data=birth("Hà Thị Pâng"), captured_at="2025-12-05T09:00:00+07:00")
    office.make.push(office.collector_token, [late])


@pytest.mark.parametrize("since", ["01/12/2025", "01122025", "1.12.2025"])
def test_queue_filters_on_a_day_typed_the_vietnamese_way(client, make, office, since):
    two_days(office)
    sign_in(client, make)
    response = client.get("/review/", query_string={"from": since, "to": "31/12/2025", "state": "all"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hà Thị Pâng" in html and "Giàng A Páo" not in html
    assert 'value="01/12/2025"' in html  # shown back as the clerk reads it, not 2025-12-01


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31/02/2024", "Ngày 31 không hợp lệ: tháng 2 năm 2024 có 29 ngày"),
        ("hôm qua", "không đúng dạng ngày/tháng/năm"),
        ("12/2025", "không đúng dạng ngày/tháng/năm"),
    ],
)
def test_queue_names_a_bad_day_instead_of_ignoring_it(client, make, office, typed, reason):
    two_days(office)
    sign_in(client, make)
    response = client.get("/review/", query_string={"from": typed, "state": "all"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert reason in html
    assert f'value="{typed}"' in html and 'aria-describedby="day-from-hint day-from-err"' in html
    assert "Giàng A Páo" not in html  # no list filtered by a day the clerk did not mean
    assert "/review/export." not in html  # nor an export without it


def test_no_office_page_uses_the_browsers_date_input(client):
    """<input type=date> shows mm/dd/yyyy under an English Windows; clerks read and type dd/mm/yyyy."""
    pages = {str(p.relative_to(TEMPLATES)): p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.html")}
    offenders = [name for name, text in pages.items() if 'type="date"' in text or "type=date" in text]
    assert offenders == []


def transfer(client, record_id, csrf, day):
    form = {
        "csrf_token": csrf,
        "action": "transfer",
        "version": str(db.session.get(Record, record_id).version),
        "registration_number": "45/2025",
        "registration_date": day,
    }
    return client.post(f"/review/records/{record_id}/action", data=form)


def verified(office) -> str:
    record_id = office.push("household")
    token = office.staff_token()
    for action in ("start", "verify"):
        assert office.review(token, record_id, action).status_code == 200
    return record_id


def test_transfer_takes_the_registration_day_as_ddmmyyyy(client, make, office):
    record_id = verified(office)
    csrf = sign_in(client, make)
    page = client.get(f"/review/records/{record_id}").get_data(as_text=True)
    assert 'name="registration_date"' in page and 'type="date"' not in page
    assert transfer(client, record_id, csrf, "02/12/2025").status_code == 302
    db.session.expire_all()
    assert db.session.get(Record, record_id).registration_date.isoformat() == "2025-12-02"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [("31/02/2025", "tháng 2 năm 2025 có 28 ngày"), ("01/01/2099", "không thể ở sau hôm nay")],
)
def test_transfer_refuses_a_day_that_cannot_be(client, make, office, typed, reason):
    record_id = verified(office)
    csrf = sign_in(client, make)
    response = transfer(client, record_id, csrf, typed)
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Record, record_id).state.value == "verified"
