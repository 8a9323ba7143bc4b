"""Partial dates (year, month/year or full date) on the solar or the Vietnamese lunar calendar.

Old civil-status registers often give only a year, or a lunar date ("ngày 5 tháng 3 năm Giáp
Thìn"). :func:`parse_partial_date` turns what a clerk typed into a :class:`PartialDate` and
enforces the rules; every rule broken raises :class:`DateRuleError` with a Vietnamese message.

Lunar conversion uses ``vnlunar``'s tables (Hồ Ngọc Đức, 1800-2199): the calendar as issued in
Vietnam, computed for UTC+7 since 1968 and for UTC+8 (the Chinese meridian) before. So Tết 1985
falls on 21 January 1985 (China: 20 February), Tết Mậu Thân 1968 on 29 January. Supported range:
lunar years 1850 (``MIN_YEAR``) to 2199 (end of the tables).

How far the tables are checked (tests/vn/test_lunar_tables.py, against new moons and solar terms
computed with the PyEphem ephemeris, independently of vnlunar, for every month 1850-2199):

- Every month agrees except the ones listed in :data:`NEAR_MIDNIGHT`, whose new moon falls within
  20 minutes of local midnight (1906/4, 1914/10, 1916/1 and 1920/10 among them). Sources differ by a
  day there: which day such a month starts on depends on the meridian and the method the calendar
  makers of the time used, which an ephemeris cannot settle. Kept as in the tables.
- Tết Ất Sửu 1925 was wrong in the tables (25 January; the new moon was on 24 January 1925 at
  14:45 UT, 22:45 at UTC+8): :data:`CORRECTIONS` sets it right, so lunar 12/1924 has 29 days and
  1/1925 has 30.
- The tables equal ``vnlunar``'s own UTC+7 algorithm for every month of 1968-2050 only. After
  that eight months differ by a day (2054/4, 2072/11, 2077/10, 2130/4, 2150/5, 2159/4, 2175/1,
  2199/1): each new moon falls within about 2 minutes of midnight at UTC+7, closer than the
  algorithm's error and than today's uncertainty about the Earth's rotation (Delta T) that far
  ahead. The ephemeris sides with the tables in all of them but 2054/4 (by 14 seconds), so the
  tables are kept; no official calendar for those years exists yet.
"""

from __future__ import annotations

import calendar as _calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import vnlunar
from flask_babel import lazy_gettext as _l

from fieldapp.vn.text import normalize_text

MIN_YEAR = 1850
CALENDARS = ("solar", "lunar")

_ISO = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{1,2})(?:-(?P<day>[0-9]{1,2}))?)?")
# Vietnamese paper order: DD/MM/YYYY or MM/YYYY ("/", "." or "-" between the parts).
_PAPER = re.compile(r"(?:(?P<day>[0-9]{1,2})[/.-])?(?P<month>[0-9]{1,2})[/.-](?P<year>[0-9]{4})")


class DateRuleError(ValueError):
    """A date that breaks a rule; ``message`` is a lazy Vietnamese string for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day, on the solar or the lunar calendar."""

    year: int
    month: int | None
    day: int | None
    calendar: str = "solar"
    leap_month: bool = False

    @property
    def precision(self) -> str:
        """The precision: "year", "month" or "day"."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def isoformat(self) -> str:
        """Return "YYYY", "YYYY-MM" or "YYYY-MM-DD" (in this date's own calendar)."""
        parts = [f"{self.year:04d}"]
        parts += [f"{n:02d}" for n in (self.month, self.day) if n is not None]
        return "-".join(parts)

    def paper(self) -> str:
        """The date the way paper writes it, for messages: "15/03/1990", "03/1990" or "1990"."""
        return "/".join(reversed(self.isoformat().split("-")))

    def solar(self) -> datetime.date | None:
        """The solar date for a full date (converted when lunar); None when only partly known."""
        if self.month is None or self.day is None:
            return None
        if self.calendar == "solar":
            return datetime.date(self.year, self.month, self.day)
        return lunar_to_solar(self.year, self.month, self.day, self.leap_month)

    def solar_year(self) -> int:
        """Best solar year: the converted year for a full lunar date, otherwise ``year``."""
        solar = self.solar()
        return solar.year if solar is not None else self.year

    def solar_years(self) -> tuple[int, ...]:
        """Every solar year the date can fall in: one, or two for a lunar year or month that straddles
        New Year (lunar 1989 runs from 6 Feb 1989 to 26 Jan 1990)."""
        if self.calendar == "solar":
            return (self.year,)
        solar = self.solar()
        if solar is not None:
            return (solar.year,)
        wanted = (self.month, self.leap_month)
        months = [m for m in _months(self.year) if self.month is None or (m.month, m.leap) == wanted]
        if not months:
            return (self.year,)
        first = _solar(months[0].first)
        last = _solar(months[-1].first + months[-1].length - 1)
        return tuple(range(first.year, last.year + 1))


# --- lunar calendar ---------------------------------------------------------------------

_JDN_OFFSET = 1_721_425  # Julian day number = date.toordinal() + _JDN_OFFSET
MAX_LUNAR_YEAR = 2199

#: Month starts where vnlunar's table is wrong: (lunar year, month, leap) -> the right first day.
CORRECTIONS: dict[tuple[int, int, bool], datetime.date] = {
    (1925, 1, False): datetime.date(1925, 1, 24),  # Tết Ất Sửu; new moon 24 Jan 1925 14:45 UT
}
#: Months whose new moon falls within 20 minutes of local midnight, where the tables (the printed
#: calendars) and an ephemeris at UTC+8 (UTC+7 from 1968) name different first days. Kept as in the tables.
NEAR_MIDNIGHT: frozenset[tuple[int, int]] = frozenset(
    {(1862, 12), (1880, 10), (1890, 7), (1896, 1), (1906, 4), (1914, 10), (1916, 1), (1920, 10), (2054, 4)}
)


@dataclass(frozen=True)
class _Month:
    month: int
    leap: bool
    first: int  # Julian day number of day 1
    length: int


def _table_starts(year: int) -> list[tuple[int, bool, int]]:
    starts = []
    for start in vnlunar.get_year_info(year):
        key = (year, int(start["month"]), bool(start["leap"]))
        fixed = CORRECTIONS.get(key)
        first = fixed.toordinal() + _JDN_OFFSET if fixed else int(start["jd"])
        starts.append((key[1], key[2], first))
    return starts


@lru_cache(maxsize=1024)
def _months(year: int) -> tuple[_Month, ...]:
    """The months of lunar ``year`` with their first day and length, corrections applied."""
    starts = _table_starts(year)
    if year < MAX_LUNAR_YEAR:
        end = _table_starts(year + 1)[0][2]
    else:
        end = starts[-1][2] + vnlunar.get_year_month_lengths(year)[-1]
    ends = [first for _, _, first in starts[1:]] + [end]
    return tuple(
        _Month(m, leap, first, stop - first) for (m, leap, first), stop in zip(starts, ends, strict=True)
    )


def _find(year: int, month: int, leap: bool) -> _Month | None:
    if not MIN_YEAR <= year <= MAX_LUNAR_YEAR:
        return None
    return next((m for m in _months(year) if m.month == month and m.leap == leap), None)


def _solar(jd: int) -> datetime.date:
    return datetime.date.fromordinal(jd - _JDN_OFFSET)


def lunar_leap_month(year: int) -> int | None:
    """The month after which lunar ``year`` has its leap month (1-12), or None when it has none."""
    return next((m.month for m in _months(year) if m.leap), None)


def lunar_month_length(year: int, month: int, leap: bool = False) -> int | None:
    """29 or 30: the length of that lunar month, or None when the month does not exist."""
    found = _find(year, month, leap)
    return found.length if found else None


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> datetime.date | None:
    """Solar date of a Vietnamese lunar date, or None when that lunar date does not exist."""
    found = _find(year, month, leap)
    if found is None or not 1 <= day <= found.length:
        return None
    return _solar(found.first + day - 1)


def solar_to_lunar(value: datetime.date) -> PartialDate:
    """The Vietnamese lunar date of a solar date (lunar years 1850-2199)."""
    jd = value.toordinal() + _JDN_OFFSET
    year = value.year if jd >= _months(value.year)[0].first else value.year - 1
    month = [m for m in _months(year) if m.first <= jd][-1]
    return PartialDate(year, month.month, jd - month.first + 1, "lunar", month.leap)


# --- parsing and rules --------------------------------------------------------------------


def expand_digits(text: str) -> str:
    """Dates typed as digits: "12081980" -> "12/08/1980", "081980" -> "08/1980"; anything else as typed."""
    text = text.strip()
    if text.isdigit() and len(text) == 8:
        return f"{text[:2]}/{text[2:4]}/{text[4:]}"
    if text.isdigit() and len(text) == 6:
        return f"{text[:2]}/{text[2:]}"
    return text


def show_day(value: datetime.date | None) -> str:
    """A day the way paper writes it: 02/03/2024."""
    return value.strftime("%d/%m/%Y") if value else ""


#: the years a day typed into an office form (a filter, a deadline, a registration date) may fall in
DAY_YEARS = (MIN_YEAR, 2199)


def parse_day(text: str) -> datetime.date:
    """A whole day as a clerk types it: 15/03/2024, 15.03.2024, 15032024 (or 2024-03-15 from a link).

    The same reading as the record forms' dates (:func:`expand_digits`, then the paper or ISO order);
    raises :class:`DateRuleError` with a Vietnamese message for text that is no real day.
    """
    typed = expand_digits(normalize_text(text))
    try:
        year, month, day = _split(typed)
    except DateRuleError:
        year, month, day = 0, None, None
    if month is None or day is None:
        raise DateRuleError(
            _l("Ngày “%(text)s” không đúng dạng ngày/tháng/năm, ví dụ 15/03/2024", text=typed)
        )
    if not DAY_YEARS[0] <= year <= DAY_YEARS[1]:
        raise DateRuleError(_l("Năm %(year)s không hợp lệ", year=year))
    if not 1 <= month <= 12:
        raise DateRuleError(_l("Tháng %(month)s không hợp lệ: tháng phải từ 1 đến 12", month=month))
    _check_solar_day(year, month, day)
    return datetime.date(year, month, day)


def _split(text: str) -> tuple[int, int | None, int | None]:
    cleaned = normalize_text(text).replace(" ", "")
    match = _ISO.fullmatch(cleaned) or _PAPER.fullmatch(cleaned)
    if match is None:
        raise DateRuleError(
            _l(
                "Ngày tháng “%(text)s” không đúng định dạng: ghi năm (1990), tháng/năm (03/1990) "
                "hoặc ngày/tháng/năm (15/03/1990)",
                text=text.strip(),
            )
        )
    parts = match.groupdict()
    month, day = parts["month"], parts["day"]
    return int(parts["year"]), int(month) if month else None, int(day) if day else None


def _check_calendar(calendar: str, leap_month: bool) -> None:
    if calendar not in CALENDARS:
        raise DateRuleError(_l("Loại lịch phải là dương lịch hoặc âm lịch"))
    if leap_month and calendar != "lunar":
        raise DateRuleError(_l("Chỉ ngày âm lịch mới có tháng nhuận"))


def _check_year_month(year: int, month: int | None, today: datetime.date) -> None:
    if not MIN_YEAR <= year <= today.year:
        raise DateRuleError(
            _l(
                "Năm %(year)s không hợp lệ: năm phải từ %(min)s đến %(max)s",
                year=year,
                min=MIN_YEAR,
                max=today.year,
            )
        )
    if month is not None and not 1 <= month <= 12:
        raise DateRuleError(_l("Tháng %(month)s không hợp lệ: tháng phải từ 1 đến 12", month=month))


def _check_leap(year: int, month: int | None, leap_month: bool) -> None:
    if not leap_month:
        return
    if month is None:
        raise DateRuleError(_l("Ngày thuộc tháng nhuận phải ghi rõ tháng"))
    leap = lunar_leap_month(year)
    if leap is None:
        raise DateRuleError(_l("Năm âm lịch %(year)s không có tháng nhuận", year=year))
    if leap != month:
        raise DateRuleError(
            _l(
                "Năm âm lịch %(year)s nhuận tháng %(leap)s, không có tháng %(month)s nhuận",
                year=year,
                leap=leap,
                month=month,
            )
        )


def _check_solar_day(year: int, month: int, day: int) -> None:
    days = _calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateRuleError(
            _l(
                "Ngày %(day)s không hợp lệ: tháng %(month)s năm %(year)s có %(days)s ngày",
                day=day,
                month=month,
                year=year,
                days=days,
            )
        )


def _check_lunar_day(year: int, month: int, day: int, leap: bool) -> None:
    if not 1 <= day <= 30:
        raise DateRuleError(_l("Ngày âm lịch %(day)s không hợp lệ: ngày phải từ 1 đến 30", day=day))
    days = lunar_month_length(year, month, leap) or 30
    if day > days:
        month_name = _l("tháng %(month)s nhuận", month=month) if leap else _l("tháng %(month)s", month=month)
        raise DateRuleError(
            _l(
                "Ngày âm lịch %(day)s không hợp lệ: %(month_name)s âm lịch năm %(year)s chỉ có %(days)s ngày",
                day=day,
                month_name=month_name,
                year=year,
                days=days,
            )
        )


def _period_start(value: PartialDate) -> datetime.date | None:
    """The first solar day the (possibly partial) date can denote."""
    month = value.month or 1
    day = value.day or 1
    if value.calendar == "solar":
        return datetime.date(value.year, month, day)
    return lunar_to_solar(value.year, month, day, value.leap_month)


def _check_not_future(value: PartialDate, today: datetime.date) -> None:
    start = _period_start(value)
    if start is not None and start > today:
        raise DateRuleError(_l("Ngày tháng %(date)s ở tương lai", date=value.paper()))


def parse_partial_date(
    text: str,
    calendar: str = "solar",
    leap_month: bool = False,
    *,
    today: datetime.date | None = None,
) -> PartialDate:
    """Parse "YYYY", "YYYY-MM", "YYYY-MM-DD", "DD/MM/YYYY" or "MM/YYYY" and check every rule.

    ``calendar`` is "solar" or "lunar"; ``leap_month`` marks a lunar leap month (tháng nhuận).
    Raises :class:`DateRuleError` with a Vietnamese message for the first rule broken.
    """
    today = today or datetime.date.today()
    calendar = calendar or "solar"
    _check_calendar(calendar, leap_month)
    year, month, day = _split(text)
    _check_year_month(year, month, today)
    if calendar == "lunar":
        _check_leap(year, month, leap_month)
    if month is not None and day is not None:
        if calendar == "solar":
            _check_solar_day(year, month, day)
        else:
            _check_lunar_day(year, month, day, leap_month)
    value = PartialDate(year, month, day, calendar, leap_month)
    _check_not_future(value, today)
    return value
