"""The daily counters: bumped in the transaction that does the work, rebuilt from history on demand.

The day is Vietnam's calendar day (UTC+7, no daylight saving): work done at 23:30 local time on
1 December counts for 1 December even though it is stored as 16:30 UTC.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, delete, func, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from fieldapp.extensions import db
from fieldapp.progress.models import DailyCount, Measure
from fieldapp.records.audit import AuditEntry
from fieldapp.records.models import Record
from fieldapp.timeutil import utcnow

VN_OFFSET = timedelta(hours=7)
#: state-machine actions whose audit entry marks a counted step
COUNTED_ACTIONS = {"record.verify": Measure.VERIFIED, "record.transfer": Measure.TRANSFERRED}


def local_day(moment: datetime | None = None) -> date:
    """The Vietnamese calendar day of a naive-UTC moment (now when None)."""
    return ((moment or utcnow()) + VN_OFFSET).date()


def bump(rows: Iterable[tuple[date, str, str, int, Measure]]) -> None:
    """Add one per (day, province, commune, user, measure) tuple: an upsert, safe under concurrency."""
    counts = Counter(rows)
    if not counts:
        return
    values = [
        {"day": d, "province_code": p, "commune_code": c, "user_id": u, "measure": m.value, "count": n}
        for (d, p, c, u, m), n in counts.items()
    ]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DailyCount.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["day", "commune_code", "user_id", "measure"],
        set_={"count": DailyCount.__table__.c.count + statement.excluded.count},
    )
    db.session.execute(statement, values)


def count_created(rows: Iterable[dict[str, Any]]) -> None:
    """Records just inserted (dicts with province_code, commune_code, captured_by_id, received_at)."""
    bump(
        (
            local_day(r["received_at"]),
            r["province_code"],
            r["commune_code"],
            r["captured_by_id"],
            Measure.COLLECTED,
        )
        for r in rows
    )


def count_transition(record: Record, action: str, user_id: int) -> None:
    """A record was verified or transferred by `user_id` just now (other actions are not counted)."""
    measure = COUNTED_ACTIONS.get(action)
    if measure is not None:
        bump([(local_day(), record.province_code, record.commune_code, user_id, measure)])


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
            )
            .group_by(at, Record.province_code, Record.commune_code, AuditEntry.actor_id)
        )
        db.session.execute(insert(table).from_select(columns, steps))
    return db.session.scalar(select(func.count()).select_from(table)) or 0
