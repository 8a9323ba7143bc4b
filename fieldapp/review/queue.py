"""The clerk's work queue: filters, Vietnamese name order or capture date, keyset pages."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import load_only

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.records.models import Record
from fieldapp.records.search import RecordFilter, apply_filter, visible_records
from fieldapp.records.states import State

#: the pseudo-state the queue opens on: what still needs a clerk
TODO = "todo"
TODO_STATES = (State.SUBMITTED, State.IN_REVIEW)
SORTS = ("name", "date")
#: office hours are Vietnam time; capture times are stored in UTC
VN_OFFSET = timedelta(hours=7)
LIST_COLUMNS = (
    Record.id,
    Record.type,
    Record.state,
    Record.version,
    Record.commune_code,
    Record.village,
    Record.subject_name,
    Record.subject_sort_key,
    Record.receipt_code,
    Record.captured_at,
    Record.captured_by_id,
)


class BadCursor(ValueError):
    """A page cursor that was not made by this server."""


@dataclass
class QueueQuery:
    q: str = ""
    state: str = TODO
    type: str = ""
    village: str = ""
    collector_id: int | None = None
    captured_from: date | None = None
    captured_to: date | None = None
    sort: str = "name"
    after: str = ""
    size: int = 50
    #: what was typed into a date filter that names no day, by filter name ("from", "to"), with why
    bad_dates: dict[str, tuple[str, str]] = field(default_factory=dict)

    def as_args(self, **changes: Any) -> dict[str, Any]:
        """The query string that reproduces this query (for links and the export)."""
        values = {
            "q": self.q,
            "state": self.state,
            "type": self.type,
            "village": self.village,
            "collector": self.collector_id or "",
            "from": self.captured_from.isoformat() if self.captured_from else "",
            "to": self.captured_to.isoformat() if self.captured_to else "",
            "sort": self.sort,
            **changes,
        }
        return {k: v for k, v in values.items() if v not in ("", None)}


@dataclass
class QueuePage:
    rows: list[Record]
    next_cursor: str | None
    collectors: dict[int, str] = field(default_factory=dict)


def local_day_start(day: date) -> datetime:
    return datetime.combine(day, time()) - VN_OFFSET


def filtered(user: User, query: QueueQuery) -> Select[Any]:
    """Every record of the user's area that the query's filters keep (no order, no page)."""
    wanted = RecordFilter(
        q=query.q,
        state=None if query.state in (TODO, "", "all") else query.state,
        type=query.type or None,
        village=query.village or None,
        collector_id=query.collector_id,
        captured_from=local_day_start(query.captured_from) if query.captured_from else None,
        captured_to=local_day_start(query.captured_to + timedelta(days=1)) if query.captured_to else None,
        commune=user.area_code if user.area_code and len(user.area_code) == 5 else None,
    )
    statement = apply_filter(visible_records(user), wanted)
    if query.state == TODO:
        statement = statement.where(Record.state.in_(TODO_STATES))
    return statement


def ordered(statement: Select[Any], sort: str) -> Select[Any]:
    if sort == "date":
        return statement.order_by(Record.captured_at.desc(), Record.id.desc())
    return statement.order_by(Record.subject_sort_key, Record.id)


def queue_page(user: User, query: QueueQuery) -> QueuePage:
    statement = filtered(user, query).options(load_only(*LIST_COLUMNS))
    if query.after:
        statement = statement.where(_after(query.sort, query.after))
    statement = ordered(statement, query.sort).limit(query.size + 1)
    rows = list(db.session.scalars(statement))
    more = len(rows) > query.size
    rows = rows[: query.size]
    cursor = cursor_of(rows[-1], query.sort) if more and rows else None
    return QueuePage(rows, cursor, collector_names({r.captured_by_id for r in rows}))


def cursor_of(record: Record, sort: str) -> str:
    if sort == "date":
        return f"{record.captured_at.isoformat()}~{record.id}"
    return f"{record.subject_sort_key.hex()}~{record.id}"


def _after(sort: str, cursor: str) -> Any:
    value, _, record_id = cursor.partition("~")
    if not record_id or len(record_id) > 36:
        raise BadCursor(cursor)
    try:
        if sort == "date":
            return tuple_(Record.captured_at, Record.id) < tuple_(datetime.fromisoformat(value), record_id)
        return tuple_(Record.subject_sort_key, Record.id) > tuple_(bytes.fromhex(value), record_id)
    except ValueError as exc:
        raise BadCursor(cursor) from exc


def neighbours(user: User, query: QueueQuery, record: Record) -> tuple[str | None, str | None]:
    """The previous and next record in the queue's order, for j/k on the record page."""
    base = filtered(user, query).options(load_only(Record.id))
    if query.sort == "date":
        key = tuple_(Record.captured_at, Record.id)
        mine = tuple_(record.captured_at, record.id)
        later = base.where(key > mine).order_by(Record.captured_at, Record.id)
        earlier = base.where(key < mine).order_by(Record.captured_at.desc(), Record.id.desc())
        previous, following = later, earlier
    else:
        key = tuple_(Record.subject_sort_key, Record.id)
        mine = tuple_(record.subject_sort_key, record.id)
        previous = base.where(key < mine).order_by(Record.subject_sort_key.desc(), Record.id.desc())
        following = base.where(key > mine).order_by(Record.subject_sort_key, Record.id)
    first = db.session.scalar(previous.with_only_columns(Record.id).limit(1))
    second = db.session.scalar(following.with_only_columns(Record.id).limit(1))
    return first, second


def collector_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.full_name, User.username).where(User.id.in_(ids)))
    return {row.id: row.full_name or row.username for row in rows}


def collectors_of_area(user: User) -> list[tuple[int, str]]:
    """Collectors working in the user's area, for the filter list."""
    from fieldapp.vn.models import AdminUnit

    unit = AdminUnit.__table__.c
    statement = (
        select(User.id, User.full_name, User.username)
        .outerjoin(AdminUnit.__table__, unit.code == User.area_code)
        .where(User.role == Role.COLLECTOR)
        .order_by(User.full_name, User.username)
        .limit(500)
    )
    area = user.area_code
    if area is not None and len(area) == 2:
        statement = statement.where((unit.province_code == area) | (User.area_code == area))
    elif area is not None:
        statement = statement.where(User.area_code == area)
    elif user.role is not Role.ADMIN:
        return []
    return [(row.id, row.full_name or row.username) for row in db.session.execute(statement)]


def villages_of_area(user: User) -> list[str]:
    """Villages named by records of a commune clerk's commune (a province is too many to list)."""
    if not user.area_code or len(user.area_code) != 5:
        return []
    statement = (
        select(Record.village)
        .where(Record.commune_code == user.area_code)
        .distinct()
        .order_by(Record.village)
        .limit(300)
    )
    return [v for v in db.session.scalars(statement) if v]
