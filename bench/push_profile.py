"""Where the time of a one-record push goes: cProfile of a gunicorn worker, SQL statements counted.

    python bench/push_profile.py [--records 1500] [--batch 1] [--backend postgresql] [--code DIR] [--stored N]

gunicorn with 2 workers (bench/profile_hooks.py: the first worker under cProfile with a CPU clock, every
worker counting its SQL statements) takes one-record pushes of the ingest benchmark's households from 4
client threads, into a fresh database (or a copy of one holding --stored records). Prints the push rate
(lowered by the profiler), the statements a request runs, and the CPU milliseconds per request of each
part of the request, from the profile.
"""

import argparse
import json
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, gunicorn, postgres_cpu, postgres_cpu_since, temp_workdir
from bench.ingest_bench import api_rate, database, households, make_collector

#: (label, file suffix, function name): a part of the request, measured as the cumulative CPU time of
#: the function that does it (parts nest: the indented labels are inside the one above them)
PARTS = [
    ("whole request in the worker (gunicorn's handle_request)", "gunicorn/workers/sync.py", "handle_request"),
    ("  WSGI app: middleware + Flask", "fieldapp/compression.py", "__call__"),
    ("    before_request hooks", "flask/app.py", "preprocess_request"),
    ("      token lookup (hash, device + user select)", "fieldapp/accounts/services.py", "check_token"),
    ("      device last-use write", "fieldapp/accounts/services.py", "touch_device"),
    ("    body parsing: webargs + marshmallow", "webargs/core.py", "parse"),
    ("      record data schema (load_record_data)", "fieldapp/records/schemas.py", "load_record_data"),
    ("    push_batch (the rules, flush included)", "fieldapp/sync/services.py", "push_batch"),
    ("      area check (admin unit lookup)", "fieldapp/sync/services.py", "_check_areas"),
    ("      attachments check", "fieldapp/sync/services.py", "_check_attachments"),
    (
        "      existing records select (before: every push; now: edits)",
        "fieldapp/sync/services.py",
        "_existing_records",
    ),
    ("      receipt code check", "fieldapp/sync/services.py", "_check_receipt_codes"),
    ("      insert records", "fieldapp/sync/services.py", "_insert_records_once"),
    ("      progress counters (before: 3 upserts)", "fieldapp/progress/counters.py", "count_created"),
    (
        "      people, version, audit, receipt code rows (before)",
        "fieldapp/sync/services.py",
        "_store_dependents",
    ),
    ("      records and the rows they bring (now: 1 statement)", "fieldapp/bulkwrite.py", "insert_new"),
    ("      duplicate check", "fieldapp/review/duplicates.py", "flag_duplicates"),
    ("      progress counters (now: after the check)", "fieldapp/progress/counters.py", "count_collected"),
    ("    response serialization (marshmallow dump)", "marshmallow/schema.py", "dump"),
    ("    after_request hooks (commit, log, headers)", "flask/app.py", "process_response"),
    ("      commit", "fieldapp/database.py", "_finish_transaction"),
    ("      access log line", "fieldapp/logs.py", "_log_request"),
    ("  SQL: cursor.execute (driver + wire)", "sqlalchemy/engine/default.py", "do_execute"),
    ("  SQL: executemany", "sqlalchemy/engine/default.py", "do_executemany"),
    ("  SQLAlchemy statement compilation", "sqlalchemy/sql/elements.py", "_compile_w_cache"),
]


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    total = 0.0
    for (path, _line, function), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if function == name and path.endswith(suffix):
            total += ct
    return total


def report(out: Path, requests_sent: int, rate: float, cpu: dict[str, float]) -> None:
    summaries = [json.loads(p.read_text()) for p in sorted(out.glob("sql-*.json"))]
    served = sum(s["requests"] for s in summaries)
    print(f"code: {summaries[0]['code']}")
    print(f"push rate (one worker profiled or sampled): {rate:.0f} records/s, {requests_sent} pushes")
    statements: dict[str, int] = {}
    for summary in summaries:
        for kind, n in summary["statements"].items():
            statements[kind] = statements.get(kind, 0) + n
    print(f"\nSQL statements per request ({served} requests, both workers):")
    for kind, n in sorted(statements.items(), key=lambda kv: -kv[1]):
        print(f"  {n / served:6.2f}  {kind}")
    print(f"  {sum(statements.values()) / served:6.2f}  in all")
    plain = [s for s in summaries if not s["profiled"]]
    print("\nCPU ms per request, measured outside the profiler:")
    for summary in plain:
        each = 1000 / summary["requests"]
        print(
            f"  {summary['cpu_seconds'] * each:7.2f}  app worker without the profiler "
            f"(user {summary['user_seconds'] * each:.2f}, system {summary['system_seconds'] * each:.2f})"
        )
    for name, seconds in cpu.items():
        print(f"  {seconds * 1000 / requests_sent:7.2f}  {name}")
    if (out / "stacks.txt").exists():
        print("\nSampled (py-spy) in the first worker, shares turned into its CPU ms per request:")
        worker = min(plain, key=lambda s: s["pid_age"])
        per_request = worker["cpu_seconds"] * 1000 / worker["requests"]
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "stack_parts.py"),
                str(out / "stacks.txt"),
                "--ms-per-push",
                f"{per_request:.3f}",
            ],
            check=True,
        )
        return
    profiled = next(s for s in summaries if s["profiled"])
    stats = pstats.Stats(str(next(out.glob("cpu-*.prof"))))
    per = 1000 / profiled["requests"]
    print(f"\nCPU ms per request, profiled worker ({profiled['requests']} requests; cProfile adds its cost):")
    print(f"  {profiled['cpu_seconds'] * per:7.2f}  worker process CPU in all (from its start)")
    for label, suffix, name in PARTS:
        print(f"  {cumulative(stats, suffix, name) * per:7.2f}  {label}")
    print(f"  {profiled['sql_seconds'] * per:7.2f}  (wall ms in the database driver, for comparison)")
    print("\nTop functions by own CPU time:")
    stats.sort_stats("tottime").print_stats(25)


def start_sampler(py_spy: str, out: Path) -> subprocess.Popen:
    """py-spy on the first worker, counting only samples that hold the GIL (its CPU, not its waits)."""
    started = out / "worker-1"
    for _ in range(100):
        if started.exists():
            break
        time.sleep(0.1)
    pid = started.read_text()
    command = [py_spy, "record", "-p", pid, "-r", "250", "--gil", "--nonblocking", "-f", "raw"]
    command += ["-o", str(out / "stacks.txt")]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1500)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--backend", default="postgresql")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose app gunicorn serves")
    parser.add_argument("--py-spy", help="sample the first worker with this py-spy instead of cProfile")
    parser.add_argument("--stored", type=int, default=0, help="push into a copy of N stored records")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="fieldapp-profile-"))
    workdir = temp_workdir()
    records: list[dict[str, Any]] = households(args.records, seed=7)
    hooks = str(ROOT / "bench" / "profile_hooks.py")
    with database(args.backend, args.stored, workdir) as url:
        make_collector(url, workdir)
        with gunicorn(
            url,
            workdir,
            code=args.code.resolve(),
            extra_args=("-c", hooks),
            extra_env={"PUSH_PROFILE_DIR": str(out), "PUSH_PROFILE_CPROFILE": "0" if args.py_spy else "1"},
        ) as base:
            sampler = start_sampler(args.py_spy, out) if args.py_spy else None
            before = (postgres_cpu(url), time.process_time())
            rate, statuses = api_rate(base, records, args.batch, args.clients)
            if sampler is not None:
                sampler.send_signal(signal.SIGINT)  # py-spy writes what it has and stops
                sampler.wait(timeout=60)
            cpu = {
                "PostgreSQL backends of this database (0 on SQLite)": postgres_cpu_since(url, before[0]),
                "benchmark client (4 threads, requests)": time.process_time() - before[1],
            }
    assert statuses["created"] == len(records), dict(statuses)
    report(out, -(-len(records) // args.batch), rate, cpu)


if __name__ == "__main__":
    main()
