"""Change capture: whatever writes a household, or an event that follows one up, adds a change row.

The hook is on the ORM session, so every path is covered however it writes: records flushed by the unit
of work (clerk edits, review decisions, merges) and statements run through the session (the push's bulk
INSERT, a bulk transfer's UPDATE). Reading a record's state before a write tells which area a household
leaves; reading it at commit tells where it is now.

A writer that inserts records past the ORM (the push's one statement) names the rows it inserted: a new
household's area is in its row, so nothing is read back at commit, and only an event's household is.

Rows are written just before the commit. On PostgreSQL each province's writers take a transaction
advisory lock, held until the commit, so ids become visible in the order they were given and a device
reading "after id N" never skips a row that committed late with a smaller id. The lock is per province,
not per commune: province staff read every commune of their province, and a commune's reader is served
by the same order. The lock is taken by the statement that inserts the change rows, before it draws
their ids, so it is held only for that statement and the commit. SQLite serializes writers anyway.
"""

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, event, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from fieldapp.records.models import Record, RecordType
from fieldapp.registry.models import RegistryChange
from fieldapp.timeutil import utcnow
from fieldapp.vn.text import fold

#: (province, commune, village key)
Area = tuple[str, str, str]

PENDING = "registry_pending"
LOCK_CLASS = 7311
CHUNK = 900
#: the record columns the feed shows or scopes by; a write of others only (a sort key, an arrival time,
#: the clerk's comment) changes nothing a phone holds
FEED_COLUMNS = frozenset(
    {
        "type",
        "state",
        "version",
        "province_code",
        "commune_code",
        "village",
        "data",
        "receipt_code",
        "household_id",
        "captured_by_id",
    }
)
_RECORDS = Record.__table__
_BEFORE = (
    _RECORDS.c.id,
    _RECORDS.c.type,
    _RECORDS.c.household_id,
    _RECORDS.c.province_code,
    _RECORDS.c.commune_code,
    _RECORDS.c.village,
)


class Pending:
    """What this transaction touched: records to read at commit, areas households were in before, and
    areas of households inserted past the ORM, which need no reading."""

    def __init__(self) -> None:
        self.records: set[str] = set()
        self.left: dict[str, set[Area]] = {}
        self.placed: dict[str, set[Area]] = {}

    def before(self, rows: Iterable[Any]) -> None:
        """Rows of records as they were before a write: a household's area, an event's household."""
        for row in rows:
            if row.type == RecordType.HOUSEHOLD:
                self.left.setdefault(row.id, set()).add(area_of(row))
            elif row.household_id:
                self.left.setdefault(row.household_id, set())


def area_of(row: Any) -> Area:
    """A record's area, from a row read (attributes) or a row about to be written (keys)."""
    if isinstance(row, Mapping):
        return (row["province_code"], row["commune_code"], village_key(row["village"]))
    return (row.province_code, row.commune_code, village_key(row.village))


def village_key(village: str | None) -> str:
    """The form a village is compared in: case, diacritics and spacing do not matter."""
    return fold(village or "")[:120]


def pending(session: Session) -> Pending:
    found = session.info.get(PENDING)
    if found is None:
        found = session.info[PENDING] = Pending()
    return found


def records_inserted(session: Session, rows: Iterable[Mapping[str, Any]]) -> None:
    """New records written on the session's connection past the ORM (the push's one-statement insert),
    as the rows inserted: a household is placed by its own row; an event's household is read at commit."""
    state = pending(session)
    for row in rows:
        if row["type"] == RecordType.HOUSEHOLD:
            state.placed.setdefault(row["id"], set()).add(area_of(row))
        elif row.get("household_id"):
            state.left.setdefault(row["household_id"], set())


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _rows_before(session: Session, ids: Iterable[str]) -> list[Any]:
    rows: list[Any] = []
    for chunk in _chunks(ids):
        rows += session.execute(select(*_BEFORE).where(_RECORDS.c.id.in_(chunk))).all()
    return rows


@event.listens_for(Session, "before_flush")
def _flushing(session: Session, _context: Any, _instances: Any) -> None:
    touched = [o for o in session.dirty if isinstance(o, Record) and _feed_change(o)]
    gone = [o for o in session.deleted if isinstance(o, Record)]
    new = [o for o in session.new if isinstance(o, Record)]
    if not (touched or gone or new):
        return
    state = pending(session)
    with session.no_autoflush:
        state.before(_rows_before(session, [o.id for o in touched + gone]))
    state.records.update(o.id for o in touched + new)


def _feed_change(record: Record) -> bool:
    attrs = inspect(record).attrs
    return any(attrs[key].history.has_changes() for key in FEED_COLUMNS)


@event.listens_for(Session, "do_orm_execute")
def _executing(orm_state: ORMExecuteState) -> None:
    statement = orm_state.statement
    if not (orm_state.is_insert or orm_state.is_update or orm_state.is_delete):
        return
    if getattr(statement.table, "name", None) != _RECORDS.name:  # type: ignore[attr-defined]
        return
    params = orm_state.parameters
    rows = list(params) if isinstance(params, list) else [params] if params else []
    state = pending(orm_state.session)
    if orm_state.is_insert:
        values = {_key(k): getattr(v, "value", v) for k, v in (statement._values or {}).items()}  # type: ignore[attr-defined]
        state.records.update(str(row["id"]) for row in rows or [values] if row.get("id"))
        return
    if orm_state.is_update and not _sets_feed_columns(statement, rows):
        return
    before = _rows_written(orm_state.session, statement.whereclause, rows)  # type: ignore[attr-defined]
    state.before(before)
    if orm_state.is_update:
        state.records.update(row.id for row in before)


def _key(column: Any) -> str:
    return str(getattr(column, "key", column))


def _sets_feed_columns(statement: Any, rows: list[dict[str, Any]]) -> bool:
    keys = {_key(k) for k in statement._values or {}}
    if not keys:  # a bulk UPDATE by primary key: the columns are the parameters' keys
        keys = {k for row in rows for k in row}
    return bool(keys & FEED_COLUMNS)


def _rows_written(
    session: Session, where: ColumnElement[bool] | None, rows: list[dict[str, Any]]
) -> list[Any]:
    """The rows an UPDATE or DELETE is about to write, read before it runs."""
    with session.no_autoflush:
        if where is None:  # bulk by primary key
            return _rows_before(session, {str(row["id"]) for row in rows if "id" in row})
        param = _id_parameter(where)
        if param is not None and rows:
            return _rows_before(session, {str(row[param]) for row in rows if param in row})
        statement = select(*_BEFORE).where(where)
        found: list[Any] = []
        for row in rows or [{}]:
            found += session.execute(statement, row).all()
        return found


def _id_parameter(where: ColumnElement[bool]) -> str | None:
    """ "records.id = :b_id" -> "b_id" (the shape of every executemany UPDATE here)."""
    if isinstance(where, BinaryExpression) and isinstance(where.right, BindParameter):
        left = where.left
        if getattr(left, "key", None) == "id" and getattr(left, "table", None) is not None:
            return str(where.right.key)
    return None


@event.listens_for(Session, "before_commit")
def _committing(session: Session) -> None:
    session.flush()
    state = session.info.pop(PENDING, None)
    if state is None:
        return
    write_changes(session, _change_rows(session, state))


def write_changes(session: Session, rows: list[dict[str, Any]]) -> None:
    """Change rows (household_id, province_code, commune_code, village_key), in commit order: on
    PostgreSQL under their provinces' locks, held until the transaction ends."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        now = utcnow()
        connection.execute(insert(RegistryChange.__table__), [{**row, "created_at": now} for row in rows])
        return
    provinces = sorted({row["province_code"] for row in rows})
    connection.exec_driver_sql(
        _LOCKED_INSERT,
        {"rows": json.dumps(rows), "provinces": json.dumps(provinces), "lock_class": LOCK_CLASS},
    )


#: the change rows, inserted once the province locks are held: the WHERE clause names no row, so
#: PostgreSQL runs it once, as a filter before the first row, and so before the first id is drawn
_LOCKED_INSERT = """
INSERT INTO registry_changes (household_id, province_code, commune_code, village_key, created_at)
SELECT r.household_id, r.province_code, r.commune_code, r.village_key, now() AT TIME ZONE 'UTC'
FROM json_to_recordset(%(rows)s::json)
    AS r(household_id text, province_code text, commune_code text, village_key text)
WHERE (
    SELECT count(pg_advisory_xact_lock(%(lock_class)s, p.code::int))
    FROM json_array_elements_text(%(provinces)s::json) AS p(code)
) > 0
"""


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)


def _change_rows(session: Session, state: Pending) -> list[dict[str, Any]]:
    """One row per household and area: the areas it left in this transaction and the one it is in."""
    areas = {household: set(left) for household, left in state.left.items()}
    for row in _rows_before(session, state.records):
        if row.type == RecordType.HOUSEHOLD:
            areas.setdefault(row.id, set())
        elif row.household_id:
            areas.setdefault(row.household_id, set())
    households = [r for r in _rows_before(session, areas) if r.type == RecordType.HOUSEHOLD]
    for row in households:
        areas[row.id].add(area_of(row))
    for household, placed in state.placed.items():
        areas.setdefault(household, set()).update(placed)
    return [change_row(household, area) for household in sorted(areas) for area in sorted(areas[household])]


def change_row(household_id: str, area: Area) -> dict[str, Any]:
    """A change row's values: the household, seen from one area."""
    province, commune, village = area
    return {
        "household_id": household_id,
        "province_code": province,
        "commune_code": commune,
        "village_key": village,
    }
