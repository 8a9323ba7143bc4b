"""Record rules that span rows: who a record names, its content hash, versions, the change feed."""

import hashlib
import json
from typing import Any

from sqlalchemy import delete, insert, text

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.progress.counters import count_transition
from fieldapp.records.audit import record_audit
from fieldapp.records.models import Record, RecordEvent, RecordPerson, RecordType, RecordVersion
from fieldapp.records.states import Action
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
    """Columns computed from the data: where it is, whom it names, its hash."""
    return {
        "commune_code": data["commune_code"],
        "village": data["village"],
        "subject_name": subject_name(kind, data),
        "subject_sort_key": subject_sort_key(kind, data),
        "content_hash": content_hash(kind, data),
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


def transition(record: Record, action: Action, by: User, *, comment: str | None = None) -> None:
    """Apply a state-machine action, log it, and tell the collector's phone through the feed."""
    before = record.state
    record.apply(action)
    if comment is not None:
        record.review_comment = comment
    record.updated_at = utcnow()
    record_audit(
        f"record.{action.value}",
        "record",
        record.id,
        actor_id=by.id,
        detail={"from": before.value, "to": record.state.value},
    )
    count_transition(record, f"record.{action.value}", by.id)
    publish_event(record, comment)


def publish_event(record: Record, comment: str | None = None) -> None:
    """Append to the collector's change feed.

    On PostgreSQL the feed's ids must become visible in order, or a phone reading "after id N" could
    skip a row committed late with a smaller id; a transaction-scoped advisory lock serializes the
    writers of the feed (reviews, at human pace) until commit. SQLite serializes writers anyway.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK_KEY})
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
