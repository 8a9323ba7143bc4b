"""Shared pieces of the benchmarks: fresh databases, a gunicorn server, realistic payloads."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import databases  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[str]:
    """A migrated database with the administrative units loaded."""
    if backend == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:6]}.sqlite3"
        databases.migrate_and_load_units(f"sqlite:///{path}", workdir)
        yield f"sqlite:///{path}"
        return
    with databases.postgres_database(workdir) as url:
        yield url


@contextmanager
def gunicorn(
    database_url: str,
    workdir: Path,
    workers: int = 2,
    *,
    code: Path = ROOT,
    extra_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """gunicorn serving the app of the checkout `code` (another worktree compares two versions)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret-long-enough-for-production-use",
        "FIELDAPP_PUBLIC_BASE_URL": "https://fieldapp.test",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        "FIELDAPP_RATELIMIT_KEY_PREFIX": f"bench-{port}",
        # Redis above is for the rate limits; the jobs stay in the SQLite queue the bench's worker reads
        "FIELDAPP_JOBS_QUEUE": os.environ.get("FIELDAPP_JOBS_QUEUE", "sqlite"),
        "UPLOAD_DIR": str(workdir / "uploads"),
        "FIELDAPP_LOG_LEVEL": "WARNING",
        "FIELDAPP_LOGIN_RATE_LIMIT": "10000 per minute",
        **(extra_env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "120",
        *extra_args,
        "wsgi:app",
    ]
    process = subprocess.Popen(command, cwd=code, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # a loaded 2-core machine takes a while to import the app twice
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            process.kill()  # reading its stderr would wait for the end of a process that never ends
            raise RuntimeError("gunicorn did not start: " + process.stderr.read()[-2000:].decode())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def temp_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="fieldapp-bench-"))


def postgres_ok() -> bool:
    try:
        with psycopg.connect(databases.POSTGRES_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def postgres_cpu(database_url: str) -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL backend serving this database (the server is local;
    other sessions' backends and the server's own processes are left out: the machine is shared)."""
    name = database_url.rsplit("/", 1)[-1].encode()
    used = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            title = (proc / "cmdline").read_bytes()
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if title.startswith(b"postgres: ") and f" {name.decode()} ".encode() in title:
            used[int(proc.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def postgres_cpu_since(database_url: str, before: dict[int, float]) -> float:
    """What this database's backends alive now used since `before` (a backend that ended is lost)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in postgres_cpu(database_url).items())
