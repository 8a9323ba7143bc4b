"""A database already holding N records named like the pushed households, built once and copied per run.

The records come from bench/queue_bench.py's bulk builder; only the names change: they are drawn from
the demo's name lists of the ethnic groups the ingest benchmark's households belong to, so that an
incoming person has as many look-alikes (same name, same birth year) as a real province would give.
"""

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from bench import queue_bench
from fieldapp.demo import NAMES
from tests.support import databases

CACHE = Path("/tmp/fieldapp-ingest-preload")
#: the ethnic groups of the ingest benchmark's commune (Mường Lát: H'Mông, Thái)
ETHNICITIES = ("08", "03")
SEED = 11


class LookAlikes(queue_bench.Generator):
    """queue_bench's records, named as the demo names the people of these ethnic groups."""

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
    """The cached N-record database, built (bulk inserts, once) if it is not there yet."""
    CACHE.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        url = f"sqlite:///{CACHE / f'preload-{records}.sqlite3'}"
    else:
        url = _postgres_url(f"fieldapp_ingest_preload_{records}", create=True)
    queue_bench.prepare(url, CACHE, records, SEED, LookAlikes)
    return url


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
