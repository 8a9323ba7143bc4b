"""The registry feed: the households of a caller's area that changed since their cursor, in the
phone's shape (short keys, a key left out when it has nothing to say).

A page reads the change log after the cursor, keeping for each household only its latest row that
concerns the area, so a household is sent once however often it changed; what is sent is the household
as it is now. A household the area no longer holds (moved to another village or commune, rejected,
merged away, deleted) is sent as gone.
"""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, false, func, select

from fieldapp.accounts.models import User
from fieldapp.accounts.scope import area_clause
from fieldapp.accounts.villages import takes_villages
from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordType
from fieldapp.records.states import COLLECTOR_EDITABLE, State
from fieldapp.registry.capture import village_key
from fieldapp.registry.models import RegistryChange
from fieldapp.sync.services import PUSH_ROLES

#: the date each event type is known by, with the key of its calendar
EVENT_DATES: dict[RecordType, tuple[str, str | None, str | None]] = {
    RecordType.BIRTH: ("child", "date_of_birth", "dob_calendar"),
    RecordType.DEATH: ("", "date_of_death", "dod_calendar"),
    RecordType.MARRIAGE: ("", "marriage_date", None),
}
_RECORDS = Record.__table__


class NoArea(Exception):
    """The caller has no area (an administrator of the whole country): there is no registry to send."""

    message = property(lambda self: _("Tài khoản chưa được giao địa bàn nên không có danh sách hộ."))


@dataclass(frozen=True)
class Scope:
    """Where a caller's households are: a province or a commune, and maybe only some of its villages."""

    province: str | None
    commune: str | None
    #: folded village names; empty means every village
    villages: frozenset[str]

    def changes(self, table: Any) -> ColumnElement[bool]:
        """Change rows of this area (of registry_changes or an alias of it)."""
        if self.commune is not None:
            clause = table.commune_code == self.commune
            if self.villages:
                clause = and_(clause, table.village_key.in_(sorted(self.villages)))
            return clause
        return table.province_code == self.province if self.province else false()

    def holds(self, province: str, commune: str, village: str) -> bool:
        if self.commune is not None:
            return commune == self.commune and (not self.villages or village_key(village) in self.villages)
        return province == self.province


def scope_of(user: User) -> Scope:
    area = user.area_code
    if area is None:
        raise NoArea
    if len(area) == 2:
        return Scope(area, None, frozenset())
    assigned = (user.villages or []) if takes_villages(user) else []
    villages = frozenset(key for key in (village_key(v) for v in assigned) if key)
    return Scope(None, area, villages)


def feed_page(user: User, cursor: int, limit: int) -> dict[str, Any]:
    """One page of the feed after `cursor`: {"households", "cursor", "more"}, and "total" at cursor 0.

    A cursor beyond the log's end means the log restarted (a restore from backup): the answer is then a
    full download, marked "reset", so the phone replaces what it holds instead of missing changes."""
    scope = scope_of(user)
    reset = cursor > 0 and cursor > (db.session.scalar(select(func.max(RegistryChange.id))) or 0)
    if reset:  # a cursor the log never gave out: the database was restored from a backup
        cursor = 0
    rows = _changes_after(scope, cursor, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    page: dict[str, Any] = {
        "households": _entries(user, scope, [household for _id, household in rows]),
        "cursor": str(rows[-1][0] if rows else cursor),
        "more": more,
    }
    if cursor == 0:
        page["total"] = households_in(user, scope)
    if reset:
        page["reset"] = True
    return page


def _changes_after(scope: Scope, cursor: int, limit: int) -> list[tuple[int, str]]:
    """(change id, household id) after the cursor, each household at its latest row for this area.

    One range scan of the area's rows after the cursor, grouped: a correlated "no later row" test would
    probe the log once per row."""
    last = func.max(RegistryChange.id).label("last")
    statement = (
        select(last, RegistryChange.household_id)
        .where(RegistryChange.id > cursor, scope.changes(RegistryChange))
        .group_by(RegistryChange.household_id)
        .order_by(last)
        .limit(limit)
    )
    return [(row.last, row.household_id) for row in db.session.execute(statement)]


_HOUSEHOLD_COLUMNS = (
    _RECORDS.c.id,
    _RECORDS.c.type,
    _RECORDS.c.state,
    _RECORDS.c.version,
    _RECORDS.c.province_code,
    _RECORDS.c.commune_code,
    _RECORDS.c.village,
    _RECORDS.c.receipt_code,
    _RECORDS.c.captured_by_id,
    _RECORDS.c.data,
)


def _entries(user: User, scope: Scope, ids: list[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    found = {
        row.id: row
        for row in db.session.execute(select(*_HOUSEHOLD_COLUMNS).where(_RECORDS.c.id.in_(ids)))
        if row.type == RecordType.HOUSEHOLD
        and row.state != State.REJECTED
        and scope.holds(row.province_code, row.commune_code, row.village)
    }
    events = _events_of(user, list(found))
    return [
        household_entry(user, found[i], events.get(i, [])) if i in found else {"id": i, "gone": True}
        for i in ids
    ]


def household_entry(user: User, row: Any, events: list[dict[str, Any]]) -> dict[str, Any]:
    data = row.data
    entry: dict[str, Any] = {
        "id": row.id,
        "version": row.version,
        "state": State(row.state).value,
        "commune_code": row.commune_code,
        "village": row.village,
    }
    _put(entry, "address", data.get("address"))
    _put(entry, "receipt_code", row.receipt_code)
    mine = row.captured_by_id == user.id
    _put(entry, "mine", mine)
    _put(entry, "editable", mine and user.role in PUSH_ROLES and row.state in COLLECTOR_EDITABLE)
    entry["members"] = [member_entry(m) for m in data.get("members", [])]
    _put(entry, "events", events)
    return entry


def member_entry(member: dict[str, Any]) -> dict[str, Any]:
    out = {"name": member["full_name"], "sex": member.get("sex"), "dob": member.get("date_of_birth")}
    _put(out, "cal", "lunar" if member.get("dob_calendar") == "lunar" else None)
    _put(out, "leap", bool(member.get("dob_leap_month")))
    _put(out, "pid", member.get("personal_id"))
    _put(out, "eth", member.get("ethnicity"))
    _put(out, "nat", None if member.get("nationality", "VN") == "VN" else member.get("nationality"))
    _put(out, "rel", member.get("relationship"))
    _put(out, "status", member.get("status"))
    return {k: v for k, v in out.items() if v is not None}


def _put(entry: dict[str, Any], key: str, value: Any) -> None:
    """A key only when it says something: no null, no false, no empty list."""
    if value not in (None, False, "", []):
        entry[key] = value


def _events_of(user: User, household_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The births, deaths and marriages that follow up these households, those in the caller's area."""
    if not household_ids:
        return {}
    statement = select(
        _RECORDS.c.id,
        _RECORDS.c.type,
        _RECORDS.c.state,
        _RECORDS.c.household_id,
        _RECORDS.c.subject_name,
        _RECORDS.c.data,
    ).where(
        _RECORDS.c.household_id.in_(household_ids),
        _RECORDS.c.state != State.REJECTED,
        area_clause(user, _RECORDS.c.province_code, _RECORDS.c.commune_code),
    )
    events: dict[str, list[dict[str, Any]]] = {}
    for row in db.session.execute(statement):
        events.setdefault(row.household_id, []).append(event_entry(row))
    for listed in events.values():  # oldest first; an event with no date last
        listed.sort(key=lambda e: (e.get("date") or "9999", e["id"]))
    return events


def event_entry(row: Any) -> dict[str, Any]:
    kind = RecordType(row.type)
    entry: dict[str, Any] = {"id": row.id, "type": kind.value, "state": State(row.state).value}
    _put(entry, "name", row.subject_name)
    holder, key, calendar = EVENT_DATES.get(kind, ("", None, None))
    node = (row.data.get(holder) if holder else row.data) or {}
    if key:
        _put(entry, "date", node.get(key))
        _put(entry, "cal", "lunar" if calendar and node.get(calendar) == "lunar" else None)
    return entry


def households_in(user: User, scope: Scope | None = None) -> int:
    """How many households the caller's registry holds now."""
    scope = scope or scope_of(user)
    statement = (
        select(_RECORDS.c.village, func.count())
        .where(
            _RECORDS.c.type == RecordType.HOUSEHOLD,
            _RECORDS.c.state != State.REJECTED,
            area_clause(user, _RECORDS.c.province_code, _RECORDS.c.commune_code),
        )
        .group_by(_RECORDS.c.village)
    )
    return sum(
        count
        for village, count in db.session.execute(statement)
        if not scope.villages or village_key(village) in scope.villages
    )
