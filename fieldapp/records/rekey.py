"""Recompute the stored keys derived from a record's data after the rules that make them change.

``records.subject_sort_key`` holds ICU sort keys of names and ``record_people`` folded names and
ethnicity codes. When the rules change (tone-mark placement unified before sorting, a zero-width
space read as a space) rows written before keep the old keys until this runs: ``flask records
rekey``. Idempotent; only rows whose key differs are written.
"""

from typing import Any

from sqlalchemy import bindparam, select, update

from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordPerson
from fieldapp.records.services import people_of, subject_sort_key

PEOPLE_KEYS = ("name_folded", "mother_folded", "father_folded", "ethnicity")
_RECORDS = Record.__table__
_SET_SORT_KEY = (
    update(_RECORDS).where(_RECORDS.c.id == bindparam("record_id")).values(subject_sort_key=bindparam("key"))
)


def _people_updates(records: list[Any]) -> list[dict[str, Any]]:
    derived = {
        (record.id, row["position"]): row for record in records for row in people_of(record.type, record.data)
    }
    stored = db.session.execute(
        select(
            RecordPerson.id,
            RecordPerson.record_id,
            RecordPerson.position,
            *(getattr(RecordPerson, key) for key in PEOPLE_KEYS),
        ).where(RecordPerson.record_id.in_([record.id for record in records]))
    ).all()
    updates = []
    for row in stored:
        fresh = derived.get((row.record_id, row.position))
        if fresh is not None and any(getattr(row, key) != fresh[key] for key in PEOPLE_KEYS):
            updates.append({"id": row.id, **{key: fresh[key] for key in PEOPLE_KEYS}})
    return updates


def rekey_records(batch_size: int = 1000) -> dict[str, int]:
    """Rewrite the sort keys and folded names that differ from today's rules; does not commit."""
    counts = {"records": 0, "sort_keys": 0, "people": 0}
    last_id = ""
    while True:
        records = db.session.execute(
            select(Record.id, Record.type, Record.data, Record.subject_sort_key)
            .where(Record.id > last_id)
            .order_by(Record.id)
            .limit(batch_size)
        ).all()
        if not records:
            return counts
        keys = [
            {"record_id": r.id, "key": key}
            for r in records
            if (key := subject_sort_key(r.type, r.data)) != r.subject_sort_key
        ]
        people = _people_updates(records)
        if keys:
            # Core UPDATE: the ORM's bulk update would check Record's optimistic-lock version.
            db.session.execute(_SET_SORT_KEY, keys)
        if people:
            db.session.execute(update(RecordPerson), people)
        counts["records"] += len(records)
        counts["sort_keys"] += len(keys)
        counts["people"] += len(people)
        last_id = records[-1].id
