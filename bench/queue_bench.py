"""Review queue at scale: 1,000,000 records in Thanh Hóa's communes, on SQLite and PostgreSQL.

Measures, through the Flask test client (no network), the p50 / p95 of the clerk's queue (first page,
name search without diacritics, personal ID, receipt code, filters, next page), a province user's
search, the record page, and the duplicate check of one incoming record. The baseline is GET /healthz
in the same run.

    python bench/queue_bench.py --backend sqlite --records 1000000
    python bench/queue_bench.py --backend postgresql --records 1000000

The generated database is kept (``--workdir``) and reused by the next run with the same size; the records
come from bench/queue_data.py.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.queue_data import PASSWORD, config, database_url, prepare  # noqa: E402
from fieldapp import create_app  # noqa: E402
from fieldapp.accounts.models import User  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.records.models import Record, RecordPerson  # noqa: E402
from fieldapp.vn.text import fold  # noqa: E402

# ---------------------------------------------------------------------------------------------- timing


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm the caches once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def get_ok(client: Any, url: str) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        response.get_data()
        return response

    return call


def login(client: Any, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def cycle(items: list[Any]) -> Iterator[Any]:
    while True:
        yield from items


def measure(url: str, workdir: Path, runs: int) -> list[tuple[str, list[float]]]:
    from fieldapp.review.duplicates import flag_duplicates

    app = create_app(config(url, workdir))
    results: list[tuple[str, list[float]]] = []
    with app.app_context():
        clerk = db.session.scalar(select(User).where(User.username == "canbo"))
        commune = clerk.area_code
        sample = db.session.execute(
            select(Record.id, Record.receipt_code, Record.captured_by_id)
            .where(Record.commune_code == commune)
            .order_by(Record.id)
            .limit(200)
        ).all()
        person = db.session.execute(
            select(RecordPerson.full_name, RecordPerson.personal_id)
            .join(Record, Record.id == RecordPerson.record_id)
            .where(Record.commune_code == commune, RecordPerson.personal_id.is_not(None))
            .limit(1)
        ).one()
        village = db.session.scalar(select(Record.village).where(Record.commune_code == commune).limit(1))
        db.session.remove()

    clerk_client = app.test_client()
    login(clerk_client, "canbo")
    manager = app.test_client()
    login(manager, "quanly")
    folded = fold(person.full_name)
    first = clerk_client.get("/review/?state=all").get_data(as_text=True)
    cursor = next((part for part in first.split('"') if "after=" in part), "").replace("&amp;", "&")

    checks = [
        ("baseline: GET /healthz", get_ok(clerk_client, "/healthz")),
        ("clerk queue, first page (to do, by name)", get_ok(clerk_client, "/review/")),
        ("clerk queue, next page (keyset)", get_ok(clerk_client, cursor or "/review/")),
        ("clerk search name without diacritics", get_ok(clerk_client, f"/review/?state=all&q={folded}")),
        ("clerk search family + given name", get_ok(clerk_client, "/review/?state=all&q=nguyen anh")),
        ("clerk search personal ID", get_ok(clerk_client, f"/review/?state=all&q={person.personal_id}")),
        ("clerk search receipt code", get_ok(clerk_client, f"/review/?state=all&q={sample[0].receipt_code}")),
        (
            "clerk filter state+type+village",
            get_ok(clerk_client, f"/review/?state=verified&type=birth&village={village}"),
        ),
        (
            "clerk filter date range, by date",
            get_ok(clerk_client, "/review/?state=all&from=2025-10-01&to=2025-10-31&sort=date"),
        ),
        (
            "clerk filter collector",
            get_ok(clerk_client, f"/review/?state=all&collector={sample[0].captured_by_id}"),
        ),
        ("province search name (1M rows)", get_ok(manager, f"/review/?state=all&q={folded}")),
        ("province search rare name", get_ok(manager, "/review/?state=all&q=giang pao")),
        ("province queue first page (to do)", get_ok(manager, "/review/")),
    ]
    records = cycle([row.id for row in sample])
    checks.append(("record page", lambda: get_ok(clerk_client, f"/review/records/{next(records)}")()))
    for label, fn in checks:
        results.append((label, timed(fn, runs)))

    with app.app_context():
        ids = cycle([row.id for row in sample])

        def check_one() -> None:
            flag_duplicates([next(ids)])
            db.session.rollback()

        results.append(("duplicate check, one incoming record", timed(check_one, max(runs, 100))))
        db.session.remove()
    return results


def measure_exports(url: str, workdir: Path) -> list[tuple[str, float, float]]:
    """One export of the ~100,000 death records (10 %) as CSV and as Excel: seconds, peak Python MB."""
    import tracemalloc

    app = create_app(config(url, workdir))
    manager = app.test_client()
    login(manager, "quanly")
    rows = []
    for fmt in ("csv", "xlsx"):
        tracemalloc.start()
        started = time.perf_counter()
        response = manager.get(f"/review/export.{fmt}?state=all&type=death", buffered=False)
        size = sum(len(piece) for piece in response.response)
        took = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        response.close()
        rows.append((f"export {fmt} ({size / 1e6:.1f} MB)", took, peak))
    return rows


def report(backend: str, records: int, results: list[tuple[str, list[float]]]) -> None:
    base = statistics.median(results[0][1])
    print(f"\n{backend}, {records:,} records — milliseconds (ratio = p50 / baseline p50)")
    print(f"{'measure':48} {'p50':>8} {'p95':>8} {'ratio':>7}")
    for label, samples in results:
        print(f"{label:48} {p(samples, 0.5):8.1f} {p(samples, 0.95):8.1f} {p(samples, 0.5) / base:7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/fieldapp-queue-bench"))
    parser.add_argument("--exports", action="store_true", help="also time the 100,000-row exports")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    url = database_url(args.backend, args.workdir, args.records)
    prepare(url, args.workdir, args.records, args.seed)
    report(args.backend, args.records, measure(url, args.workdir, args.runs))
    if args.exports:
        print(f"\n{'export (one run, tracemalloc on)':48} {'seconds':>8} {'peak MB':>8}")
        for label, took, peak in measure_exports(url, args.workdir):
            print(f"{label:48} {took:8.1f} {peak:8.1f}")


if __name__ == "__main__":
    main()
