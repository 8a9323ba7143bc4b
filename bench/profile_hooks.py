"""gunicorn config (`-c bench/profile_hooks.py`): cProfile in the first worker, SQL counted in every one.

Set PUSH_PROFILE_DIR. Each worker writes `worker-<n>` (its pid) when it starts and, when it exits,
`sql-<pid>.json` (requests served, statements by their first words, time in the database, its CPU
time); the first worker also writes `cpu-<pid>.prof` (cProfile with a CPU-time clock, so waiting on the
database or the network costs nothing in it) unless PUSH_PROFILE_CPROFILE=0 (a sampler watches it).
"""

import cProfile
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

OUT = Path(os.environ.get("PUSH_PROFILE_DIR", "/tmp"))
_state: dict[str, Any] = {"requests": 0, "statements": Counter(), "sql_seconds": 0.0, "profile": None}


def _statement_kind(statement: str) -> str:
    words = " ".join(statement.split())
    for marker in (" WHERE ", " VALUES ", " ON CONFLICT", " RETURNING", " ("):
        words = words.split(marker)[0]
    return words[:90]


def post_worker_init(worker: Any) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    import fieldapp

    _state["code"] = fieldapp.__file__

    @event.listens_for(Engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()
        _state["statements"][_statement_kind(statement)] += 1

    @event.listens_for(Engine, "after_cursor_execute")
    def _after(conn: Any, *args: Any) -> None:
        _state["sql_seconds"] += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())

    app = worker.wsgi

    def counted(environ: dict[str, Any], start_response: Any) -> Any:
        _state["requests"] += 1
        return app(environ, start_response)

    worker.wsgi = counted
    (OUT / f"worker-{worker.age}").write_text(str(os.getpid()))
    if worker.age == 1 and os.environ.get("PUSH_PROFILE_CPROFILE", "1") == "1":
        _state["profile"] = cProfile.Profile(time.process_time)
        _state["profile"].enable()


def worker_exit(server: Any, worker: Any) -> None:
    pid = os.getpid()
    profile = _state["profile"]
    if profile is not None:
        profile.disable()
        profile.dump_stats(OUT / f"cpu-{pid}.prof")
    summary = {
        "code": _state.get("code"),
        "pid_age": worker.age,
        "profiled": profile is not None,
        "requests": _state["requests"],
        "sql_seconds": _state["sql_seconds"],
        "statements": dict(_state["statements"].most_common()),
        "cpu_seconds": time.process_time(),
        "user_seconds": os.times().user,
        "system_seconds": os.times().system,
    }
    (OUT / f"sql-{pid}.json").write_text(json.dumps(summary, indent=1))
