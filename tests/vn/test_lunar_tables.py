"""The lunar tables against an independent calendar computed from an ephemeris, for every month
of the supported range (lunar years 1850-2199), and against vnlunar's own UTC+7 algorithm."""

import datetime

import pytest
import vnlunar

from fieldapp.vn.dates import (
    MAX_LUNAR_YEAR,
    MIN_YEAR,
    NEAR_MIDNIGHT,
    lunar_month_length,
    lunar_to_solar,
    solar_to_lunar,
)
from tests.vn.lunar_reference import lunar_year

YEARS = range(MIN_YEAR, MAX_LUNAR_YEAR + 1)
# The tables and the ephemeris may name different first days only this close to midnight.
CLOSE_TO_MIDNIGHT = datetime.timedelta(minutes=20)


def our_months(year: int) -> list[tuple[int, bool, datetime.date]]:
    months = []
    for month in range(1, 13):
        for leap in (False, True):
            first = lunar_to_solar(year, month, 1, leap)
            if first is not None:
                months.append((month, leap, first))
    return sorted(months, key=lambda m: m[2])


@pytest.fixture(scope="module")
def disagreements() -> dict[tuple[int, int], datetime.timedelta]:
    """(lunar year, month) -> how far from midnight its new moon fell, for every month that differs."""
    found = {}
    for year in YEARS:
        reference = lunar_year(year)
        ours = our_months(year)
        assert [(m.month, m.leap) for m in reference] == [(m, leap) for m, leap, _ in ours], year
        for ref, (month, _, first) in zip(reference, ours, strict=True):
            if ref.day != first:
                assert abs((ref.day - first).days) == 1, (year, month)
                found[(year, month)] = ref.midnight_gap
    return found


def test_every_month_agrees_with_the_ephemeris_but_the_documented_ones(disagreements) -> None:
    assert set(disagreements) == NEAR_MIDNIGHT


def test_documented_disagreements_are_new_moons_at_midnight(disagreements) -> None:
    assert all(gap < CLOSE_TO_MIDNIGHT for gap in disagreements.values()), disagreements


def test_tet_at_suu_1925_is_24_january() -> None:
    assert lunar_to_solar(1925, 1, 1) == datetime.date(1925, 1, 24)
    assert solar_to_lunar(datetime.date(1925, 1, 24)).isoformat() == "1925-01-01"
    assert solar_to_lunar(datetime.date(1925, 1, 23)).isoformat() == "1924-12-29"
    assert lunar_month_length(1924, 12) == 29
    assert lunar_month_length(1925, 1) == 30
    assert lunar_to_solar(1925, 1, 30) == datetime.date(1925, 2, 22)
    assert lunar_to_solar(1924, 12, 30) is None


def test_months_follow_each_other_with_29_or_30_days() -> None:
    previous_end = None
    for year in YEARS:
        for month, leap, first in our_months(year):
            length = lunar_month_length(year, month, leap)
            assert length in (29, 30), (year, month, leap)
            if previous_end is not None:
                assert first == previous_end, (year, month)
            previous_end = first + datetime.timedelta(days=length)


def test_every_day_converts_both_ways() -> None:
    day, last = datetime.date(1850, 3, 1), datetime.date(2199, 12, 31)
    while day <= last:
        lunar = solar_to_lunar(day)
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap_month) == day
        day += datetime.timedelta(days=1)


ALGORITHM_DIFFERS = {(2054, 4), (2072, 11), (2077, 10), (2130, 4), (2150, 5), (2159, 4), (2175, 1), (2199, 1)}


def test_tables_equal_vnlunar_utc7_algorithm_1968_2050_then_differ_at_midnight() -> None:
    differ = set()
    for year in range(1968, MAX_LUNAR_YEAR + 1):
        for month, leap, first in our_months(year):
            computed = vnlunar.convert_lunar_to_solar(1, month, year, int(leap), 7.0)
            if datetime.date(computed[2], computed[1], computed[0]) != first:
                differ.add((year, month))
    assert differ == ALGORITHM_DIFFERS
    gaps = {(m.year, m.month): m.midnight_gap for y in {y for y, _ in differ} for m in lunar_year(y)}
    assert all(gaps[month] < datetime.timedelta(minutes=3) for month in differ)
