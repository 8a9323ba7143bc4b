"""Reading the daily counters: totals, recent pace and time series, always aggregated in SQL."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select, true

from fieldapp.extensions import db
from fieldapp.progress.areas import COUNTRY, Area
from fieldapp.progress.models import AreaKind, DailyCount, Measure, Period, ProvinceDay, UnitTotal

MEASURES = tuple(Measure)
SERIES_LENGTH = {Period.DAY: 30, Period.WEEK: 12, Period.MONTH: 12}


@dataclass
class Counts:
    """Totals of one unit (or member): all time, last 7 days and last 30 days, per measure."""

    total: dict[Measure, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    last_7: dict[Measure, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    last_30: dict[Measure, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))

    def add(self, other: "Counts") -> None:
        for measure in MEASURES:
            self.total[measure] += other.total[measure]
            self.last_7[measure] += other.last_7[measure]
            self.last_30[measure] += other.last_30[measure]


def area_filter(area: Area, table: Any = DailyCount) -> ColumnElement[bool]:
    if area.kind == COUNTRY:
        return true()
    if area.kind == AreaKind.PROVINCE:
        return table.province_code == area.code
    return table.commune_code.in_(area.communes or [])


def totals(
    area: Area, today: date, by: str | None = None, *, user_id: int | None = None
) -> dict[Any, Counts]:
    """Counts per value of column `by` (commune_code, province_code or user_id; None: one entry under
    key None) over the area: all time from the totals roll-up, last 7 and 30 days from the daily rows."""
    result: dict[Any, Counts] = defaultdict(Counts)
    for key, measure, total in _grouped(UnitTotal, area, by, user_id, [func.sum(UnitTotal.count)]):
        result[key].total[measure] = total
    since_7, since_30 = today - timedelta(days=6), today - timedelta(days=29)
    recent = [
        func.sum(case((DailyCount.day >= since_7, DailyCount.count), else_=0)),
        func.sum(DailyCount.count),
    ]
    for key, measure, last_7, last_30 in _grouped(
        DailyCount, area, by, user_id, recent, DailyCount.day >= since_30, DailyCount.day <= today
    ):
        result[key].last_7[measure], result[key].last_30[measure] = last_7, last_30
    return dict(result)


def _grouped(table: Any, area: Area, by: str | None, user_id: int | None, sums: list, *where: Any) -> list:
    """(key, measure, *sums) rows: one GROUP BY over a covering index."""
    key = getattr(table, by) if by else None
    query = select(*([key] if key is not None else []), table.measure, *sums).where(
        area_filter(area, table), *where
    )
    if user_id is not None:
        query = query.where(table.user_id == user_id)
    query = query.group_by(*([key] if key is not None else []), table.measure)
    rows = []
    for row in db.session.execute(query):
        values = list(row)
        name = values.pop(0) if key is not None else None
        rows.append((name, Measure(values[0]), *(int(v or 0) for v in values[1:])))
    return rows


def bucket_start(day: date, period: Period) -> date:
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    return day


def buckets(today: date, period: Period) -> list[date]:
    """The starts of the last N days, weeks (Monday) or months, oldest first, ending with the current one."""
    n = SERIES_LENGTH[period]
    if period is Period.DAY:
        return [today - timedelta(days=i) for i in range(n - 1, -1, -1)]
    if period is Period.WEEK:
        monday = bucket_start(today, period)
        return [monday - timedelta(weeks=i) for i in range(n - 1, -1, -1)]
    starts, month = [], today.replace(day=1)
    for _ in range(n):
        starts.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return starts[::-1]


def series(area: Area, today: date, period: Period, *, user_id: int | None = None) -> list[tuple[date, dict]]:
    """Per day/week/month bucket: counts per measure. SQL groups by day; days fold into buckets here."""
    starts = buckets(today, period)
    # a province or the country: the per-province roll-up (a few hundred rows); else the daily rows
    table = ProvinceDay if area.kind in (COUNTRY, AreaKind.PROVINCE) and user_id is None else DailyCount
    query = (
        select(table.day, table.measure, func.sum(table.count))
        .where(_series_filter(area, table), table.day >= starts[0], table.day <= today)
        .group_by(table.day, table.measure)
    )
    if user_id is not None:
        query = query.where(DailyCount.user_id == user_id)
    table: dict[date, dict[Measure, int]] = {start: dict.fromkeys(MEASURES, 0) for start in starts}
    for day, measure, count in db.session.execute(query):
        table[bucket_start(day, period)][Measure(measure)] += int(count or 0)
    return list(table.items())


def _series_filter(area: Area, table: Any) -> ColumnElement[bool]:
    if table is ProvinceDay and area.kind == AreaKind.PROVINCE:
        return ProvinceDay.province_code == area.code
    return area_filter(area, table) if table is DailyCount else true()


def user_period_counts(user_ids: list[int], today: date) -> dict[tuple[int, Period, Measure], int]:
    """What each user did in the current day, week and month, per measure (for quota attainment)."""
    if not user_ids:
        return {}
    starts = {period: bucket_start(today, period) for period in Period}
    earliest = min(starts.values())
    columns = [
        func.sum(case((DailyCount.day >= starts[period], DailyCount.count), else_=0)) for period in Period
    ]
    query = (
        select(DailyCount.user_id, DailyCount.measure, *columns)
        .where(DailyCount.user_id.in_(user_ids), DailyCount.day >= earliest, DailyCount.day <= today)
        .group_by(DailyCount.user_id, DailyCount.measure)
    )
    result = {}
    for user_id, measure, *sums in db.session.execute(query):
        for period, value in zip(Period, sums, strict=True):
            result[(user_id, period, Measure(measure))] = int(value or 0)
    return result
