"""The paper household form answers a tired clerk in one go: a collector left unchosen is named together
with every other field to fix, in Vietnamese, and nothing is saved."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.review.conftest import sign_in
from tests.review.test_paper_household import household, pad  # noqa: F401  (pad is a fixture)

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_no_collector_and_a_bad_date_are_named_together(client, make, pad):  # noqa: F811
    _collector, codes = pad
    csrf = sign_in(client, make)
    nobody = SimpleNamespace(id="")  # the form's "—"
    response = household(client, csrf, nobody, codes[0], **{"d:members.0.date_of_birth": "31/02/1980"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="collector-err"' in html and "Hãy chọn cán bộ thu thập của địa bàn." in html
    assert "Ngày 31 không hợp lệ: tháng 2 năm 1980 có 29 ngày" in html
    assert "collector;" not in html and "collector." not in html  # the field named in words, not its key
    assert db.session.scalars(select(Record)).first() is None
