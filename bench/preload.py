"""A database already holding N records named like the pushed households, built once and copied per run.

The records come from bench/queue_data.py's bulk builder (queue_bench.py's records); only the names change:
they are drawn from the demo's name lists of the ethnic groups the ingest benchmark's households belong
to, so that an incoming person has as many look-alikes (same name, same birth year) as a real province
would give.
"""

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from bench import queue_data
from fieldapp.demo import NAMES
from tests.support import databases

CACHE = Path("/tmp/fieldapp-ingest-preload")
#: the ethnic groups of the ingest benchmark's commune (Mường Lát: H'Mông, Thái)
ETHNICITIES = ("08", "03")
SEED = 11
#: the generated records are a tenth of N; the rest are copies with other birth dates and ID numbers
COPIES = 10


class LookAlikes(queue_data.Generator):
    """queue_data's records, named as the demo names the people of these ethnic groups."""

    ethnicity = ETHNICITIES[0]

    def record(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        self.ethnicity = self.rng.choice(ETHNICITIES)
        return super().record()

    def name(self, sex: str, family: str | None = None) -> str:
        names = NAMES[self.ethnicity]
        given = self.rng.choice(names[sex])
        if self.ethnicity == "08" and sex == "female":
            given = given.replace("Thị", self.rng.choice(("Thị", "Mỷ")))
        return f"{family or self.rng.choice(names['family'])} {given}"


def cached_url(backend: str, records: int) -> str:
    """The cached N-record database, built (bulk inserts, once) if it is not there yet.

    PostgreSQL's copy is loaded from the SQLite one with COPY when that exists: the same rows, in a
    fraction of the time it takes to generate them again.
    """
    CACHE.mkdir(parents=True, exist_ok=True)
    sqlite_url = f"sqlite:///{CACHE / f'preload-{records}.sqlite3'}"
    if backend == "sqlite":
        queue_data.prepare(sqlite_url, CACHE, max(1, records // COPIES), SEED, LookAlikes)
        replicate(sqlite_url, records)
        return sqlite_url
    url = _postgres_url(f"fieldapp_ingest_preload_{records}", create=True)
    source = Path(sqlite_url.removeprefix("sqlite:///"))
    if source.exists():
        copy_into_postgres(source, url, records)
    queue_data.prepare(url, CACHE, records, SEED, LookAlikes)
    return url


def replicate(url: str, records: int) -> None:
    """Grow the generated tenth to N records with SQL: each copy shifts every birth date by its own
    number of days and changes the ID numbers, so it adds look-alikes (same name, same birth year) as
    fresh draws from the same lists would, at a hundredth of the cost of generating them in Python."""
    from sqlalchemy import func, select, text

    from fieldapp import create_app
    from fieldapp.extensions import db
    from fieldapp.records.models import Record

    app = create_app(queue_data.config(url, CACHE))
    with app.app_context():
        have = db.session.scalar(select(func.count()).select_from(Record))
        if have >= records:
            return
        queue_data._drop_name_search(True)
        with db.engine.begin() as conn:
            for copy in range(1, -(-records // have)):
                conn.execute(text(_COPY_RECORDS), {"copy": copy, "limit": min(have, records - have * copy)})
                conn.execute(text(_COPY_PEOPLE), {"copy": copy})
        queue_data._create_name_search(True)
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        db.engine.dispose()


#: a copy's id: the original's with its last group's tail replaced by "-NN" (never a UUID's own form)
_NEW_ID = "substr({id}, 1, 33) || '-' || printf('%02d', :copy)"
_COPY_RECORDS = f"""
INSERT INTO records (id, type, state, version, source, province_code, commune_code, village, subject_name,
    subject_sort_key, data, content_hash, receipt_code, captured_at, received_at, updated_at, captured_by_id,
    registration_number)
SELECT {_NEW_ID.format(id="id")}, type, state, version, source, province_code, commune_code, village,
    subject_name, subject_sort_key, data, content_hash, NULL, captured_at, received_at, updated_at,
    captured_by_id, registration_number
FROM records WHERE substr(id, 34, 1) <> '-' ORDER BY id LIMIT :limit
"""
_SHIFTED = "date(date_of_birth, printf('+%d days', :copy * 37))"
_COPY_PEOPLE = f"""
INSERT INTO record_people (record_id, position, role, full_name, name_folded, personal_id, sex,
    date_of_birth, birth_year, mother_folded, father_folded)
SELECT {_NEW_ID.format(id="p.record_id")}, position, role, full_name, name_folded,
    CASE WHEN personal_id IS NULL THEN NULL
         ELSE substr(personal_id, 1, 6) || printf('%06d', (CAST(substr(personal_id, 7) AS INTEGER)
              + :copy * 99991) % 1000000) END,
    sex, {_SHIFTED}, CAST(substr({_SHIFTED}, 1, 4) AS INTEGER), mother_folded, father_folded
FROM record_people p
WHERE substr(p.record_id, 34, 1) <> '-'
  AND EXISTS (SELECT 1 FROM records r WHERE r.id = {_NEW_ID.format(id="p.record_id")})
"""


def copy_into_postgres(source: Path, url: str, records: int) -> None:
    """Users, records and their people from the SQLite database, by COPY (skipped when already there)."""
    queue_data.prepare(url, CACHE, 0, SEED, LookAlikes)  # migrated, units loaded, nothing generated
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with sqlite3.connect(source) as lite, psycopg.connect(dsn) as pg:
        if pg.execute("SELECT count(*) FROM records").fetchone()[0] >= records:
            return
        pg.execute("DROP INDEX IF EXISTS ix_record_people_name_trgm")
        pg.execute("DELETE FROM users")
        for table in ("users", "records", "record_people"):
            _copy_table(lite, pg, table)
            if table != "records":  # records are keyed by the device's UUID
                pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
        pg.execute(
            "CREATE INDEX ix_record_people_name_trgm ON record_people USING gin (name_folded gin_trgm_ops)"
        )
        pg.commit()
        pg.autocommit = True
        pg.execute("ANALYZE")


def _copy_table(lite: sqlite3.Connection, pg: psycopg.Connection, table: str) -> None:
    have = {
        row[0]
        for row in pg.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,)
        )
    }
    columns = [row[1] for row in lite.execute(f"PRAGMA table_info({table})") if row[1] in have]
    names = ", ".join(columns)
    with pg.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in lite.execute(f"SELECT {names} FROM {table}"):
            copy.write_row(row)


@contextmanager
def preloaded_copy(backend: str, records: int, workdir: Path) -> Iterator[str]:
    """A throw-away copy of the cached database: pushes write into the copy, never the cache."""
    source = cached_url(backend, records)
    if backend == "sqlite":
        path = Path(source.removeprefix("sqlite:///"))
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = workdir / f"preloaded-{uuid.uuid4().hex[:6]}.sqlite3"
        shutil.copyfile(path, target)
        try:
            yield f"sqlite:///{target}"
        finally:
            target.unlink(missing_ok=True)
        return
    template = source.rsplit("/", 1)[1]
    name = f"fieldapp_ingest_copy_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(databases.POSTGRES_ADMIN_URL, autocommit=True) as conn:
        # the builder's own pooled connections would block CREATE DATABASE ... TEMPLATE
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (template,),
        )
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _postgres_url(name)
    finally:
        with psycopg.connect(databases.POSTGRES_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_url(name: str, create: bool = False) -> str:
    admin = databases.POSTGRES_ADMIN_URL
    if create:
        with psycopg.connect(admin, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
    return "postgresql+psycopg://" + admin.split("://", 1)[1].rsplit("/", 1)[0] + f"/{name}"
