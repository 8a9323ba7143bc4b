"""Faults at scale: throughput with and without cut connections, one vs two servers, repeated power cuts.

    python bench/faults_bench.py [--records 5000] [--devices 20] [--backend postgresql] [--kills 10]

Every run is checked record by record afterwards (tests/faults/consistency.py): lost, doubled, receipt
codes. Baseline: the same devices pushing the same number of records to one server with no faults, in
the same run. Loopback only; each scenario is bounded by its record count.
"""

import argparse
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import fresh_database, postgres_ok, temp_workdir
from fieldapp import create_app
from fieldapp.accounts import services as accounts
from fieldapp.extensions import db
from tests.faults.consistency import check_exactly_once, count_records
from tests.faults.harness import CuttingProxy, Device, Server, chunks, household_batch, running
from tests.support import databases

COMMUNE = "14845"
BATCH = 50


def make_tokens(database_url: str, workdir: Path, count: int, label: str) -> list[str]:
    app = create_app({**databases.base_config(database_url, workdir), "TESTING": True})
    with app.app_context():
        tokens = []
        for n in range(count):
            user = accounts.create_user(
                f"{label}{n}", "mat-khau-bench", "collector", COMMUNE, hash_method="pbkdf2:sha256:1000"
            )
            tokens.append(accounts.issue_device(user, "bench", timedelta(days=1))[1])
        db.session.commit()
        db.engine.dispose()
    return tokens


def push_all(
    urls: list[str], tokens: list[str], per_device: int, label: str
) -> tuple[float, list, dict, int]:
    """Every device pushes its own records in batches, alternating over `urls`; returns the timing."""
    outboxes = [household_batch(per_device, COMMUNE, f"{label}-{n}") for n in range(len(tokens))]
    devices = [Device(urls[n % len(urls)], token, max_attempts=80) for n, token in enumerate(tokens)]

    def run(device: Device, outbox: list) -> None:
        for k, batch in enumerate(chunks(outbox, BATCH)):
            device.push(batch, base_url=urls[k % len(urls)])

    threads = [threading.Thread(target=run, args=pair) for pair in zip(devices, outboxes, strict=True)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    answers = {i: a for device in devices for i, a in device.answers.items()}
    return elapsed, [r for outbox in outboxes for r in outbox], answers, sum(d.attempts for d in devices)


def scenario(
    name: str, database_url: str, records: list, answers: dict, elapsed: float, requests: int, earlier: int
) -> float:
    check_exactly_once(database_url, records, answers, earlier=earlier)  # raises on any loss or doubling
    rate = len(records) / elapsed
    print(
        f"{name:<38} {len(records):>6} records {elapsed:7.1f} s {rate:8.0f} rec/s "
        f"{requests:>5} requests  lost 0, doubled 0"
    )
    return rate


def kill_loop(database_url: str, workdir: Path, kills: int) -> None:
    [token] = make_tokens(database_url, workdir, 1, "killed")
    records = household_batch(kills * 200, COMMUNE, "killed")
    earlier = count_records(database_url)
    server = Server(database_url, workdir / "uploads", workers=2).start()
    restarts = []
    try:
        device = Device(server.url, token, max_attempts=100)
        for batch in chunks(records, 200):
            pusher = threading.Thread(target=device.push, args=(batch,))
            pusher.start()
            time.sleep(0.05)
            server.kill_all()
            started = time.perf_counter()
            server.start()
            restarts.append(time.perf_counter() - started)
            pusher.join()
    finally:
        server.stop()
    check_exactly_once(database_url, records, device.answers, earlier=earlier)
    print(
        f"{'kill -9 of the whole server x' + str(kills):<38} {len(records):>6} records, "
        f"{sum(device.failures.values())} failed requests retried, "
        f"restart {sum(restarts) / len(restarts):.1f} s on average; lost 0, doubled 0"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--backend", default="postgresql", choices=["sqlite", "postgresql"])
    parser.add_argument("--kills", type=int, default=10)
    args = parser.parse_args()
    if args.backend == "postgresql" and not postgres_ok():
        sys.exit("PostgreSQL is not reachable")
    per_device = args.records // args.devices
    workdir = temp_workdir()
    (workdir / "uploads").mkdir()
    print(f"backend {args.backend}, {args.devices} devices, batches of {BATCH}")
    with fresh_database(args.backend, workdir) as url:
        rates = {}
        with running(Server(url, workdir / "uploads", workers=2)) as one:
            tokens = make_tokens(url, workdir, args.devices, "clean")
            earlier = count_records(url)
            timing = push_all([one.url], tokens, per_device, "clean")
            rates["clean"] = scenario(
                "one server, no faults (baseline)", url, *timing[1:3], timing[0], timing[3], earlier
            )
            with CuttingProxy(one.port, cut_rate=0.3) as proxy:
                tokens = make_tokens(url, workdir, args.devices, "cut")
                earlier = count_records(url)
                timing = push_all([proxy.url], tokens, per_device, "cut")
                rates["cut"] = scenario(
                    "one server, 30% of connections cut", url, *timing[1:3], timing[0], timing[3], earlier
                )
                print(f"{'':<38} cuts: {proxy.stats}")
            with running(Server(url, workdir / "uploads", workers=2)) as two:
                tokens = make_tokens(url, workdir, args.devices, "two")
                earlier = count_records(url)
                timing = push_all([one.url, two.url], tokens, per_device, "two")
                rates["two"] = scenario(
                    "two servers, no faults", url, *timing[1:3], timing[0], timing[3], earlier
                )
            # the baseline again, on the table the scenarios above have grown: separates the cost of a
            # larger table (duplicate candidates) from the cost of a second server on the same cores
            earlier = count_records(url)
            tokens = make_tokens(url, workdir, args.devices, "again")
            timing = push_all([one.url], tokens, per_device, "again")
            rates["again"] = scenario(
                "one server again, larger table", url, *timing[1:3], timing[0], timing[3], earlier
            )
        print(
            f"ratio cut / clean: {rates['cut'] / rates['clean']:.2f}   "
            f"two servers / one: {rates['two'] / rates['clean']:.2f}   "
            f"one server again / first: {rates['again'] / rates['clean']:.2f}"
        )
        kill_loop(url, workdir, args.kills)


if __name__ == "__main__":
    main()
