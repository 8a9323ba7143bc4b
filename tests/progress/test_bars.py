"""The progress bars and the daily pace as a manager reads them: numbers in each bar's name, no bar
where there is no target, whole records a day."""

import re
from datetime import timedelta

import pytest

from fieldapp.progress import services
from fieldapp.progress.counters import local_day
from fieldapp.progress.models import AreaKind, Measure
from tests.progress.helpers import add_count, sign_in
from tests.support.builders import MUONG_LAT, TRUNG_LY

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
VI = {"Accept-Language": "vi"}


@pytest.fixture
def province_page(client, make) -> str:
    """Mường Lát: 18,125 collected (42 verified) of 32,736 due in 26 days; Trung Lý: 5, no target."""
    collector = make.user("collector", MUONG_LAT)
    today = local_day()
    add_count(today - timedelta(days=3), MUONG_LAT, collector.id, Measure.COLLECTED, 18_125)
    add_count(today, MUONG_LAT, collector.id, Measure.VERIFIED, 42)
    add_count(today, TRUNG_LY, collector.id, Measure.COLLECTED, 5)
    services.set_target(AreaKind.COMMUNE, MUONG_LAT, 32_736, today + timedelta(days=25), None)
    from fieldapp.extensions import db

    db.session.commit()
    sign_in(client, make.user("manager", "38"))
    return client.get("/progress/", headers=VI).get_data(as_text=True)


def unit_row(html: str, name: str) -> str:
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    (row,) = [r for r in rows if f">{name}</a>" in r]
    return row


def test_a_bar_is_named_with_its_numbers(province_page):
    row = unit_row(province_page, "Xã Mường Lát")
    (label,) = re.findall(r'<svg[^>]*class="bar"[^>]*aria-label="([^"]+)"', row)
    assert label == "Đã thu thập: 18.125 / 32.736 (55,4%); Đã đối chiếu: 42; Đã chuyển vào hệ thống: 0"


def test_a_unit_without_a_target_shows_its_counts_and_no_bar(province_page):
    row = unit_row(province_page, "Xã Trung Lý")
    assert 'class="bar"' not in row
    assert ">5<" in row  # collected, in the "done" column
    assert "Chưa giao chỉ tiêu" in row


def test_the_pace_needed_is_in_whole_records_rounded_up(province_page):
    row = unit_row(province_page, "Xã Mường Lát")
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert "562" in cells  # 14,611 still to do in 26 days: 561.96 a day, so 562 records (561 fall short)
    assert not any(re.fullmatch(r"56\d,\d", cell) for cell in cells)
