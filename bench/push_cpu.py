"""CPU time of one push in the app's own process: the Flask test client, one client, no network.

    python bench/push_cpu.py [--pushes 600] [--batch 1] [--backend postgresql] [--code DIR]

The quick measure to compare two versions of the push path (`--code` runs another checkout's app): the
process's CPU milliseconds per push and the SQL statements per push, after a warm-up, on a fresh
database, and the CPU the database's PostgreSQL backend used meanwhile. It leaves out gunicorn
(bench/push_profile.py has it).
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=600)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--backend", default="postgresql")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose app is measured")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    import fieldapp  # noqa: F401  (the measured checkout's; the bench helpers below are this one's)

    sys.path.insert(0, str(ROOT))

    from sqlalchemy import event

    from bench.common import fresh_database, postgres_cpu, postgres_cpu_since, temp_workdir
    from bench.ingest_bench import households, make_collector
    from fieldapp import create_app
    from fieldapp.extensions import db
    from tests.support import databases

    workdir = temp_workdir()
    warmup = 50
    records = households((args.pushes + warmup) * args.batch, seed=7)
    with fresh_database(args.backend, workdir) as url:
        make_collector(url, workdir)
        config = {**databases.base_config(url, workdir), "LOG_LEVEL": "INFO"}
        app = create_app(config)
        client = app.test_client()
        with app.app_context():
            token = client.post(
                "/api/v1/auth/token",
                json={"username": "bench", "password": "bench-password", "device_name": "bench"},
            ).get_json()["token"]
            statements = [0]
            event.listen(
                db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
            )
            headers = {"Authorization": f"Bearer {token}"}
            batches = [records[i : i + args.batch] for i in range(0, len(records), args.batch)]
            for n, batch in enumerate(batches):
                if n == warmup:
                    started, statements[0], server = time.process_time(), 0, postgres_cpu(url)
                answer = client.post("/api/v1/sync/push", json={"records": batch}, headers=headers)
                result = answer.get_json()
                assert answer.status_code == 200 and result["results"][0]["status"] == "created", result
            cpu = time.process_time() - started
            server_cpu = postgres_cpu_since(url, server)
            db.engine.dispose()
    print(f"code: {args.code.resolve()}  backend: {args.backend}  batch: {args.batch}")
    each = 1000 / args.pushes
    print(
        f"  {cpu * each:.2f} CPU ms per push in the app, {server_cpu * each:.2f} in PostgreSQL's backend, "
        f"{statements[0] / args.pushes:.2f} SQL statements"
    )


if __name__ == "__main__":
    main()
