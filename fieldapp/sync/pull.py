"""Pull: what changed for a collector's records since the device's cursor, and a refilled code pool."""

from typing import Any

from sqlalchemy import select

from fieldapp.accounts.models import Device, User
from fieldapp.extensions import db
from fieldapp.receipts.services import top_up_pool
from fieldapp.records.models import Record, RecordEvent
from fieldapp.records.states import State
from fieldapp.timeutil import isoformat_utc


def pull_changes(user: User, device: Device, cursor: int, *, limit: int, pool_size: int) -> dict[str, Any]:
    events = list(
        db.session.scalars(
            select(RecordEvent)
            .where(RecordEvent.collector_id == user.id, RecordEvent.id > cursor)
            .order_by(RecordEvent.id)
            .limit(limit + 1)
        )
    )
    more = len(events) > limit
    events = events[:limit]
    latest: dict[str, RecordEvent] = {}
    for event in events:  # a record that changed twice since the cursor is sent once, as it is now
        latest.pop(event.record_id, None)
        latest[event.record_id] = event
    return {
        "changes": _changes(list(latest.values())),
        "receipt_codes": top_up_pool(device, pool_size),
        "cursor": str(events[-1].id if events else cursor),
        "more": more,
    }


def _changes(events: list[RecordEvent]) -> list[dict[str, Any]]:
    if not events:
        return []
    ids = [event.record_id for event in events]
    current = {r.id: r for r in db.session.scalars(select(Record).where(Record.id.in_(ids)))}
    changes = []
    for event in events:
        record = current[event.record_id]
        change = {
            "id": record.id,
            "type": record.type.value,
            "state": record.state.value,
            "version": record.version,
            "comment": record.review_comment if record.state in (State.RETURNED, State.REJECTED) else None,
            "receipt_code": record.receipt_code,
            "subject_name": record.subject_name,
            "changed_at": isoformat_utc(event.created_at),
        }
        if record.state is State.RETURNED:
            change["data"] = record.data
        changes.append(change)
    return changes
