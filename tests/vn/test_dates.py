"""Partial dates, their rules, and the Vietnamese lunar calendar."""

import datetime

import pytest
import vnlunar

from fieldapp.vn.dates import (
    DateRuleError,
    PartialDate,
    lunar_leap_month,
    lunar_month_length,
    lunar_to_solar,
    parse_day,
    parse_partial_date,
    solar_to_lunar,
)

TODAY = datetime.date(2025, 8, 15)


def parse(text: str, calendar: str = "solar", leap: bool = False) -> PartialDate:
    return parse_partial_date(text, calendar, leap, today=TODAY)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("1990", PartialDate(1990, None, None, "solar"), "year"),
        ("1990-03", PartialDate(1990, 3, None, "solar"), "month"),
        ("1990-3", PartialDate(1990, 3, None, "solar"), "month"),
        ("1990-03-15", PartialDate(1990, 3, 15, "solar"), "day"),
        ("15/03/1990", PartialDate(1990, 3, 15, "solar"), "day"),
        ("5/3/1990", PartialDate(1990, 3, 5, "solar"), "day"),
        ("15.03.1990", PartialDate(1990, 3, 15, "solar"), "day"),
        ("03/1990", PartialDate(1990, 3, None, "solar"), "month"),
        (" 15 / 03 / 1990 ", PartialDate(1990, 3, 15, "solar"), "day"),
    ],
)
def test_formats(text: str, expected: PartialDate, precision: str) -> None:
    value = parse(text)
    assert value == expected
    assert value.precision == precision


def test_isoformat_and_solar() -> None:
    assert parse("1990").isoformat() == "1990"
    assert parse("3/1990").isoformat() == "1990-03"
    assert parse("5/3/1990").isoformat() == "1990-03-05"
    assert parse("5/3/1990").solar() == datetime.date(1990, 3, 5)
    assert parse("1990-03").solar() is None
    assert parse("1990").solar_year() == 1990


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("abc", "định dạng"),
        ("90", "định dạng"),
        ("1990/03/15", "định dạng"),
        ("", "định dạng"),
        ("1849", "1850"),
        ("2026", "2025"),
        ("1990-13", "Tháng 13"),
        ("1990-00", "Tháng 0"),
        ("1990-02-29", "28 ngày"),
        ("1990-04-31", "30 ngày"),
        ("1990-01-00", "Ngày 0"),
        ("2025-08-16", "tương lai"),
        ("2025-09", "tương lai"),
    ],
)
def test_solar_rules(text: str, words: str) -> None:
    with pytest.raises(DateRuleError) as caught:
        parse(text)
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "calendar", "today", "message"),
    [
        ("2025-08-16", "solar", TODAY, "Ngày tháng 16/08/2025 ở tương lai"),
        ("9/2025", "solar", TODAY, "Ngày tháng 09/2025 ở tương lai"),
        ("2025", "lunar", datetime.date(2025, 1, 28), "Ngày tháng 2025 ở tương lai"),
    ],
)
def test_a_future_date_is_said_the_way_paper_writes_it(
    text: str, calendar: str, today: datetime.date, message: str
) -> None:
    with pytest.raises(DateRuleError) as caught:
        parse_partial_date(text, calendar, today=today)
    assert str(caught.value) == message


def test_edges_accepted() -> None:
    assert parse("1850").year == 1850
    assert parse("2000-02-29").day == 29
    assert parse("2025-08-15").solar() == TODAY
    assert parse("2025-08").month == 8
    assert parse("2025").year == 2025


def test_unknown_calendar_and_solar_leap_month_rejected() -> None:
    with pytest.raises(DateRuleError):
        parse("1990", "julian")
    with pytest.raises(DateRuleError, match="âm lịch"):
        parse("1990-03-01", "solar", True)


# --- lunar -------------------------------------------------------------------------------


def test_tet_2024() -> None:
    value = parse("2024-01-01", "lunar")
    assert value.solar() == datetime.date(2024, 2, 10)
    assert value.solar_year() == 2024
    assert solar_to_lunar(datetime.date(2024, 2, 10)) == value


def test_tet_1985_vietnam_differs_from_china() -> None:
    assert lunar_to_solar(1985, 1, 1) == datetime.date(1985, 1, 21)
    # The same date on the Chinese calendar (UTC+8) is a month later.
    assert vnlunar.convert_lunar_to_solar(1, 1, 1985, 0, 8.0) == (20, 2, 1985)
    assert lunar_leap_month(1984) is None
    assert lunar_leap_month(1985) == 2


def test_tet_1968_north_vietnam_utc7() -> None:
    assert lunar_to_solar(1968, 1, 1) == datetime.date(1968, 1, 29)


def test_more_known_dates() -> None:
    assert lunar_to_solar(2025, 1, 1) == datetime.date(2025, 1, 29)
    assert lunar_to_solar(2024, 8, 15) == datetime.date(2024, 9, 17)  # Tết Trung thu
    assert lunar_to_solar(2023, 12, 30) == datetime.date(2024, 2, 9)  # "30 Tết" Giáp Thìn


def test_leap_months() -> None:
    assert lunar_leap_month(2023) == 2
    assert lunar_leap_month(2020) == 4
    assert lunar_leap_month(2025) == 6
    assert lunar_leap_month(2024) is None
    assert lunar_to_solar(2023, 2, 1, leap=True) == datetime.date(2023, 3, 22)
    assert lunar_to_solar(2020, 4, 1, leap=True) == datetime.date(2020, 5, 23)
    value = parse("2023-02-15", "lunar", True)
    assert value.leap_month and value.solar() == datetime.date(2023, 4, 5)


def test_table_matches_utc7_since_1968() -> None:
    """vnlunar's tables agree with its UTC+7 computation for every lunar month 1968-2050."""
    for year in range(1968, 2051):
        for start in vnlunar.get_year_info(year):
            computed = vnlunar.convert_lunar_to_solar(1, start["month"], year, start["leap"], 7.0)
            expected = vnlunar.jdn2date(start["jd"])
            assert computed == expected, (year, start)


@pytest.mark.parametrize(
    ("text", "leap", "words"),
    [
        ("2024-02", True, "không có tháng nhuận"),
        ("2023-03", True, "nhuận tháng 2"),
        ("2023", True, "ghi rõ tháng"),
        ("2024-12-30", False, "29 ngày"),
        ("2023-01-31", False, "từ 1 đến 30"),
        ("2023-13-01", False, "Tháng 13"),
        ("2025-07-01", False, "tương lai"),
        ("2025-06-29", True, "tương lai"),
        ("2025-06-30", True, "29 ngày"),
    ],
)
def test_lunar_rules(text: str, leap: bool, words: str) -> None:
    with pytest.raises(DateRuleError) as caught:
        parse(text, "lunar", leap)
    assert words in str(caught.value)


def test_lunar_day_30_only_in_long_months() -> None:
    assert lunar_month_length(2023, 12) == 30
    assert lunar_month_length(2024, 12) == 29
    assert lunar_month_length(2024, 5, leap=True) is None
    assert parse("30/12/2023", "lunar").solar() == datetime.date(2024, 2, 9)


def test_partial_lunar_dates() -> None:
    value = parse("2025-06", "lunar", True)
    assert value.precision == "month" and value.solar() is None
    assert value.solar_year() == 2025
    # Lunar 12/1990 ended in solar 1991: the full date converts to the next solar year.
    assert parse("20/12/1990", "lunar").solar_year() == 1991
    # A lunar year that has not begun yet is in the future.
    with pytest.raises(DateRuleError, match="tương lai"):
        parse_partial_date("2025", "lunar", today=datetime.date(2025, 1, 28))
    assert parse_partial_date("2025", "lunar", today=datetime.date(2025, 1, 29)).year == 2025


@pytest.mark.parametrize(
    ("text", "calendar", "leap", "years"),
    [
        ("1989", "lunar", False, (1989, 1990)),  # Kỷ Tỵ: 6 Feb 1989 - 26 Jan 1990
        ("12/1989", "lunar", False, (1989, 1990)),  # 28 Dec 1989 - 26 Jan 1990
        ("05/1989", "lunar", False, (1989,)),
        ("20/12/1989", "lunar", False, (1990,)),  # converts exactly: 16 Jan 1990
        ("05/1989", "solar", False, (1989,)),
        ("1989", "solar", False, (1989,)),
        ("2023-02", "lunar", True, (2023,)),
    ],
)
def test_solar_years_a_date_can_fall_in(text: str, calendar: str, leap: bool, years: tuple) -> None:
    assert parse(text, calendar, leap).solar_years() == years


@pytest.mark.parametrize(
    "typed", ["15/03/2024", "15032024", "15.3.2024", " 15 / 03 / 2024 ", "2024-03-15", "15-03-2024"]
)
def test_a_whole_day_is_read_as_clerks_type_it(typed):
    assert parse_day(typed) == datetime.date(2024, 3, 15)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31/02/2024", "Ngày 31 không hợp lệ: tháng 2 năm 2024 có 29 ngày"),
        ("15/13/2024", "Tháng 13 không hợp lệ"),
        ("03/2024", "không đúng dạng ngày/tháng/năm, ví dụ 15/03/2024"),
        ("hôm qua", "không đúng dạng ngày/tháng/năm"),
        ("", "không đúng dạng ngày/tháng/năm"),
        ("15/03/0024", "Năm 24 không hợp lệ"),
    ],
)
def test_a_day_that_cannot_be_is_refused_in_vietnamese(typed, reason):
    with pytest.raises(DateRuleError, match=reason):
        parse_day(typed)
