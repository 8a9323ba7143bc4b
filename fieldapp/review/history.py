"""A record's history as a clerk reads it: every version with its field changes, whoever made them
(collector's resubmission, clerk's edit, merge, register keying), and the log as sentences."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.records.audit import AuditEntry
from fieldapp.records.display import value_text
from fieldapp.records.forms import field_at
from fieldapp.records.models import Record, RecordType, RecordVersion
from fieldapp.records.states import ACTION_LABELS, STATE_LABELS, Action, State
from fieldapp.review import editing, links

#: how each version came to be
SOURCES = {
    "field": _l("Thu thập trên điện thoại"),
    "import": _l("Nhập từ tệp của điện thoại"),
    "register": _l("Nhập từ sổ đăng ký"),
    "push": _l("Cán bộ thu thập sửa và gửi lại"),
    "edit": _l("Cán bộ xã sửa"),
    "merge": _l("Gộp hồ sơ trùng"),
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Version:
    number: int
    at: datetime
    who: str
    how: str
    changes: list[Change] = field(default_factory=list)


def field_label(path: str) -> str:
    """The form's label of a field; the one place to switch when the labels move."""
    return editing.field_label(path)


def _leaf_text(path: str, data: dict[str, Any]) -> str:
    """A leaf of the data in words, read with its siblings (a date needs its calendar)."""
    *parents, key = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.get(part, {})
    value = node.get(key) if isinstance(node, dict) else None
    return value_text(key, value, node if isinstance(node, dict) else None)


def _default_text(kind: RecordType, path: str) -> str:
    """What a missing value means, in words (a member with no status lives there)."""
    f = field_at(kind, path)
    return value_text(f.key, f.default) if f is not None and f.default else ""


def diff(before: dict[str, Any], after: dict[str, Any], kind: RecordType, names: Any = None) -> list[Change]:
    """Every field whose words differ between two versions of the data, in the form's order; then the
    links to other records (`names` words a household id for this clerk)."""
    old, new = editing.flatten(before), editing.flatten(after)
    changes = []
    for path in dict.fromkeys([*new, *old]):
        was = _leaf_text(path, before) if path in old else _default_text(kind, path)
        now = _leaf_text(path, after) if path in new else _default_text(kind, path)
        if was != now:
            changes.append(Change(field_label(path), was, now))
    door = [links.door_words(data.get("door_check"), kind) for data in (before, after)]
    if door[0] != door[1]:
        changes.append(Change(_("Kiểm tra trùng khi nhập"), *door))
    if before.get("household_id") != after.get("household_id"):
        word = names or (lambda household_id: _("một hộ") if household_id else "")
        changes.append(
            Change(_("Thuộc hộ"), word(before.get("household_id")), word(after.get("household_id")))
        )
    return changes


def versions_of(record: Record, user: User | None = None) -> list[Version]:
    """Every version of the record, newest first; each after the first with what it changed."""
    rows = db.session.execute(
        select(RecordVersion, User.full_name, User.username)
        .outerjoin(User, User.id == RecordVersion.created_by_id)
        .where(RecordVersion.record_id == record.id)
        .order_by(RecordVersion.version)
    ).all()
    versions, previous = [], None
    names = links.household_words(user) if user is not None else None
    for row, full_name, username in rows:
        how = str(SOURCES.get(row.source, _l("Thay đổi dữ liệu")))
        version = Version(row.version, row.created_at, full_name or username or "", how)
        if previous is not None:
            version.changes = diff(previous, row.data, record.type, names)
        versions.append(version)
        previous = row.data
    return versions[::-1]


def trail_of(record: Record) -> list[tuple[datetime, str]]:
    """The record's log, oldest first, each entry a sentence in the user's language."""
    rows = db.session.execute(
        select(AuditEntry, User.full_name, User.username)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.entity_type == "record", AuditEntry.entity_id == record.id)
        .order_by(AuditEntry.id)
    )
    return [(entry.at, sentence(entry, full_name or username or "")) for entry, full_name, username in rows]


def sentence(entry: AuditEntry, who: str) -> str:
    """One audit entry in words: who did what, with the reason or number it carried."""
    detail = entry.detail or {}
    name = entry.action.removeprefix("record.")
    if name.startswith("undo."):
        undone = ACTION_LABELS.get(_action(name.removeprefix("undo.")), _l("thao tác"))
        text = _("%(who)s hoàn tác «%(action)s».", who=who, action=undone)
    elif name in SENTENCES:
        text = str(SENTENCES[name]) % {"who": who, "version": detail.get("version", "")}
    elif name == "transfer":
        text = _(
            "%(who)s ghi nhận hồ sơ đã chuyển vào hệ thống hộ tịch điện tử (số %(number)s, ngày %(date)s).",
            who=who,
            number=detail.get("number") or "…",
            date=_day(detail.get("date")),
        )
    else:
        text = _("%(who)s: một thao tác khác trên hồ sơ.", who=who)
    if detail.get("comment"):
        text = f"{text} {_('Lý do')}: {detail['comment']}"
    if name in ("start", "resubmit") or name.startswith("undo."):
        to = _state(detail.get("to"))
        text = f"{text} {_('Trạng thái')}: {to}." if to else text
    return text


SENTENCES = {
    "create": _l("%(who)s gửi hồ sơ lên."),
    "update": _l("%(who)s sửa và gửi lại hồ sơ (phiên bản %(version)s)."),
    "resubmit": _l("Hồ sơ đã bổ sung được gửi lại để rà soát."),
    "start": _l("%(who)s bắt đầu rà soát."),
    "verify": _l("%(who)s xác nhận hồ sơ khớp với sổ đăng ký."),
    "return": _l("%(who)s trả lại hồ sơ để cán bộ thu thập bổ sung."),
    "reject": _l("%(who)s từ chối hồ sơ."),
    "reopen": _l("%(who)s mở lại hồ sơ đã đối chiếu để rà soát lại."),
    "edit": _l("%(who)s sửa dữ liệu (phiên bản %(version)s)."),
    "comment": _l("%(who)s thêm ghi chú."),
}


def _action(value: str) -> Action | None:
    try:
        return Action(value)
    except ValueError:
        return None


def _state(value: str | None) -> str:
    try:
        return str(STATE_LABELS[State(value)]) if value else ""
    except ValueError:
        return ""


def _day(value: str | None) -> str:
    return "/".join(reversed(value.split("-"))) if value else "…"
