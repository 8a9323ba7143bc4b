"""The progress pages: figures in Vietnamese format, drill-down, and area scoping of every view."""

from datetime import date, timedelta

import pytest

from fieldapp.progress import services
from fieldapp.progress.counters import local_day
from fieldapp.progress.models import AreaKind, Measure, Period
from tests.progress.helpers import add_count, sign_in
from tests.support.builders import HA_NOI_COMMUNE, MUONG_LAT, TRUNG_LY

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
VI = {"Accept-Language": "vi"}


@pytest.fixture
def campaign(make):
    """Mường Lát: 18,125 of 32,736 collected, 700 of them in the last 7 days; Trung Lý: no target."""
    collector = make.user("collector", MUONG_LAT, full_name="Giàng A Chứ")
    today = local_day()
    add_count(today - timedelta(days=40), MUONG_LAT, collector.id, Measure.COLLECTED, 17_425)
    add_count(today - timedelta(days=2), MUONG_LAT, collector.id, Measure.COLLECTED, 700)
    add_count(today, MUONG_LAT, collector.id, Measure.VERIFIED, 42)
    add_count(today, TRUNG_LY, collector.id, Measure.COLLECTED, 5)
    services.set_target(AreaKind.COMMUNE, MUONG_LAT, 32_736, today + timedelta(days=25), None)
    services.set_quota(collector, Period.DAY, 100, None)
    from fieldapp.extensions import db

    db.session.commit()
    return collector


def test_manager_sees_done_against_target_in_vietnamese_number_format(client, make, campaign):
    sign_in(client, make.user("manager", "38"))
    html = client.get("/progress/", headers=VI).get_data(as_text=True)
    assert "18.125 / 32.736" in html
    assert "Xã Mường Lát" in html and "Xã Trung Lý" in html
    assert "Chậm tiến độ" in html  # 14,611 left in 26 days at 100 a day


def test_commune_page_shows_pace_projection_and_quota_attainment(client, make, campaign):
    sign_in(client, make.user("manager", "38"))
    html = client.get(f"/progress/area/{MUONG_LAT}", headers=VI).get_data(as_text=True)
    assert "<dd>562</dd>" in html  # pace needed: 14,611 / 26 days = 561.96, in whole records
    assert "100,0 / ngày" in html  # last 7 days: 700 / 7
    assert "Giàng A Chứ" in html
    assert "5 / 100 mỗi ngày" in html  # the quota: 5 collected today (in Trung Lý)


def test_old_district_counts_through_todays_communes(client, make, campaign):
    services.set_target(AreaKind.DISTRICT, "384", 40_000, date(2026, 12, 20), None)
    from fieldapp.extensions import db

    db.session.commit()
    sign_in(client, make.user("manager", "38"))
    html = client.get("/progress/district/384", headers=VI).get_data(as_text=True)
    assert "Huyện Mường Lát" in html
    assert "18.130 / 40.000" in html  # Mường Lát 18,125 + Trung Lý 5


@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_series_per_day_week_and_month(client, make, campaign, period):
    sign_in(client, make.user("manager", "38"))
    response = client.get(f"/progress/area/{MUONG_LAT}?period={period}", headers=VI)
    assert response.status_code == 200
    assert "<svg" in response.get_data(as_text=True)
    assert "style=" not in response.get_data(as_text=True)  # CSP: no inline styles


def test_member_page(client, make, campaign):
    sign_in(client, make.user("clerk", MUONG_LAT))
    html = client.get(f"/progress/member/{campaign.id}", headers=VI).get_data(as_text=True)
    assert "Giàng A Chứ" in html
    assert "18.125" in html  # what the member did in the commune


SCOPED_PATHS = [
    "/progress/area/38",
    f"/progress/area/{TRUNG_LY}",
    "/progress/district/384",
    "/progress/province/38/export.csv",
    f"/progress/commune/{TRUNG_LY}/export.xlsx",
    "/progress/district/384/export.pdf",
    "/progress/country/all/export.csv",
]


@pytest.mark.parametrize("path", SCOPED_PATHS)
def test_a_commune_clerk_sees_nothing_outside_the_commune(client, make, campaign, path):
    sign_in(client, make.user("clerk", MUONG_LAT))
    assert client.get(path).status_code == 404


def test_a_commune_clerk_sees_the_own_commune(client, make, campaign):
    sign_in(client, make.user("clerk", MUONG_LAT))
    html = client.get("/progress/", headers=VI).get_data(as_text=True)
    assert "18.125 / 32.736" in html
    assert client.get(f"/progress/commune/{MUONG_LAT}/export.csv").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/progress/area/01",
        f"/progress/area/{HA_NOI_COMMUNE}",
        f"/progress/commune/{HA_NOI_COMMUNE}/export.csv",
        "/progress/district/001",
        "/progress/indicators?area=01",
        f"/progress/indicators/export.csv?area={HA_NOI_COMMUNE}",
    ],
)
def test_a_province_manager_sees_nothing_of_another_province(client, make, path):
    sign_in(client, make.user("manager", "38"))
    assert client.get(path).status_code == 404


def test_another_provinces_member_is_not_found(client, make, campaign):
    sign_in(client, make.user("manager", "01"))
    assert client.get(f"/progress/member/{campaign.id}").status_code == 404


@pytest.mark.parametrize("path", ["/progress/", "/progress/targets", "/progress/indicators"])
def test_a_collector_is_refused(client, make, path):
    sign_in(client, make.user("collector", MUONG_LAT))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize(
    "path", ["/progress/targets", "/progress/indicators", "/progress/indicators/export.csv"]
)
def test_a_clerk_may_not_manage_targets_or_read_indicators(client, make, path):
    sign_in(client, make.user("clerk", MUONG_LAT))
    assert client.get(path).status_code == 403


def test_signed_out_visitors_go_to_the_login(client):
    response = client.get("/progress/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_administrator_without_area_sees_every_province(client, make, campaign):
    sign_in(client, make.user("admin", None))
    html = client.get("/progress/", headers=VI).get_data(as_text=True)
    assert "Tỉnh Thanh Hóa" in html
    assert client.get("/progress/area/01").status_code == 200
