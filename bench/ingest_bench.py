"""Sync ingest: records per second through the push API, by batch size, records stored and version.

    python bench/ingest_bench.py [--records 4000] [--batch 50] [--clients 4] [--backends sqlite postgresql]
    python bench/ingest_bench.py --batches 1 20 50 --stored 0 100000 --code /tmp/base . --records 3000
    python bench/ingest_bench.py --preload 1000000 [--records 4000] ...     # = --stored 0 1000000
    python bench/ingest_bench.py --raw [--records 10000]                    # API against raw inserts

Every (stored records, batch size, checkout) pushes the same households into its own database: a fresh
empty one, or a throw-away copy of one already holding N records whose people are named from the same
name lists (so a common name has hundreds of look-alikes). The N-record database is built once with bulk
inserts (bench/queue_bench.py's builder) and cached under /tmp. `--code` serves the app of other
checkouts (a worktree of an older commit) in the same run; the ratios printed at the end compare them.

The API side runs gunicorn with 2 workers and posts gzip-compressed batches of realistic households (as
phones do), from several client threads. With --raw, the baseline inserts the very rows the server
stores for those records (records, record_people, record_versions, audit_log, receipt_codes) with
SQLAlchemy Core executemany, one transaction per batch, into the same database in the same run, and
both rates are printed with their ratio.
"""

import argparse
import gzip
import json
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, fresh_database, gunicorn, postgres_ok, temp_workdir
from bench.preload import preloaded_copy
from fieldapp import create_app
from fieldapp.demo import DemoFactory
from fieldapp.extensions import db

COMMUNE = "14845"
#: a batched run sends at least this many requests (batch 50: 6,000 records), so it lasts long enough
MIN_REQUESTS = 120


def households(count: int, seed: int) -> list[dict[str, Any]]:
    factory = DemoFactory(seed)
    return [
        {
            "id": str(uuid.uuid4()),
            "type": "household",
            "captured_at": "2025-11-20T09:30:00+07:00",
            "data": factory.household(COMMUNE, factory.pick(("08", "03"))),
        }
        for _ in range(count)
    ]


def make_collector(database_url: str, workdir: Path) -> None:
    from fieldapp.accounts.services import create_user

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "UPLOAD_DIR": str(workdir)})
    with app.app_context():
        create_user("bench", "bench-password", "collector", COMMUNE, hash_method="pbkdf2:sha256:1000")
        db.session.commit()
        db.engine.dispose()


def api_rate(
    base: str, records: list[dict[str, Any]], batch: int, clients: int
) -> tuple[float, Counter[str]]:
    token = requests.post(
        f"{base}/api/v1/auth/token",
        json={"username": "bench", "password": "bench-password", "device_name": "bench"},
        timeout=30,
    ).json()["token"]
    batches = [records[i : i + batch] for i in range(0, len(records), batch)]
    bodies = [gzip.compress(json.dumps({"records": b}).encode()) for b in batches]
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    queue = list(bodies)

    errors: list[str] = []

    def worker() -> None:
        try:
            push_all()
        except Exception as exc:  # reported after the run: a failed request must not pass silently
            errors.append(repr(exc))

    def push_all() -> None:
        session = requests.Session()
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            answer = session.post(f"{base}/api/v1/sync/push", data=body, headers=headers, timeout=120)
            answer.raise_for_status()
            with lock:
                statuses.update(r["status"] for r in answer.json()["results"])

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} client(s) failed: {errors[0]}")
    return len(records) / elapsed, statuses


def raw_rows(app, records: list[dict[str, Any]]) -> list[dict[str, list[dict[str, Any]]]]:
    """The rows push_batch writes for these records, built beforehand (not timed)."""
    from fieldapp.receipts.codes import new_code
    from fieldapp.records import services as record_rules
    from fieldapp.records.audit import audit_row
    from fieldapp.records.models import RecordType, Source
    from fieldapp.records.states import State
    from fieldapp.sync.schemas import load_push_items
    from fieldapp.timeutil import utcnow

    with app.test_request_context():
        items = [
            item
            for start in range(0, len(records), 50)
            for item in load_push_items(records[start : start + 50])
        ]
    now = utcnow()
    tables = []
    for item in items:
        kind, data, code = RecordType(item["type"]), item["data"], new_code()
        tables.append(
            {
                "records": [
                    {
                        "id": item["id"],
                        "type": kind.value,
                        "state": State.SUBMITTED.value,
                        "version": 1,
                        "source": Source.FIELD.value,
                        "province_code": "38",
                        **record_rules.derived_columns(kind, data),
                        "data": data,
                        "receipt_code": code,
                        "captured_at": item["captured_at"],
                        "received_at": now,
                        "updated_at": now,
                        "captured_by_id": 1,
                        "device_id": None,
                    }
                ],
                "record_people": [{**p, "record_id": item["id"]} for p in record_rules.people_of(kind, data)],
                "record_versions": [
                    {
                        "record_id": item["id"],
                        "version": 1,
                        "data": data,
                        "created_at": now,
                        "created_by_id": 1,
                        "device_id": None,
                        "source": "push",
                    }
                ],
                "audit_log": [audit_row("record.create", "record", item["id"], actor_id=1)],
                "receipt_codes": [
                    {"code": code, "user_id": 1, "allocated_at": now, "used_at": now, "record_id": item["id"]}
                ],
            }
        )
    return tables


def raw_rate(database_url: str, workdir: Path, records: list[dict[str, Any]], batch: int) -> float:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "UPLOAD_DIR": str(workdir)})
    fresh = [{**r, "id": str(uuid.uuid4())} for r in records]
    with app.app_context():
        rows = raw_rows(app, fresh)
        metadata = db.metadata
        engine = db.engine
        started = time.perf_counter()
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            with engine.begin() as conn:
                for table in ("records", "record_people", "record_versions", "audit_log", "receipt_codes"):
                    conn.execute(metadata.tables[table].insert(), [row for r in chunk for row in r[table]])
        elapsed = time.perf_counter() - started
        engine.dispose()
    return len(rows) / elapsed


def run(backend: str, count: int, batch: int, clients: int) -> dict[str, Any]:
    workdir = temp_workdir()
    records = households(count, seed=7)
    with fresh_database(backend, workdir) as url:
        make_collector(url, workdir)
        with gunicorn(url, workdir) as base:
            api, statuses = api_rate(base, records, batch, clients)
        raw = raw_rate(url, workdir, records, batch)
    assert statuses["created"] == count, f"not all created: {dict(statuses)}"
    return {"backend": backend, "records": count, "api": api, "raw": raw, "ratio": api / raw}


def push_rate(
    url: str,
    workdir: Path,
    records: list[dict[str, Any]],
    batch: int,
    clients: int,
    code: Path = ROOT,
    threads: int = 1,
) -> float:
    """Push the households into this database through gunicorn; every one must be created."""
    make_collector(url, workdir)
    extra = ("--threads", str(threads)) if threads > 1 else ()
    with gunicorn(url, workdir, code=code, extra_args=extra) as base:
        rate, statuses = api_rate(base, records, batch, clients)
    assert statuses["created"] == len(records), f"not all created: {dict(statuses)}"
    return rate


@contextmanager
def database(backend: str, stored: int, workdir: Path) -> Iterator[str]:
    """A fresh empty database, or a throw-away copy of the one holding `stored` records."""
    if stored:
        with preloaded_copy(backend, stored, workdir) as url:
            yield url
    else:
        with fresh_database(backend, workdir) as url:
            yield url


def rates(args: argparse.Namespace, backend: str) -> dict[tuple[int, int, Path], float]:
    """Records/s for every (stored, batch size, checkout), each into its own copy of the database.

    The checkouts take turns, in reverse order every other time, so a load that drifts during the run
    (other processes on the machine) weighs on each about the same.
    """
    workdir = temp_workdir()
    found: dict[tuple[int, int, Path], float] = {}
    turn = 0
    for stored in args.stored:
        for batch in args.batches:
            count = args.records if batch == 1 else max(args.records, MIN_REQUESTS * batch)
            records = households(count, seed=7)
            codes = args.code if turn % 2 == 0 else args.code[::-1]
            turn += 1
            for code in codes:
                with database(backend, stored, workdir) as url:
                    rate = push_rate(url, workdir, records, batch, args.clients, code, args.threads)
                found[(stored, batch, code)] = rate
                print(
                    f"{backend:<11} {stored:>9,} {batch:>6} {count:>8} {rate:>9.0f}  {label(code)}",
                    flush=True,
                )
    return found


def label(code: Path) -> str:
    if code == ROOT:
        return "this checkout"
    head = subprocess.run(
        ["git", "-C", str(code), "log", "-1", "--format=%h"], capture_output=True, text=True
    )
    return f"{code} ({head.stdout.strip()})"


def summarize(found: dict[tuple[int, int, Path], float], args: argparse.Namespace) -> None:
    """The ratios a run is for: at N stored / empty, and each checkout / the first one."""
    for (stored, batch, code), rate in found.items():
        empty = found.get((0, batch, code))
        if stored and empty:
            print(f"  {label(code)}, batch {batch}: {stored:,} stored / empty = {rate / empty:.2f}")
        first = found[(stored, batch, args.code[0])]
        if code != args.code[0]:
            versus = f"{label(code)} / {label(args.code[0])}"
            print(f"  {stored:,} stored, batch {batch}: {versus} = {rate / first:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--records",
        type=int,
        default=4000,
        help=f"records a run (batched runs: at least {MIN_REQUESTS} requests)",
    )
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--batches", type=int, nargs="+", help="several batch sizes (default: --batch)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--preload", type=int, default=0, help="also push into N stored records")
    parser.add_argument("--stored", type=int, nargs="+", help="records already stored, each (default 0)")
    parser.add_argument(
        "--code",
        type=Path,
        nargs="+",
        default=[ROOT],
        help="checkouts to compare (another worktree), the first is the reference",
    )
    parser.add_argument("--raw", action="store_true", help="the API against raw inserts (empty database)")
    args = parser.parse_args()
    args.batches = args.batches or [args.batch]
    args.stored = args.stored or ([0, args.preload] if args.preload else [0])
    args.code = [code.resolve() for code in args.code]
    if args.raw:
        print(f"{'backend':<11} {'records':>8} {'API rec/s':>10} {'raw rec/s':>10} {'API/raw':>8}")
    else:
        print(f"{'backend':<11} {'stored':>9} {'batch':>6} {'records':>8} {'rec/s':>9}  code")
    for backend in args.backends:
        if backend == "postgresql" and not postgres_ok():
            print("postgresql  skipped: not reachable")
            continue
        if args.raw:
            result = run(backend, args.records, args.batch, args.clients)
            api, raw = f"{result['api']:>10.0f}", f"{result['raw']:>10.0f}"
            print(f"{backend:<11} {result['records']:>8} {api} {raw} {result['ratio']:>8.2f}")
            continue
        summarize(rates(args, backend), args)


if __name__ == "__main__":
    main()
