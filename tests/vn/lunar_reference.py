"""An independent Vietnamese lunar calendar, computed from PyEphem's ephemeris (not from vnlunar).

The rules of the calendar (the same for Vietnam and China, only the meridian differs):
- a month starts on the local day of a new moon;
- the month holding the December solstice is month 11;
- when 13 months run from one month 11 to the next, the first of them (after month 11) in which
  the sun enters no new 30-degree sign (no "major solar term") is a leap month and repeats the
  previous month's number.

Days are counted at UTC+7 or UTC+8 (:data:`UTC7_SINCE`). PyEphem gives times in UT and applies
Delta T itself. Each month records how far its new moon fell from local midnight: within a few
minutes the day is not certain (ephemeris error, Delta T) and published calendars differ.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

import ephem

#: first lunar year computed for UTC+7 (before it: UTC+8, the calendar Vietnam used until 1967)
UTC7_SINCE = 1968
_EPHEM_EPOCH = datetime.datetime(1899, 12, 31, 12)  # ephem.Date(0) in UT


@dataclass(frozen=True)
class MonthStart:
    year: int
    month: int
    leap: bool
    day: datetime.date
    #: how far the new moon fell from the nearest local midnight
    midnight_gap: datetime.timedelta


def _ut(value: ephem.Date) -> datetime.datetime:
    return _EPHEM_EPOCH + datetime.timedelta(days=float(value))


def _local(ut: datetime.datetime, hours: int) -> datetime.datetime:
    return ut + datetime.timedelta(hours=hours)


def _sun_sign(ut: datetime.datetime) -> int:
    """0..11: the 30-degree sign of the sun's apparent ecliptic longitude (equinox of date)."""
    sun = ephem.Sun(ut)
    ecliptic = ephem.Ecliptic(ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=ut), epoch=ut)
    return int(ecliptic.lon * 6 / 3.141592653589793) % 12


def _new_moons(start: datetime.datetime, end: datetime.datetime) -> list[datetime.datetime]:
    found, moment = [], start
    while True:
        moment = _ut(ephem.next_new_moon(moment))
        if moment > end:
            return found
        found.append(moment)


def _midnight_gap(local: datetime.datetime) -> datetime.timedelta:
    since = local - datetime.datetime.combine(local.date(), datetime.time())
    return min(since, datetime.timedelta(days=1) - since)


def _midnight_ut(day: datetime.date, hours: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time()) - datetime.timedelta(hours=hours)


@cache
def _month_11(year: int, hours: int) -> datetime.datetime:
    """The new moon (UT) that starts month 11: the last one on or before the December solstice's day."""
    solstice_day = _local(_ut(ephem.next_solstice(datetime.datetime(year, 12, 1))), hours).date()
    moons = _new_moons(datetime.datetime(year, 11, 1), datetime.datetime(year, 12, 31))
    return [m for m in moons if _local(m, hours).date() <= solstice_day][-1]


def _winter(solar_year: int, hours: int) -> tuple[datetime.datetime, ...]:
    """New moons (UT) from the start of month 11 before ``solar_year`` to the one in it (both included)."""
    first, last = _month_11(solar_year - 1, hours), _month_11(solar_year, hours)
    inner = _new_moons(first + datetime.timedelta(days=1), last - datetime.timedelta(days=1))
    return (first, *inner, last)


@cache
def months_between_winters(solar_year: int, hours: int) -> tuple[MonthStart, ...]:
    """The months from month 11 of lunar year ``solar_year - 1`` up to (not with) the next month 11."""
    moons = _winter(solar_year, hours)
    days = [_local(m, hours).date() for m in moons]
    leap_index = None
    if len(moons) == 14:  # 13 months
        for i in range(1, 13):
            if _sun_sign(_midnight_ut(days[i], hours)) == _sun_sign(_midnight_ut(days[i + 1], hours)):
                leap_index = i
                break
    months, number, year = [], 11, solar_year - 1
    for i, moon in enumerate(moons[:-1]):
        leap = i == leap_index
        if i and not leap:
            number = number % 12 + 1
            if number == 1:
                year = solar_year
        months.append(MonthStart(year, number, leap, days[i], _midnight_gap(_local(moon, hours))))
    return tuple(months)


def lunar_year(year: int) -> list[MonthStart]:
    """Every month of lunar ``year`` (month 1 to month 12, leap month included), each on its own meridian."""
    hours = 7 if year >= UTC7_SINCE else 8
    found = (*months_between_winters(year, hours), *months_between_winters(year + 1, hours))
    return [m for m in found if m.year == year]
