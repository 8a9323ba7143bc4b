"""The daily counters: bumped in the transaction that does the work, rebuilt from history on demand.

The day is Vietnam's calendar day (UTC+7, no daylight saving): work done at 23:30 local time on
1 December counts for 1 December even though it is stored as 16:30 UTC.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, delete, exists, func, insert, literal, select
from sqlalchemy.orm import aliased

from fieldapp.bulkwrite import Rows, insert_rows
from fieldapp.extensions import db
from fieldapp.progress.models import DailyCount, Measure, ProvinceDay, UnitTotal
from fieldapp.records.audit import AuditEntry
from fieldapp.records.models import Record
from fieldapp.timeutil import utcnow

VN_OFFSET = timedelta(hours=7)
#: state-machine actions whose audit entry marks a counted step
COUNTED_ACTIONS = {"record.verify": Measure.VERIFIED, "record.transfer": Measure.TRANSFERRED}
#: audit actions that take a counted step back, and the step they cancel: a step is counted unless a
#: later entry of the same record cancels it (the state machine allows no other way out of it)
CANCELLING = {
    "record.reopen": "record.verify",
    "record.undo.verify": "record.verify",
    "record.undo.transfer": "record.transfer",
}


def local_day(moment: datetime | None = None) -> date:
    """The Vietnamese calendar day of a naive-UTC moment (now when None)."""
    return ((moment or utcnow()) + VN_OFFSET).date()


def bump(rows: Iterable[tuple[date, str, str, int, Measure]]) -> None:
    """Add one per (day, province, commune, user, measure) tuple."""
    add(Counter(rows))


def add(counts: Counter) -> None:
    """Add counts to the daily counters and their two roll-ups: upserts, safe under concurrency."""
    insert_rows(counter_rows(counts))


#: the counters' keys: the daily counter and its two roll-ups
DAILY_KEY = ("day", "commune_code", "user_id", "measure")
TOTAL_KEY = ("commune_code", "user_id", "measure")
PROVINCE_KEY = ("province_code", "day", "measure")


def counter_rows(counts: Counter) -> list[Rows]:
    """The upserts that add these counts ((day, province, commune, user, measure) -> n), as rows for
    bulkwrite (rows of one key are summed there and written in key order: no deadlock)."""
    daily, totals, provinces = [], [], []
    for (day, p, c, user, measure), n in counts.items():
        m = Measure(measure).value
        daily.append(
            {"day": day, "province_code": p, "commune_code": c, "user_id": user, "measure": m, "count": n}
        )
        totals.append({"commune_code": c, "user_id": user, "measure": m, "province_code": p, "count": n})
        provinces.append({"province_code": p, "day": day, "measure": m, "count": n})
    if not daily:
        return []
    return [
        Rows(DailyCount.__tablename__, daily, DAILY_KEY),
        Rows(UnitTotal.__tablename__, totals, TOTAL_KEY),
        Rows(ProvinceDay.__tablename__, provinces, PROVINCE_KEY),
    ]


def count_collected(rows: Iterable[dict[str, Any]]) -> None:
    """One collected record each, for records just inserted (dicts with province_code, commune_code,
    captured_by_id, received_at)."""
    collected = Measure.COLLECTED
    bump(
        (local_day(r["received_at"]), r["province_code"], r["commune_code"], r["captured_by_id"], collected)
        for r in rows
    )


def count_transitions(records: list[Record], action: str, user_id: int) -> None:
    """count_transition() for many records moved at once."""
    measure = COUNTED_ACTIONS.get(action)
    if measure is None:
        for record in records:
            count_transition(record, action, user_id)
        return
    day = local_day()
    bump((day, r.province_code, r.commune_code, user_id, measure) for r in records)


def count_transition(record: Record, action: str, user_id: int) -> None:
    """A record was verified or transferred by `user_id` just now, or such a step was taken back.

    Taking back subtracts from the day and the person of the step it cancels, as a recount would.
    """
    measure = COUNTED_ACTIONS.get(action)
    if measure is not None:
        bump([(local_day(), record.province_code, record.commune_code, user_id, measure)])
        return
    cancelled = CANCELLING.get(action)
    if cancelled is None:
        return
    step = db.session.execute(
        select(AuditEntry.at, AuditEntry.actor_id)
        .where(
            AuditEntry.entity_type == "record",
            AuditEntry.entity_id == record.id,
            AuditEntry.action == cancelled,
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if step is not None and step.actor_id is not None:
        key = (local_day(step.at), record.province_code, record.commune_code, step.actor_id)
        add(Counter({(*key, COUNTED_ACTIONS[cancelled]): -1}))


def _day_expression(column: Any) -> Any:
    """The local day of a UTC timestamp column, in SQL, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column + literal(VN_OFFSET), Date)
    return func.date(column, "+7 hours")


def rebuild() -> int:
    """Recount everything from the records and the audit log (after a bulk load or a restore)."""
    table = DailyCount.__table__
    db.session.execute(delete(table))
    day = _day_expression(Record.received_at)
    collected = select(
        day,
        Record.province_code,
        Record.commune_code,
        Record.captured_by_id,
        literal(Measure.COLLECTED.value),
        func.count(),
    ).group_by(day, Record.province_code, Record.commune_code, Record.captured_by_id)
    columns = ["day", "province_code", "commune_code", "user_id", "measure", "count"]
    db.session.execute(insert(table).from_select(columns, collected))
    for action, measure in COUNTED_ACTIONS.items():
        at = _day_expression(AuditEntry.at)
        steps = (
            select(
                at,
                Record.province_code,
                Record.commune_code,
                AuditEntry.actor_id,
                literal(measure.value),
                func.count(),
            )
            .join(Record, Record.id == AuditEntry.entity_id)
            .where(
                AuditEntry.entity_type == "record",
                AuditEntry.action == action,
                AuditEntry.actor_id.is_not(None),
                ~_cancelled_later(action),
            )
            .group_by(at, Record.province_code, Record.commune_code, AuditEntry.actor_id)
        )
        db.session.execute(insert(table).from_select(columns, steps))
    rebuild_rollups()
    return db.session.scalar(select(func.count()).select_from(table)) or 0


def _cancelled_later(action: str) -> Any:
    """A later audit entry of the same record takes this step back."""
    later = aliased(AuditEntry)
    cancels = [name for name, step in CANCELLING.items() if step == action]
    return exists().where(
        later.entity_type == "record",
        later.entity_id == AuditEntry.entity_id,
        later.id > AuditEntry.id,
        later.action.in_(cancels),
    )


def rebuild_rollups() -> None:
    """Recompute the two roll-ups from the daily counters."""
    daily = DailyCount.__table__.c
    db.session.execute(delete(UnitTotal.__table__))
    db.session.execute(delete(ProvinceDay.__table__))
    totals = select(
        daily.commune_code, daily.user_id, daily.measure, daily.province_code, func.sum(daily.count)
    )
    totals = totals.group_by(daily.commune_code, daily.user_id, daily.measure, daily.province_code)
    columns = ["commune_code", "user_id", "measure", "province_code", "count"]
    db.session.execute(insert(UnitTotal.__table__).from_select(columns, totals))
    provinces = select(daily.province_code, daily.day, daily.measure, func.sum(daily.count))
    provinces = provinces.group_by(daily.province_code, daily.day, daily.measure)
    columns = ["province_code", "day", "measure", "count"]
    db.session.execute(insert(ProvinceDay.__table__).from_select(columns, provinces))
