"""Database plumbing: SQLite pragmas, write transactions on SQLite, one transaction per request."""

import sqlite3
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from fieldapp.extensions import db

#: True while the current request will write: SQLite then starts its transaction with BEGIN IMMEDIATE,
#: which waits for the write lock up front instead of failing half-way with "database is locked".
_write_intent: ContextVar[bool] = ContextVar("fieldapp_write_intent", default=False)
_registered = False

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
F = TypeVar("F", bound=Callable[..., Any])


def register_sqlite_pragmas() -> None:
    global _registered
    if _registered:
        return
    event.listen(Engine, "connect", _configure_sqlite_connection)
    event.listen(Engine, "begin", _begin_sqlite_transaction)
    _registered = True


def _configure_sqlite_connection(dbapi_conn: Any, _record: Any) -> None:
    if not isinstance(dbapi_conn, sqlite3.Connection):
        return
    dbapi_conn.isolation_level = None  # SQLAlchemy's begin event emits BEGIN itself
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin_sqlite_transaction(conn: Any) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def writes(view: F) -> F:
    """Mark a GET view that writes (SQLite then takes the write lock at the start)."""
    view.fieldapp_writes = True  # type: ignore[attr-defined]
    return view


def set_write_intent(value: bool) -> None:
    _write_intent.set(value)


def register_request_transaction(app: Flask) -> None:
    """Commit once after a successful request, roll back after a failed one."""

    @app.before_request
    def _declare_write_intent() -> None:
        view = app.view_functions.get(request.endpoint or "")
        set_write_intent(request.method not in SAFE_METHODS or getattr(view, "fieldapp_writes", False))

    @app.after_request
    def _finish_transaction(response: Response) -> Response:
        if response.status_code < 400 or (response.status_code < 500 and g.get("keep_on_refusal")):
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def _clear_write_intent(_exc: BaseException | None) -> None:
        set_write_intent(False)


def keep_changes_on_refusal() -> None:
    """This request's writes are kept even though it answers 4xx (a wrong password must be counted)."""
    g.keep_on_refusal = True


def is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def dialect_name() -> str:
    return db.get_engine(current_app).dialect.name


#: PostgreSQL's deadlock_detected and serialization_failure: the transaction may simply be run again.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def is_retryable(exc: BaseException) -> bool:
    """A clash with a concurrent transaction that a fresh attempt resolves."""
    from sqlalchemy.exc import DBAPIError, IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(exc, IntegrityError | StaleDataError):
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, DBAPIError) and code in RETRYABLE_SQLSTATES
