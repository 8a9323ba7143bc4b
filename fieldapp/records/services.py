"""Record rules that span rows: who a record names, its content hash, versions, the change feed."""

import hashlib
import json
from typing import Any

from sqlalchemy import bindparam, delete, insert, text, update

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.progress.counters import count_transition, count_transitions
from fieldapp.records.audit import audit_row, record_audit, record_audit_many
from fieldapp.records.models import Record, RecordEvent, RecordPerson, RecordType, RecordVersion
from fieldapp.records.states import UNDO_TARGETS, Action, State, next_state
from fieldapp.timeutil import utcnow
from fieldapp.vn.text import fold, name_sort_key

#: the people each record type names, in the order of the paper form: (data key, role)
PEOPLE_KEYS: dict[RecordType, tuple[tuple[str, str], ...]] = {
    RecordType.BIRTH: (("child", "child"), ("mother", "mother"), ("father", "father")),
    RecordType.DEATH: (("deceased", "deceased"),),
    RecordType.MARRIAGE: (("husband", "husband"), ("wife", "wife")),
}
FEED_LOCK_KEY = 7_310_001


def content_hash(kind: RecordType, data: dict[str, Any]) -> str:
    canonical = json.dumps({"type": kind.value, "data": data}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def people_of(kind: RecordType, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Everyone the record names, as record_people rows (without record_id)."""
    if kind is RecordType.HOUSEHOLD:
        named = [(m, "head" if m["relationship"] == "head" else "member") for m in data["members"]]
    else:
        named = [(data[key], role) for key, role in PEOPLE_KEYS[kind] if data.get(key)]
    mother = _folded_name(data.get("mother"))
    father = _folded_name(data.get("father"))
    rows = []
    for position, (person, role) in enumerate(named):
        birth = person.get("dob_solar") or person.get("date_of_birth")
        rows.append(
            {
                "position": position,
                "role": role,
                "full_name": person["full_name"],
                "name_folded": fold(person["full_name"]),
                "personal_id": person.get("personal_id") or None,
                "sex": person.get("sex"),
                "date_of_birth": person.get("date_of_birth"),
                "birth_year": int(birth[:4]) if birth else None,
                "mother_folded": mother if role == "child" else None,
                "father_folded": father if role == "child" else None,
                "ethnicity": person.get("ethnicity"),
            }
        )
    return rows


def _folded_name(person: dict[str, Any] | None) -> str | None:
    return fold(person["full_name"]) if person else None


def subject_name(kind: RecordType, data: dict[str, Any]) -> str:
    if kind is RecordType.HOUSEHOLD:
        return next(m["full_name"] for m in data["members"] if m["relationship"] == "head")
    if kind is RecordType.MARRIAGE:
        return f"{data['husband']['full_name']} & {data['wife']['full_name']}"
    key = PEOPLE_KEYS[kind][0][0]
    return data[key]["full_name"]


def subject_sort_key(kind: RecordType, data: dict[str, Any]) -> bytes:
    if kind is RecordType.MARRIAGE:
        return name_sort_key(data["husband"]["full_name"])
    return name_sort_key(subject_name(kind, data))


def derived_columns(kind: RecordType, data: dict[str, Any]) -> dict[str, Any]:
    """Columns computed from the data: where it is, whom it names, its hash, the household it follows up."""
    return {
        "commune_code": data["commune_code"],
        "village": data["village"],
        "subject_name": subject_name(kind, data),
        "subject_sort_key": subject_sort_key(kind, data),
        "content_hash": content_hash(kind, data),
        "household_id": None if kind is RecordType.HOUSEHOLD else data.get("household_id"),
    }


def replace_data(
    record: Record, data: dict[str, Any], by: User, *, device_id: int | None, source: str
) -> None:
    """New data for a record: a new version, its people re-derived, the old data kept as history."""
    province_code = record.province_code
    for column, value in derived_columns(record.type, data).items():
        setattr(record, column, value)
    record.province_code = province_code
    record.data = data
    record.version += 1
    db.session.execute(delete(RecordPerson).where(RecordPerson.record_id == record.id))
    rows = [{**row, "record_id": record.id} for row in people_of(record.type, data)]
    if rows:
        db.session.execute(insert(RecordPerson).execution_options(render_nulls=True), rows)
    db.session.add(
        RecordVersion(
            record_id=record.id,
            version=record.version,
            data=data,
            created_by_id=by.id,
            device_id=device_id,
            source=source,
        )
    )


def transition(
    record: Record, action: Action, by: User, *, comment: str | None = None, reason: str | None = None
) -> None:
    """Apply a state-machine action, log it, and tell the collector's phone through the feed.

    `comment` goes to the collector (return, reject); `reason` stays in the office's log (reopen).
    """
    name, detail = _apply(record, action, comment, reason)
    record_audit(name, "record", record.id, actor_id=by.id, detail=detail)
    count_transition(record, name, by.id)
    publish_event(record, comment)


def transition_many(
    found: list[Record], action: Action, by: User, columns: dict[str, dict[str, Any]] | None = None
) -> None:
    """transition() for many records at once (a bulk import): one statement per table, not per record.

    `columns` sets more columns per record id in the same UPDATE (a transfer's number and date).
    """
    if not found:
        return
    now, audits, updates, events, names = utcnow(), [], [], [], set()
    for record in found:
        before, after = record.state, next_state(action, record.state)
        extra = (columns or {}).get(record.id, {})
        name = audit_action(action, before)
        number, on = extra.get("registration_number"), extra.get("registration_date")
        detail = _detail(action, before, after, None, number, on)
        audits.append(audit_row(name, "record", record.id, actor_id=by.id, detail=detail))
        updates.append({"b_id": record.id, "state": after, "updated_at": now, **extra})
        events.append({"record_id": record.id, "collector_id": record.captured_by_id, "state": after,
                       "version": record.version})  # fmt: skip
        names.add(name)
    table = Record.__table__
    values = {key: bindparam(key) for key in updates[0] if key != "b_id"}
    for name in names:
        count_transitions(found, name, by.id)
    db.session.execute(update(table).where(table.c.id == bindparam("b_id")).values(values), updates)
    for record in found:  # the rows changed under the ORM: read them afresh when next used
        db.session.expire(record)
    record_audit_many(audits)
    _lock_feed()
    db.session.execute(insert(RecordEvent), events)


def _apply(
    record: Record, action: Action, comment: str | None, reason: str | None
) -> tuple[str, dict[str, Any]]:
    """Move the record and say so: the audit action's name and its detail."""
    before = record.state
    name = audit_action(action, before)
    record.apply(action)
    if comment is not None:
        record.review_comment = comment
    record.updated_at = utcnow()
    detail = _detail(
        action, before, record.state, comment or reason, record.registration_number, record.registration_date
    )
    return name, detail


def _detail(
    action: Action, before: State, after: State, comment: str | None, number: str | None, on: Any
) -> dict[str, Any]:
    detail: dict[str, Any] = {"from": before.value, "to": after.value}
    if comment:
        detail["comment"] = comment
    if action is Action.TRANSFER:
        detail["number"] = number
        detail["date"] = on.isoformat() if on else None
    return detail


def audit_action(action: Action, before: State) -> str:
    """The audit log's name of an action: an undo names the decision it takes back."""
    if action is Action.UNDO:
        return f"record.undo.{UNDO_TARGETS[before][0].value}"
    return f"record.{action.value}"


def publish_event(record: Record, comment: str | None = None) -> None:
    """Append to the collector's change feed.

    On PostgreSQL the feed's ids must become visible in order, or a phone reading "after id N" could
    skip a row committed late with a smaller id; a transaction-scoped advisory lock serializes the
    writers of the feed (reviews, at human pace) until commit. SQLite serializes writers anyway.
    """
    _lock_feed()
    db.session.add(
        RecordEvent(
            record_id=record.id,
            collector_id=record.captured_by_id,
            state=record.state,
            version=record.version,
            comment=comment,
        )
    )
    db.session.flush()


def _lock_feed() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK_KEY})
