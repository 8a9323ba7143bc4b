"""Field-level edits by a clerk: a new version through the record's own schema, each change kept."""

from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import insert, select

from fieldapp.accounts.models import User
from fieldapp.errors import flatten_errors
from fieldapp.extensions import db
from fieldapp.records import services as records
from fieldapp.records.audit import record_audit
from fieldapp.records.forms import field_at, label_of
from fieldapp.records.formvalues import Block, apply_typed, blocks
from fieldapp.records.models import Record, RecordType
from fieldapp.records.schemas import load_record_data
from fieldapp.records.states import State
from fieldapp.review.duplicates import flag_duplicates
from fieldapp.review.models import FieldChange
from fieldapp.review.services import ReviewRefused, check_version, require_reviewer
from fieldapp.timeutil import utcnow
from fieldapp.vn.models import AdminUnit

#: a clerk corrects a record while it is at the office and not yet verified
EDITABLE_STATES = frozenset({State.SUBMITTED, State.IN_REVIEW})
#: keys the schemas compute; they are re-derived, never typed
DERIVED_KEYS = frozenset({"dob_solar"})
#: keys that point at other records (the phone sets them); the history words them as a whole
LINK_KEYS = frozenset({"door_check", "household_id"})
#: where a record is decides whose area it is in: not a field a clerk retypes
LOCKED_FIELDS = frozenset({"commune_code"})


def field_label(path: str, kind: RecordType | None = None) -> str:
    """ "members.1.full_name" -> "Thành viên 2 · Họ, chữ đệm và tên", from the form definition."""
    for candidate in [kind] if kind else list(RecordType):
        if field_at(candidate, path) is not None:
            return label_of(candidate, path)
    return path


def unit_choices(user: User) -> list[tuple[str, str]]:
    """The communes a user may put a record in, as (code, name without the type word: the label
    "Xã, phường" already says it)."""
    from fieldapp.accounts.scope import area_clause

    statement = (
        select(AdminUnit.code, AdminUnit.short_name)
        .where(AdminUnit.level == "commune", area_clause(user, AdminUnit.province_code, AdminUnit.code))
        .order_by(AdminUnit.name_folded)
    )
    return [(code, name) for code, name in db.session.execute(statement)]


def units_for(user: User, record: Record) -> list[tuple[str, str]]:
    """The user's communes, and the record's own even when it lies outside them (its name, never a code)."""
    units = unit_choices(user)
    code = (record.data or {}).get("commune_code")
    if code and code not in dict(units):
        unit = db.session.get(AdminUnit, code)
        units.append((code, unit.short_name if unit else code))
    return units


def form_blocks(
    record: Record, user: User, typed: dict[str, str] | None = None, errors: dict[str, Any] | None = None
) -> list[Block]:
    """The record page's form: every field of the definition, showing words and dd/mm/yyyy dates."""
    out = blocks(record.type, record.data, units_for(user, record), typed, errors, skip=lambda f: f.on_item)
    for block in out:
        for widget in block.widgets:
            widget.readonly = widget.path in LOCKED_FIELDS
    return out


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves of the data by dotted path, in the order of the form; derived keys left out."""
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            if key not in DERIVED_KEYS and not (key in LINK_KEYS and not prefix):
                flat.update(flatten(value, f"{prefix}.{key}" if prefix else key))
        return flat
    if isinstance(data, list):
        flat = {}
        for index, value in enumerate(data):
            flat.update(flatten(value, f"{prefix}.{index}"))
        return flat
    return {prefix: data}


def _strip_derived(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_derived(v) for k, v in data.items() if k not in DERIVED_KEYS}
    if isinstance(data, list):
        return [_strip_derived(v) for v in data]
    return data


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def edit_record(record: Record, user: User, typed: dict[str, str], base_version: int | None) -> list[str]:
    """Apply the fields a clerk changed; returns the changed paths (none: nothing is written)."""
    require_reviewer(user)
    check_version(record, base_version)
    if record.state not in EDITABLE_STATES:
        raise ReviewRefused(409, _("Chỉ sửa được hồ sơ đang chờ hoặc đang rà soát."))
    current = flatten(record.data)
    typed = {p: v for p, v in typed.items() if p not in LOCKED_FIELDS}
    draft, problems = apply_typed(record.type, _strip_derived(record.data), typed, units_for(user, record))
    try:
        data = load_record_data(record.type, draft)
    except ValidationError as exc:
        problems = {**flatten_errors(exc.messages), **problems}
    if problems:
        raise ReviewRefused(422, refusal(record.type, problems), problems)
    after = flatten(data)
    changed = [p for p in dict.fromkeys([*current, *after]) if current.get(p) != after.get(p)]
    if not changed:
        return []
    records.replace_data(record, data, user, device_id=None, source="edit")
    flag_duplicates([record.id])  # an edited record is checked again, like one arriving
    now = utcnow()
    rows = [
        {
            "record_id": record.id,
            "version": record.version,
            "field": path[:120],
            "old_value": as_text(current.get(path)),
            "new_value": as_text(after.get(path)),
            "changed_by_id": user.id,
            "changed_at": now,
        }
        for path in changed
    ]
    db.session.execute(insert(FieldChange), rows)
    record_audit(
        "record.edit",
        "record",
        record.id,
        actor_id=user.id,
        detail={"version": record.version, "fields": changed},
    )
    db.session.flush()
    return changed


def refusal(kind: RecordType, problems: dict[str, list[str]]) -> str:
    """One sentence naming the fields to fix by their Vietnamese labels."""
    names = [field_label(path.removeprefix("data."), kind) for path in problems if path != "_schema"]
    if not names:
        return " ".join(problems.get("_schema", [])) or _("Dữ liệu chưa hợp lệ.")
    return _("Chưa lưu: %(n)s trường cần sửa: %(names)s.", n=len(names), names="; ".join(names))
