"""Field-level edits by a clerk: a new version through the record's own schema, each change kept."""

import copy
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import insert, select

from fieldapp.accounts.models import User
from fieldapp.errors import flatten_errors
from fieldapp.extensions import db
from fieldapp.records import services as records
from fieldapp.records.audit import record_audit
from fieldapp.records.models import Record
from fieldapp.records.schemas import load_record_data
from fieldapp.records.states import State
from fieldapp.review.duplicates import flag_duplicates
from fieldapp.review.models import FieldChange
from fieldapp.review.services import ReviewRefused, check_version, require_reviewer
from fieldapp.timeutil import utcnow

#: a clerk corrects a record while it is at the office and not yet verified
EDITABLE_STATES = frozenset({State.SUBMITTED, State.IN_REVIEW})
#: keys the schemas compute; they are re-derived, never typed
DERIVED_KEYS = frozenset({"dob_solar"})
#: where a record is decides whose area it is in: not a field a clerk retypes
LOCKED_FIELDS = frozenset({"commune_code"})

FIELD_LABELS: dict[str, Any] = {
    "village": _l("Thôn, bản"),
    "address": _l("Địa chỉ"),
    "members": _l("Thành viên"),
    "child": _l("Người được khai sinh"),
    "mother": _l("Mẹ"),
    "father": _l("Cha"),
    "deceased": _l("Người chết"),
    "husband": _l("Chồng"),
    "wife": _l("Vợ"),
    "register": _l("Sổ đăng ký"),
    "full_name": _l("Họ và tên"),
    "sex": _l("Giới tính"),
    "date_of_birth": _l("Ngày sinh"),
    "dob_calendar": _l("Lịch (ngày sinh)"),
    "dob_leap_month": _l("Tháng nhuận"),
    "ethnicity": _l("Dân tộc"),
    "nationality": _l("Quốc tịch"),
    "personal_id": _l("Số định danh cá nhân"),
    "relationship": _l("Quan hệ với chủ hộ"),
    "residence": _l("Nơi cư trú"),
    "place_of_birth": _l("Nơi sinh"),
    "date_of_death": _l("Ngày chết"),
    "dod_calendar": _l("Lịch (ngày chết)"),
    "place_of_death": _l("Nơi chết"),
    "cause_of_death": _l("Nguyên nhân chết"),
    "marriage_date": _l("Ngày đăng ký kết hôn"),
    "book_number": _l("Quyển số"),
    "book_year": _l("Năm của sổ"),
    "page": _l("Trang"),
    "entry_number": _l("Số thứ tự"),
    "registered_on": _l("Ngày đăng ký"),
    "commune_code": _l("Mã xã"),
}


def field_label(path: str) -> str:
    """ "members.1.full_name" -> "Thành viên 2 · Họ và tên"."""
    parts = []
    for part in path.split("."):
        if part.isdigit():
            parts[-1] = f"{parts[-1]} {int(part) + 1}"
        else:
            parts.append(str(FIELD_LABELS.get(part, part)))
    return " · ".join(parts)


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves of the data by dotted path, in the order of the form; derived keys left out."""
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            if key not in DERIVED_KEYS:
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


def _set(data: Any, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _typed(old: Any, typed: str) -> Any:
    """What the clerk typed, in the type the field had."""
    typed = typed.strip()
    if isinstance(old, bool):
        return typed.lower() in ("1", "true", "on", "yes", "có")
    if isinstance(old, int):
        try:
            return int(typed)
        except ValueError:
            return typed  # the schema answers with its own message
    return typed


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
    draft = _strip_derived(copy.deepcopy(record.data))
    for path, value in typed.items():
        if path in current and path not in LOCKED_FIELDS and as_text(current[path]) != value.strip():
            _set(draft, path, _typed(current[path], value))
    try:
        data = load_record_data(record.type, draft)
    except ValidationError as exc:
        raise ReviewRefused(
            422, _("Dữ liệu chưa hợp lệ; xem chi tiết từng trường."), flatten_errors(exc.messages)
        ) from exc
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


def history_of(record: Record) -> list[tuple[FieldChange, str]]:
    """Every field change of a record, newest first, with who made it."""
    rows = db.session.execute(
        select(FieldChange, User.full_name, User.username)
        .join(User, User.id == FieldChange.changed_by_id)
        .where(FieldChange.record_id == record.id)
        .order_by(FieldChange.id.desc())
    )
    return [(change, full_name or username) for change, full_name, username in rows]
