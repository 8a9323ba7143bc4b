"""Rows for several tables written together: one statement on PostgreSQL, one executemany a table on SQLite.

A push writes into seven tables after its records (people, versions, audit, receipt codes, attachment
links, three counters). Each statement costs the app ~0.3-0.6 ms of CPU before the database does any
work, more than the rows themselves at one record a push. On PostgreSQL they go as one statement: each
table's rows as one array a column (`unnest`), every INSERT but the last in a WITH clause (PostgreSQL runs
every data-modifying WITH part once, to completion). The SQL depends only on the tables and columns, so
it is built once and PostgreSQL keeps its plan (psycopg prepares it) whatever the number of rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, cast, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from fieldapp.extensions import db


@dataclass(frozen=True)
class Rows:
    """Rows for one table; all have the same keys. `add_on`: the key of a counter table, whose `count`
    is added to the stored one when the key exists already."""

    table: str
    rows: list[dict[str, Any]]
    add_on: tuple[str, ...] = ()

    def spec(self) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        return self.table, tuple(self.rows[0]), self.add_on


def insert_rows(parts: Iterable[Rows]) -> None:
    """Insert every part's rows in the current transaction, in the order given."""
    parts = [part for part in parts if part.rows]
    if not parts:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        for part in parts:
            connection.execute(_statement(sqlite, *part.spec()), part.rows)
        return
    params: dict[str, list[Any]] = {}
    for n, part in enumerate(parts):
        for column in part.rows[0]:
            params[f"p{n}_{column}"] = [row[column] for row in part.rows]
    connection.execute(_together(tuple(part.spec() for part in parts)), params)


@lru_cache(maxsize=64)
def _together(specs: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]) -> Insert:
    statements = [_from_arrays(n, *spec) for n, spec in enumerate(specs)]
    *first, last = statements
    return last.add_cte(*(statement.cte(f"w{n}") for n, statement in enumerate(first)))


def _from_arrays(n: int, name: str, columns: tuple[str, ...], add_on: tuple[str, ...]) -> Insert:
    """INSERT INTO name (columns) SELECT * FROM unnest(one array a column) [ON CONFLICT: add]."""
    table = db.metadata.tables[name]
    arrays = []
    for column in columns:
        kind = postgresql.ARRAY(table.c[column].type)
        arrays.append(cast(bindparam(f"p{n}_{column}", type_=kind), kind))
    rows = func.unnest(*arrays).table_valued(*columns).render_derived(name=f"r{n}")
    statement = postgresql.insert(table).from_select(list(columns), select(*(rows.c[c] for c in columns)))
    return _adding(statement, table, add_on)


@lru_cache(maxsize=64)
def _statement(dialect: Any, name: str, columns: tuple[str, ...], add_on: tuple[str, ...]) -> Insert:
    table = db.metadata.tables[name]
    if not add_on:
        return insert(table)
    return _adding(dialect.insert(table), table, add_on)


def _adding(statement: Any, table: Any, add_on: tuple[str, ...]) -> Insert:
    if not add_on:
        return statement
    return statement.on_conflict_do_update(
        index_elements=list(add_on), set_={"count": table.c.count + statement.excluded["count"]}
    )
