"""The demo's campaign story: two units with targets in the tens of thousands, one ahead, one behind.

Nga Sơn (a lowland commune, 10,000 records by the end of January) started slowly and now runs ahead
of the pace its deadline needs; the old Mường Lát district (24,600 by 20 December; two mountain
communes today) lost weeks to landslides and is behind. The records
go through the push rules like a phone's; only their arrival and review times are spread back over the
campaign's weeks (the audit entries of those reviews are written with their past times), and the daily
counters are then recounted from that history.
"""

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.progress import counters, services
from fieldapp.progress.models import AreaKind, Measure, Period
from fieldapp.records.audit import AuditEntry
from fieldapp.records.models import Record
from fieldapp.records.states import State
from fieldapp.sync.schemas import load_push_items
from fieldapp.sync.services import push_batch
from fieldapp.timeutil import utcnow

CAMPAIGN_DAYS = 75
#: commune -> (collector, clerk, records to collect, weight of day d (0 = campaign start) in [0, 1])
STORY = {
    "16093": ("thuthap4", "canbo4", 5400, lambda d: 0.45 + 0.55 * min(1.0, d / 40)),  # Nga Sơn: ramping up
    "14845": ("thuthap1", "canbo1", 2900, lambda d: 1.0 if d < 45 else 0.35),  # Mường Lát: landslides
    "14857": ("thuthap2", "canbo2", 1700, lambda d: 1.0 if d < 45 else 0.3),  # Trung Lý
}
WEEKDAY_FACTOR = (1.0, 1.0, 1.0, 1.0, 0.9, 0.6, 0.2)  # Monday .. Sunday


def deadline(today: date) -> date:
    """20 December of this year, or of next year once this one's is near."""
    this_year = date(today.year, 12, 20)
    return this_year if (this_year - today).days >= 14 else date(today.year + 1, 12, 20)


def load_demo_targets(users: dict[str, User], factory: Any, scale: float = 1.0) -> dict[str, Any]:
    """Collect, backdate and review the story's records, then set targets and quotas (caller commits)."""
    now = utcnow()
    rng = random.Random(7)
    _arrived_after_capture(now, rng)
    for commune, (collector, clerk, amount, weight) in STORY.items():
        ids = _collect(users[collector], factory, commune, int(amount * scale))
        _spread(ids, weight, now, rng)
        _review(ids, users[clerk], now, rng)
    counters.rebuild()
    due = deadline(counters.local_day(now))
    nga_son_due = date(due.year + 1, 1, 31) if due.month == 12 else due + timedelta(days=42)
    services.set_target(AreaKind.COMMUNE, "16093", int(10_000 * scale), nga_son_due, None)
    services.set_target(AreaKind.DISTRICT, "384", int(24_600 * scale), due, None)
    services.set_target(AreaKind.PROVINCE, "38", int(120_000 * scale), date(due.year + 1, 6, 30), None)
    for username, period, amount, measure in (
        ("thuthap4", Period.DAY, 120, Measure.COLLECTED),
        ("thuthap1", Period.DAY, 150, Measure.COLLECTED),
        ("thuthap2", Period.WEEK, 700, Measure.COLLECTED),
        ("canbo1", Period.DAY, 80, Measure.VERIFIED),
        ("canbo4", Period.MONTH, 2000, Measure.VERIFIED),
    ):
        services.set_quota(users[username], period, int(amount * scale) or 1, None, measure)
    return {"deadline": due.isoformat(), "records": sum(int(s[2] * scale) for s in STORY.values())}


def _collect(collector: User, factory: Any, commune: str, count: int) -> list[str]:
    ids: list[str] = []
    while len(ids) < count:
        raw: list[dict[str, Any]] = []
        while len(raw) < min(200, count - len(ids)):
            record = factory.record(commune)
            raw += [record, *_registered_events(record, factory)]
        raw = raw[: min(200, count - len(ids))]
        push_batch(collector, None, load_push_items(raw))
        ids += [item["id"] for item in raw]
    return ids


def _registered_events(record: dict[str, Any], factory: Any) -> list[dict[str, Any]]:
    """What the registers hold about a record's people: most events registered, some not, some late.

    Deaths get a register entry; a household's couple usually a registered marriage and its young
    children usually a registered birth (matching them, so the indicators have something to find).
    """
    rng, data = factory.rng, record["data"]
    if record["type"] == "death" and rng.random() < 0.75:
        data["register"] = {"book_number": "KT-01", "registered_on": _later(data["date_of_death"], rng, 30)}
    if record["type"] == "birth" and rng.random() < 0.8:
        data["register"] = {
            "book_number": "KS-01",
            "registered_on": _later(data["child"]["date_of_birth"], rng, 60),
        }
    if record["type"] != "household":
        return []
    head, spouse = data["members"][0], data["members"][1]
    events = []
    if rng.random() < 0.7 and len(head["date_of_birth"]) == 10:
        married = _later(head["date_of_birth"], rng, 365 * 6, start=365 * 21)
        events.append(
            _event(
                factory,
                "marriage",
                data,
                {
                    "husband": _person(head),
                    "wife": _person(spouse),
                    "marriage_date": married,
                    "register": {"book_number": "KH-01", "registered_on": married},
                },
            )
        )
    for child in data["members"][2:]:
        young = int(child["date_of_birth"][:4]) >= factory.today.year - 8
        if young and len(child["date_of_birth"]) == 10 and rng.random() < 0.8:
            late = rng.random() < 0.15  # registered years later, when the child started school
            registered = _later(child["date_of_birth"], rng, 2000 if late else 60, start=1500 if late else 1)
            events.append(
                _event(
                    factory,
                    "birth",
                    data,
                    {
                        "child": _person(child),
                        "mother": _parent(spouse),
                        "father": _parent(head),
                        "register": {"book_number": "KS-01", "registered_on": registered},
                    },
                )
            )
    return events


def _event(factory: Any, kind: str, household: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    import uuid

    return {
        "id": str(uuid.UUID(int=factory.rng.getrandbits(128), version=4)),
        "type": kind,
        "captured_at": utcnow().isoformat() + "+00:00",
        "data": {"commune_code": household["commune_code"], "village": household["village"], **fields},
    }


def _person(member: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in member.items() if k != "relationship"}


def _parent(member: dict[str, Any]) -> dict[str, Any]:
    keys = ("full_name", "date_of_birth", "dob_calendar", "ethnicity", "nationality")
    return {k: member[k] for k in keys if k in member}


def _later(day: str, rng: random.Random, spread: int, start: int = 1) -> str:
    """A day some time after a YYYY-MM-DD day (or a year), never after yesterday."""
    base = date.fromisoformat(day if len(day) == 10 else f"{day[:4]}-07-01")
    moment = base + timedelta(days=rng.randint(start, start + spread))
    return min(moment, counters.local_day() - timedelta(days=1)).isoformat()


def _arrived_after_capture(now: datetime, rng: random.Random) -> None:
    """The demo's first records reached the server within two days of their capture (signal permitting)."""
    captured = db.session.execute(select(Record.id, Record.captured_at)).all()
    rows = [
        {"b_id": record_id, "b_at": min(now, at + timedelta(hours=rng.randint(1, 48)))}
        for record_id, at in captured
    ]
    if rows:
        statement = update(Record.__table__).where(Record.__table__.c.id == bindparam("b_id"))
        db.session.execute(statement.values(received_at=bindparam("b_at")), rows)


def _spread(ids: list[str], weight: Any, now: datetime, rng: random.Random) -> None:
    """Give the records arrival times over the campaign, following the unit's daily weight."""
    first = now - timedelta(days=CAMPAIGN_DAYS - 1)
    days = [first + timedelta(days=d) for d in range(CAMPAIGN_DAYS)]
    weights = [weight(d) * WEEKDAY_FACTOR[day.weekday()] for d, day in enumerate(days)]
    times = []
    for day in rng.choices(days, weights=weights, k=len(ids)):
        moment = day.replace(hour=1, minute=0) + timedelta(minutes=rng.randint(0, 600))
        times.append(min(moment, now))
    rows = [{"b_id": i, "b_at": t} for i, t in zip(ids, sorted(times), strict=True)]
    statement = update(Record.__table__).where(Record.__table__.c.id == bindparam("b_id"))
    db.session.execute(statement.values(received_at=bindparam("b_at"), captured_at=bindparam("b_at")), rows)


def _review(ids: list[str], clerk: User, now: datetime, rng: random.Random) -> None:
    """Older records verified (and most of those transferred), with audit entries at their past times."""
    received = dict(db.session.execute(select(Record.id, Record.received_at).where(Record.id.in_(ids))).all())
    states, audit = [], []
    for record_id in ids:
        verify_at = received[record_id] + timedelta(days=rng.uniform(1, 12))
        if verify_at >= now or rng.random() < 0.25:
            continue
        transfer_at = verify_at + timedelta(days=rng.uniform(1, 10))
        state = State.TRANSFERRED if transfer_at < now and rng.random() < 0.7 else State.VERIFIED
        transferred = state is State.TRANSFERRED
        states.append(
            {
                "b_id": record_id,
                "b_state": state.value,
                "b_number": f"{rng.randint(1, 900)}/{transfer_at.year}" if transferred else None,
                "b_date": transfer_at.date() if transferred else None,
            }
        )
        steps = [("start", verify_at - timedelta(minutes=20), "submitted", "in_review")]
        steps.append(("verify", verify_at, "in_review", "verified"))
        if state is State.TRANSFERRED:
            steps.append(("transfer", transfer_at, "verified", "transferred"))
        for action, at, before, after in steps:
            audit.append(
                {
                    "at": at,
                    "actor_id": clerk.id,
                    "device_id": None,
                    "action": f"record.{action}",
                    "entity_type": "record",
                    "entity_id": record_id,
                    "detail": {"from": before, "to": after},
                }
            )
    if states:
        statement = update(Record.__table__).where(Record.__table__.c.id == bindparam("b_id"))
        values = {"state": bindparam("b_state"), "registration_number": bindparam("b_number")}
        db.session.execute(statement.values(**values, registration_date=bindparam("b_date")), states)
    if audit:
        db.session.execute(insert(AuditEntry), audit)
