"""A field's name as the office shows it in history, duplicates and refusals: a date's calendar and
leap-month keys are named as such, not as a second copy of the date."""

import pytest

from fieldapp.records.forms import label_of
from fieldapp.records.models import RecordType

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # labels need a request
BORN = "Ngày, tháng, năm sinh"


@pytest.mark.parametrize(
    ("kind", "path", "label"),
    [
        (RecordType.HOUSEHOLD, "members.0.date_of_birth", f"Thành viên 1 · {BORN}"),
        (RecordType.HOUSEHOLD, "members.0.dob_calendar", f"Thành viên 1 · {BORN} · lịch"),
        (RecordType.BIRTH, "mother.dob_calendar", f"{BORN} · lịch (Mẹ)"),
        (RecordType.DEATH, "dod_leap_month", "Ngày, tháng, năm mất · tháng nhuận"),
    ],
)
def test_a_dates_calendar_key_is_named_apart_from_the_date(app, kind, path, label):
    with app.test_request_context():
        assert label_of(kind, path) == label
