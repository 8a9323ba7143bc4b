"""Households a collector wrote on paper (phone dead, a receipt from a paper pad), keyed at the office.

The record is the collector's, as if their phone had pushed it (same push rules, source "import"), so the
pad's code must be that collector's and unused; the clerk who keyed it is in the audit log.
"""

from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError

from fieldapp.accounts.models import User
from fieldapp.errors import flatten_errors
from fieldapp.extensions import db
from fieldapp.receipts.services import pad_manager_allowed
from fieldapp.records.audit import record_audit
from fieldapp.records.formvalues import Block, apply_typed, blocks
from fieldapp.records.models import RecordType, Source
from fieldapp.records.schemas import load_record_data
from fieldapp.review.editing import refusal, unit_choices
from fieldapp.review.services import ReviewRefused, require_reviewer
from fieldapp.sync.schemas import load_push_items
from fieldapp.timeutil import utcnow

#: member blocks on the page; the empty ones are left out when it is saved
MEMBER_ROWS = 6
#: what an untouched member row holds (its selects' preset values): such a row is no member
ROW_PRESETS = frozenset({"relationship", "status"})
Errors = dict[str, list[str]]


def household_blocks(user: User, typed: dict[str, str], errors: Errors | None = None) -> list[Block]:
    rows = [{"relationship": "head"}, *[{} for _ in range(MEMBER_ROWS - 1)]]
    return blocks(RecordType.HOUSEHOLD, {"members": rows}, unit_choices(user), typed, errors)


def collector_for(user: User, collector_id: str) -> User:
    collector = db.session.get(User, int(collector_id)) if collector_id.isdigit() else None
    if collector is None or not pad_manager_allowed(user, collector):
        raise ReviewRefused(422, _("Hãy chọn cán bộ thu thập của địa bàn."), {"collector": [_("Bắt buộc.")]})
    return collector


def key_household(
    user: User, collector_id: str, typed: dict[str, str], record_id: str
) -> tuple[dict[str, Any] | None, Errors, str]:
    """Store the household for its collector: (push answer, {}, "") or (None, field errors, a sentence)."""
    from fieldapp.sync.services import push_batch

    require_reviewer(user)
    try:
        collector = collector_for(user, collector_id)
    except ReviewRefused as refused:
        return None, refused.errors, refused.message
    data, problems = apply_typed(RecordType.HOUSEHOLD, {}, typed, unit_choices(user))
    data["members"] = [m for m in data.get("members", []) if set(m) - ROW_PRESETS]
    if problems:
        try:
            load_record_data(RecordType.HOUSEHOLD, data)
        except ValidationError as exc:
            problems = {**flatten_errors(exc.messages), **problems}
        return None, problems, refusal(RecordType.HOUSEHOLD, problems)
    raw: dict[str, Any] = {
        "id": record_id,
        "type": "household",
        "captured_at": utcnow().isoformat() + "+00:00",
    }
    if typed.get("receipt_code", "").strip():
        raw["receipt_code"] = typed["receipt_code"].strip()
    result = push_batch(collector, None, load_push_items([{**raw, "data": data}]), source=Source.IMPORT)[0]
    if result["status"] not in ("created", "duplicate"):
        errors = {k.removeprefix("data."): v for k, v in (result.get("errors") or {}).items()}
        errors = errors or {"_schema": [_("Không lưu được hộ này.")]}
        return None, errors, refusal(RecordType.HOUSEHOLD, errors)
    record_audit("record.paper", "record", result["id"], actor_id=user.id, detail={"collector": collector.id})
    return result, {}, ""
