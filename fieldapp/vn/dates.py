"""Partial dates (year, month/year or full date) on the solar or the Vietnamese lunar calendar.

Old civil-status registers often give only a year, or a lunar date ("ngày 5 tháng 3 năm Giáp
Thìn"). :func:`parse_partial_date` turns what a clerk typed into a :class:`PartialDate` and
enforces the rules; every rule broken raises :class:`DateRuleError` with a Vietnamese message.

Lunar conversion uses ``vnlunar``'s tables (Hồ Ngọc Đức, 1800-2199). They are the calendar as
issued in Vietnam: computed for UTC+7 since 1968 (identical to ``vnlunar``'s astronomical
algorithm with time zone 7, which the tests check), and the UTC+8 calendar used before that.
So Tết 1985 falls on 21 January 1985 (China: 20 February), Tết Mậu Thân 1968 on 29 January.
"""

from __future__ import annotations

import calendar as _calendar
import datetime
import re
from dataclasses import dataclass

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


# --- lunar calendar ---------------------------------------------------------------------


def lunar_leap_month(year: int) -> int | None:
    """The month after which lunar ``year`` has its leap month (1-12), or None when it has none."""
    for start in vnlunar.get_year_info(year):
        if start["leap"]:
            return int(start["month"])
    return None


def lunar_month_length(year: int, month: int, leap: bool = False) -> int | None:
    """29 or 30: the length of that lunar month, or None when the month does not exist."""
    starts = vnlunar.get_year_info(year)
    lengths = vnlunar.get_year_month_lengths(year)
    for start, length in zip(starts, lengths, strict=True):
        if start["month"] == month and bool(start["leap"]) == leap:
            return int(length)
    return None


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> datetime.date | None:
    """Solar date of a Vietnamese lunar date, or None when that lunar date does not exist."""
    found = vnlunar.convert_lunar_to_solar(day, month, year, 1 if leap else 0)
    if found is None:
        return None
    solar_day, solar_month, solar_year = found
    return datetime.date(solar_year, solar_month, solar_day)


def solar_to_lunar(value: datetime.date) -> PartialDate:
    """The Vietnamese lunar date of a solar date."""
    lunar = vnlunar.get_lunar_date(value.day, value.month, value.year)
    return PartialDate(lunar["year"], lunar["month"], lunar["day"], "lunar", bool(lunar["leap"]))


# --- parsing and rules --------------------------------------------------------------------


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
        raise DateRuleError(_l("Ngày tháng %(date)s ở tương lai", date=value.isoformat()))


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
