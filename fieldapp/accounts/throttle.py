"""Per-account back-off on wrong passwords, kept in the database so every worker and server sees it.

The rate limit per address (LOGIN_RATE_LIMIT) slows one machine; this slows guessing at one account
from many machines. After FREE_FAILURES wrong passwords in a row, the username is locked for a delay that
doubles with each further failure, up to MAX_DELAY; a right password (once unlocked) clears the count.
Unknown usernames are counted alike, so the answer never tells whether an account exists.
"""

from datetime import datetime, timedelta

from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fieldapp.accounts.models import LoginFailures
from fieldapp.extensions import db
from fieldapp.timeutil import utcnow

FREE_FAILURES = 5
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
#: failures older than this are forgotten: a clerk's typos over a week do not add up
FORGET_AFTER = timedelta(hours=1)


def account_key(username: str) -> str:
    return username.strip().lower()[:64]


def locked_for(username: str, now: datetime | None = None) -> int:
    """Seconds until the username may try again (0: now)."""
    now = now or utcnow()
    until = db.session.scalar(
        select(LoginFailures.locked_until).where(LoginFailures.username == account_key(username))
    )
    return 0 if until is None or until <= now else int((until - now).total_seconds()) + 1


def note_failure(username: str, now: datetime | None = None) -> int:
    """Count one wrong password (atomically, whichever worker answers); returns the failures in a row."""
    now = now or utcnow()
    key = account_key(username)
    table = LoginFailures.__table__
    insert_for = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert_for(table).values(username=key, failures=1, last_failed_at=now)
    fresh = table.c.last_failed_at < now - FORGET_AFTER
    statement = statement.on_conflict_do_update(
        index_elements=["username"],
        set_={"failures": case((fresh, 1), else_=table.c.failures + 1), "last_failed_at": now},
    ).returning(table.c.failures)
    failures = int(db.session.execute(statement).scalar_one())
    if failures >= FREE_FAILURES:
        delay = min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - FREE_FAILURES))
        db.session.execute(update(table).where(table.c.username == key).values(locked_until=now + delay))
    return failures


def clear(username: str) -> None:
    db.session.execute(
        update(LoginFailures)
        .where(LoginFailures.username == account_key(username))
        .values(failures=0, locked_until=None)
    )
