"""Many rows written with few statements: the push's inserts, cheap at one record and at two hundred.

A push writes its records and, for each record it really inserted, rows in seven tables more (people,
versions, attachment links, audit, receipt codes, three counters). Each statement costs the app
0.2-0.6 ms of CPU in SQLAlchemy and the driver before the database does any work: more than the rows
themselves at one record a push.

On PostgreSQL it is all one statement. A table's rows travel as one JSON array (`json_to_recordset`
reads it as rows of the table's column types: one C call to serialize, where a parameter per value
is Python work per value in psycopg); the records' INSERT ... ON CONFLICT DO NOTHING RETURNING is a
WITH part the others read, so a row linked to a record another push stored first is left out, and a
counter's rows are summed by key there (PostgreSQL runs each data-modifying WITH part once, to
completion; foreign keys are checked at the end of the statement). The SQL depends only on the tables
and columns, so it is built once, and PostgreSQL keeps its plan (psycopg prepares it) whatever the
number of rows. SQLite, in the process, takes one executemany a table.
"""

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, Table, Text, bindparam, cast, column, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from fieldapp.extensions import db

#: (table, columns, counter key, link): what a statement depends on
Spec = tuple[str, tuple[str, ...], tuple[str, ...], str | None]


@dataclass(frozen=True)
class Rows:
    """Rows for one table; all have the same keys.

    add_on: a counter's key: rows of one key are summed, and the sum is added to a stored row's `count`.
    link: the key this row belongs to (insert_new's `then`): written only if that key was just inserted.
    The link need not be a column of the table (a counter row names its record only to be left out).
    """

    table: str
    rows: list[dict[str, Any]]
    add_on: tuple[str, ...] = ()
    link: str | None = None

    def spec(self) -> Spec:
        return self.table, tuple(self.rows[0]), self.add_on, self.link


def insert_rows(parts: Iterable[Rows]) -> None:
    """Insert every part's rows in the current transaction, in the order given."""
    parts = [part for part in parts if part.rows]
    if not parts:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        for part in parts:
            _sqlite_insert(connection, part)
        return
    params = {f"p{n}": _json_rows(part.rows) for n, part in enumerate(parts)}
    connection.exec_driver_sql(_postgres_rows(tuple(part.spec() for part in parts)), params)


def insert_new(table: str, rows: list[dict[str, Any]], key: str, then: Sequence[Rows] = ()) -> set[Any]:
    """INSERT ... ON CONFLICT (key) DO NOTHING, then the `then` rows linked to the keys really inserted:
    a row stored before, or by a concurrent transaction, is left as it is, and so is what it would
    bring. Returns the keys inserted."""
    if not rows:
        return set()
    then = [part for part in then if part.rows]
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        inserted = set(connection.execute(_sqlite_new(table, tuple(rows[0]), key), rows).scalars())
        for part in then:
            linked = [row for row in part.rows if row[part.link] in inserted]
            _sqlite_insert(connection, Rows(part.table, linked, part.add_on, part.link))
        return inserted
    statement = _postgres_new((table, tuple(rows[0]), (), None), key, tuple(part.spec() for part in then))
    params = {f"p{n}": _json_rows(part.rows) for n, part in enumerate([Rows(table, rows), *then])}
    return set(connection.exec_driver_sql(statement, params).scalars())


def _sqlite_insert(connection: Any, part: Rows) -> None:
    rows = part.rows
    table = db.metadata.tables[part.table]
    if part.link is not None and part.link not in table.c:
        rows = [{k: v for k, v in row.items() if k != part.link} for row in rows]
    if part.add_on:
        rows = _summed(rows)
    if rows:
        connection.execute(_sqlite_statement(part.table, part.add_on), rows)


def _summed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Counter rows of one key added up, in key order (concurrent writers lock rows in one order)."""
    sums: Counter = Counter()
    for row in rows:
        sums[tuple((k, v) for k, v in row.items() if k != "count")] += row["count"]
    return [{**dict(key), "count": n} for key, n in sorted(sums.items())]


def _json_rows(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"), default=_json_value)


def _json_value(value: Any) -> str:
    """A value JSON has no type for, as PostgreSQL's text input reads it."""
    if isinstance(value, date):  # and datetime: the ISO form
        return value.isoformat()
    if isinstance(value, bytes):  # bytea's hex form
        return "\\x" + value.hex()
    raise TypeError(f"{type(value).__name__} is not a column value")


@lru_cache(maxsize=64)
def _postgres_rows(specs: tuple[Spec, ...]) -> str:
    *first, last = [_from_json(n, spec) for n, spec in enumerate(specs)]
    return _postgres_sql(last.add_cte(*(statement.cte(f"w{n}") for n, statement in enumerate(first))))


@lru_cache(maxsize=16)
def _postgres_new(spec: Spec, key: str, then: tuple[Spec, ...]) -> str:
    table = db.metadata.tables[spec[0]]
    new = _from_json(0, spec).on_conflict_do_nothing(index_elements=[key]).returning(table.c[key])
    inserted = new.cte("ins")
    keys = select(inserted.c[key])
    linked = [_from_json(n, part, keys).cte(f"w{n}") for n, part in enumerate(then, 1)]
    return _postgres_sql(keys.add_cte(*linked))


def _postgres_sql(statement: Any) -> str:
    """The statement as psycopg's SQL text: its parameters are JSON text, nothing for SQLAlchemy to
    convert, so it goes to the driver directly (a third of the cost of running a compiled statement)."""
    return str(statement.compile(dialect=postgresql.psycopg.dialect()))


def _from_json(n: int, spec: Spec, inserted: Select | None = None) -> Insert:
    """INSERT INTO table (columns) SELECT columns FROM json_to_recordset(:pN) [WHERE link IN inserted]
    [summed by key, ON CONFLICT: added]."""
    name, columns, add_on, link = spec
    table = db.metadata.tables[name]
    rows = _json_source(n, table, columns)
    written = [c for c in columns if c in table.c]
    if add_on:
        kept = [rows.c[c] for c in written if c != "count"]
        source = (
            select(*kept, func.sum(rows.c["count"])).group_by(*kept).order_by(*(rows.c[c] for c in add_on))
        )
    else:
        source = select(*(rows.c[c] for c in written))
    if link is not None and inserted is not None:
        source = source.where(rows.c[link].in_(inserted))
    statement = postgresql.insert(table).from_select(written, source, include_defaults=False)
    return _adding(statement, table, add_on)


def _json_source(n: int, table: Table, columns: tuple[str, ...]) -> Any:
    """json_to_recordset(:pN) AS rN(column type, ...): a column not in the table (a link) is text."""
    typed = [column(c, table.c[c].type if c in table.c else Text()) for c in columns]
    json_rows = cast(bindparam(f"p{n}", type_=Text), postgresql.JSON)
    return (
        func.json_to_recordset(json_rows).table_valued(*typed).render_derived(name=f"r{n}", with_types=True)
    )


@lru_cache(maxsize=64)
def _sqlite_statement(name: str, add_on: tuple[str, ...]) -> Insert:
    table = db.metadata.tables[name]
    return _adding(sqlite.insert(table), table, add_on) if add_on else insert(table)


@lru_cache(maxsize=8)
def _sqlite_new(name: str, columns: tuple[str, ...], key: str) -> Insert:
    table = db.metadata.tables[name]
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=[key]).returning(table.c[key])


def _adding(statement: Any, table: Table, add_on: tuple[str, ...]) -> Insert:
    if not add_on:
        return statement
    return statement.on_conflict_do_update(
        index_elements=list(add_on), set_={"count": table.c.count + statement.excluded["count"]}
    )
