"""A phone's sync while two clerks print 500-receipt batches, in web requests (before) and as jobs (after).

    python bench/jobs_bench.py [--receipts 500] [--backend sqlite|postgresql]

One gunicorn with 2 workers (the Procfile's web line), the same database, the same data in both runs. The
"before" run prints through GET /receipts/batch.pdf, which holds a web worker for the whole render; the
"after" run posts to /receipts/batch, and one huey worker process (the Procfile's worker line) renders.
While both batches print, a phone pushes 20 households and pulls; the script prints that sync's time beside
the same sync on an idle server, and when each batch PDF was ready.
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, fresh_database, gunicorn, temp_workdir
from bench.ingest_bench import households
from fieldapp import create_app
from fieldapp.extensions import db

COMMUNE = "14845"
PASSWORD = "Pù-Toong-bench-2025!"


def make_users(database_url: str, workdir: Path) -> None:
    from fieldapp.accounts.services import create_user

    config = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32, "UPLOAD_DIR": str(workdir)}
    app = create_app({**config, "ENV_NAME": "development"})
    with app.app_context():
        for name, role in (("phone", "collector"), ("clerk1", "clerk"), ("clerk2", "clerk")):
            create_user(name, PASSWORD, role, COMMUNE, hash_method="pbkdf2:sha256:1000")
        db.session.commit()
        db.engine.dispose()


def phone_token(base: str) -> str:
    answer = requests.post(
        f"{base}/api/v1/auth/token",
        json={"username": "phone", "password": PASSWORD, "device_name": "bench"},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()["token"]


def push(base: str, token: str, records: list[dict[str, Any]]) -> None:
    body = gzip.compress(json.dumps({"records": records}).encode())
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Encoding": "gzip",
        "Content-Type": "application/json",
    }
    answer = requests.post(f"{base}/api/v1/sync/push", data=body, headers=headers, timeout=300)
    answer.raise_for_status()


def sync_seconds(base: str, token: str, records: list[dict[str, Any]]) -> float:
    """What a phone waits for: push its outbox, then pull."""
    start = time.perf_counter()
    push(base, token, records)
    requests.get(
        f"{base}/api/v1/sync/pull?cursor=0", headers={"Authorization": f"Bearer {token}"}, timeout=300
    )
    return time.perf_counter() - start


def clerk_session(base: str, username: str) -> requests.Session:
    session = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(f"{base}/login", timeout=30).text)
    form = {"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    session.post(f"{base}/login", data=form, timeout=30).raise_for_status()
    return session


def print_inline(base: str, session: requests.Session, village: str) -> float:
    start = time.perf_counter()
    answer = session.get(f"{base}/receipts/batch.pdf", params={"village": village}, timeout=600)
    answer.raise_for_status()
    return time.perf_counter() - start


def print_as_job(base: str, session: requests.Session, village: str) -> float:
    start = time.perf_counter()
    page = session.get(f"{base}/receipts/batch", timeout=60).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "village": village, "format": "a5"}
    job = session.post(f"{base}/receipts/batch", data=form, allow_redirects=False, timeout=60)
    status_url = f"{base}{job.headers['Location']}.json"
    while session.get(status_url, timeout=60).json()["state"] not in ("done", "failed"):
        time.sleep(0.5)
    return time.perf_counter() - start


@contextmanager
def worker(database_url: str, workdir: Path) -> Iterator[None]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-secret",
        "UPLOAD_DIR": str(workdir / "uploads"),
        "FIELDAPP_ENV_NAME": "development",
        "FIELDAPP_JOBS_QUEUE_FILE": str(workdir / "queue.sqlite3"),
    }
    command = [
        sys.executable,
        "-m",
        "huey.bin.huey_consumer",
        "fieldapp.jobs.worker.huey",
        "-w",
        "1",
        "-k",
        "process",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def scenario(base: str, token: str, printer: Any, villages: list[str], outbox: list[dict[str, Any]]) -> dict:
    clerks = [clerk_session(base, name) for name in ("clerk1", "clerk2")]
    printed: list[float] = []
    threads = [
        threading.Thread(target=lambda c=c, v=v: printed.append(printer(base, c, v)))
        for c, v in zip(clerks, villages, strict=True)
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)  # both batches are rendering
    during = sync_seconds(base, token, outbox)
    for thread in threads:
        thread.join()
    return {"sync_during": during, "batches_ready": sorted(printed)}


def run(receipts: int, backend: str) -> dict:
    workdir = temp_workdir()
    villages = ["Bản Pù Toong", "Bản Lát"]
    results: dict[str, Any] = {}
    with fresh_database(backend, workdir) as url:
        make_users(url, workdir)
        os.environ["FIELDAPP_RECEIPT_INLINE_MAX"] = str(receipts * 2)
        os.environ["FIELDAPP_ALLOW_INSECURE_COOKIES"] = "1"  # the clerks sign in over plain http
        os.environ["FIELDAPP_JOBS_QUEUE_FILE"] = str(workdir / "queue.sqlite3")
        with gunicorn(url, workdir, workers=2) as base:
            token = phone_token(base)
            stock = households(receipts * 2 + 60, seed=11)
            for n, record in enumerate(stock[: receipts * 2]):
                record["data"]["village"] = villages[n % 2]
            for start in range(0, receipts * 2, 50):
                push(base, token, stock[start : start + 50])
            outboxes = [stock[receipts * 2 + 20 * k : receipts * 2 + 20 * (k + 1)] for k in range(3)]
            results["sync_idle"] = sync_seconds(base, token, outboxes[0])
            results["inline"] = scenario(base, token, print_inline, villages, outboxes[1])
            with worker(url, workdir):
                results["jobs"] = scenario(base, token, print_as_job, villages, outboxes[2])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=500, help="receipts in each of the two batches")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    results = run(args.receipts, args.backend)
    idle = results["sync_idle"]
    print(f"{args.backend}: two batches of {args.receipts} receipts, a phone syncing 20 households")
    print(f"  sync on an idle server:               {idle:6.2f} s")
    for name, label in (("inline", "printed inside web requests"), ("jobs", "printed as background jobs")):
        found = results[name]
        ready = ", ".join(f"{t:.1f} s" for t in found["batches_ready"])
        ratio = found["sync_during"] / idle
        during = found["sync_during"]
        print(f"  sync while {label}: {during:6.2f} s ({ratio:.1f}x idle); batches ready after {ready}")


if __name__ == "__main__":
    main()
