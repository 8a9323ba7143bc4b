"""What a record says about other records, in words for the clerk: the duplicate check the worker made
at the door, the household an event follows up, the events that follow up a household.

A record is linked only when the clerk may open it; any other id (another commune's record, one not yet
sent) is counted, never shown.
"""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordType
from fieldapp.records.search import visible_records
from fieldapp.records.states import STATE_LABELS


@dataclass
class Linked:
    """A record the clerk may open, named as people know it."""

    id: str
    name: str
    village: str
    kind: RecordType
    state: str

    @property
    def title(self) -> str:
        return f"{self.name} ({self.village})" if self.village else self.name


@dataclass
class DoorCheck:
    sentence: str
    shown: list[Linked] = field(default_factory=list)
    chosen: Linked | None = None
    #: matches the clerk cannot open (another commune's, not sent yet)
    hidden: int = 0


def _visible(user: User, ids: list[str]) -> dict[str, Linked]:
    if not ids:
        return {}
    rows = db.session.scalars(visible_records(user).where(Record.id.in_(ids)))
    return {r.id: Linked(r.id, r.subject_name, r.village, r.type, str(STATE_LABELS[r.state])) for r in rows}


def door_check_of(record: Record, user: User) -> DoorCheck | None:
    """The worker's check against the registry before saving, as a sentence with links."""
    check = (record.data or {}).get("door_check")
    if not check:
        return None
    matches = list(check.get("matches") or [])
    chosen_id = check.get("chosen")
    seen = _visible(user, [*matches, *([chosen_id] if chosen_id else [])])
    shown = [seen[i] for i in matches if i in seen]
    return DoorCheck(
        door_sentence(record.type, len(matches), check.get("decision")),
        shown,
        seen.get(chosen_id) if chosen_id else None,
        len(matches) - len(shown),
    )


def door_sentence(kind: RecordType, found: int, decision: str | None) -> str:
    household = kind is RecordType.HOUSEHOLD
    if not found:
        if household:
            return _("Khi nhập, cán bộ thu thập đã kiểm tra và không thấy hộ nào có thể trùng.")
        return _("Khi nhập, cán bộ thu thập đã kiểm tra và không thấy người nào có thể trùng.")
    if decision == "existing":
        if household:
            return ngettext(
                "Khi nhập, cán bộ đã thấy %(num)s hộ có thể trùng và chọn hộ đã có.",
                "Khi nhập, cán bộ đã thấy %(num)s hộ có thể trùng và chọn hộ đã có.",
                found,
            )
        return ngettext(
            "Khi nhập, cán bộ đã thấy %(num)s hồ sơ có thể trùng và chọn hồ sơ đã có.",
            "Khi nhập, cán bộ đã thấy %(num)s hồ sơ có thể trùng và chọn hồ sơ đã có.",
            found,
        )
    if household:
        return ngettext(
            "Khi nhập, cán bộ đã thấy %(num)s hộ có thể trùng và vẫn tạo hộ mới.",
            "Khi nhập, cán bộ đã thấy %(num)s hộ có thể trùng và vẫn tạo hộ mới.",
            found,
        )
    return ngettext(
        "Khi nhập, cán bộ đã thấy %(num)s hồ sơ có thể trùng và vẫn tạo hồ sơ mới.",
        "Khi nhập, cán bộ đã thấy %(num)s hồ sơ có thể trùng và vẫn tạo hồ sơ mới.",
        found,
    )


@dataclass
class Household:
    """The household an event follows up: linked when the clerk may open it."""

    linked: Linked | None


def household_of(record: Record, user: User) -> Household | None:
    household_id = (record.data or {}).get("household_id")
    if not household_id or record.type is RecordType.HOUSEHOLD:
        return None
    return Household(_visible(user, [household_id]).get(household_id))


def follow_ups_of(record: Record, user: User) -> list[Linked]:
    """The births, deaths and marriages that follow up this household, those the clerk may open."""
    if record.type is not RecordType.HOUSEHOLD:
        return []
    ids = db.session.scalars(select(Record.id).where(Record.household_id == record.id)).all()
    found = _visible(user, list(ids))
    return sorted(found.values(), key=lambda linked: (linked.kind.value, linked.name))


def door_words(check: dict[str, Any] | None, kind: RecordType) -> str:
    """The door check in words without links (the history's old and new value)."""
    if not check:
        return ""
    return door_sentence(kind, len(check.get("matches") or []), check.get("decision"))


def household_words(user: User) -> Any:
    """household id -> "Giàng A Páo (Bản Pù Toong)" when the clerk may open it, else "một hộ"."""

    def words(household_id: str | None) -> str:
        if not household_id:
            return ""
        linked = _visible(user, [household_id]).get(household_id)
        return linked.title if linked else _("một hộ chưa gửi lên hoặc ngoài địa bàn")

    return words
