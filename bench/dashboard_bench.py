"""Progress dashboard and drill-down response times with 1,000,000 records, on SQLite and PostgreSQL.

    python bench/dashboard_bench.py                       # both backends, 1,000,000 records
    python bench/dashboard_bench.py --backend sqlite --records 200000 --requests 20

Per backend: a fresh migrated database with the units loaded; users for every commune of Thanh Hóa;
N records (90% in Thanh Hóa, the rest in Hà Nội) spread over 120 days with realistic states, written
with SQLAlchemy Core bulk inserts; the daily progress counters as the push and review paths maintain
them (one row per day, commune, team member and measure, plus the two roll-ups), and a few targets
and quotas. Then,
through the Flask test client signed in as the province's manager: the dashboard, the commune, old
district and member drill-downs, and the monthly view, each `--requests` times; p50 and p95 in ms.
Baseline in the same run: the per-commune, per-state GROUP BY over the records table that a
dashboard without counters would need (indexed on province_code, state), to show the ratio.
"""

import argparse
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from tempfile import mkdtemp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from fieldapp import create_app  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from tests.support import databases  # noqa: E402

PASSWORD = "bench-password"
DAYS = 120
CHUNK = 20_000


def build_app(url: str, workdir: Path):
    config = databases.base_config(url, workdir)
    config.update({"WTF_CSRF_ENABLED": False, "LOGIN_RATE_LIMIT": "100000 per minute"})
    return create_app(config)


def make_users(province_communes: dict[str, list[str]]) -> dict[str, list[tuple[int, str]]]:
    """Two collectors and a clerk per commune, a manager for Thanh Hóa. Returns commune -> [(id, role)]."""
    from fieldapp.accounts.models import User

    password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    now = datetime(2026, 1, 1)
    rows = [
        dict(
            username="quanly",
            password_hash=password,
            full_name="Sở Tư pháp",
            role="MANAGER",
            area_code="38",
            active=True,
            created_at=now,
        )
    ]
    for communes in province_communes.values():
        for commune in communes:
            for role, n in (("COLLECTOR", 1), ("COLLECTOR", 2), ("CLERK", 1)):
                rows.append(
                    dict(
                        username=f"{role.lower()}{n}_{commune}",
                        password_hash=password,
                        full_name=f"{role} {n} {commune}",
                        role=role,
                        area_code=commune,
                        active=True,
                        created_at=now,
                    )
                )
    db.session.execute(insert(User.__table__), rows)
    team: dict[str, list[tuple[int, str]]] = {}
    for user_id, role, area in db.session.execute(select(User.id, User.role, User.area_code)):
        if area and len(area) == 5:
            team.setdefault(area, []).append((user_id, role.value))
    return team


def make_records(total: int, province_communes: dict[str, list[str]], team, today: date, rng) -> Counter:
    """Insert the records; return the daily counters the live system would hold for them."""
    from fieldapp.records.models import Record

    table = Record.__table__
    communes = [
        (p, c) for p, cs in province_communes.items() for c in cs for _ in range(9 if p == "38" else 1)
    ]
    counts: Counter = Counter()
    start = datetime.combine(today - timedelta(days=DAYS - 1), datetime.min.time())
    done = 0
    while done < total:
        rows = []
        for _ in range(min(CHUNK, total - done)):
            province, commune = rng.choice(communes)
            members = team[commune]
            collector = members[rng.randrange(2)][0]
            clerk = members[2][0]
            received = start + timedelta(seconds=rng.randrange(DAYS * 86400))
            roll = rng.random()
            state = (
                "transferred"
                if roll < 0.3
                else "verified"
                if roll < 0.6
                else "submitted"
                if roll < 0.9
                else "in_review"
            )
            kind = rng.choice(("household", "household", "birth", "death", "marriage"))
            rows.append(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "type": kind,
                    "state": state,
                    "version": 1,
                    "source": "field",
                    "province_code": province,
                    "commune_code": commune,
                    "village": "Thôn 1",
                    "subject_name": "Nguyễn Văn A",
                    "subject_sort_key": b"",
                    "data": {"commune_code": commune, "village": "Thôn 1"},
                    "content_hash": "0" * 64,
                    "captured_at": received,
                    "received_at": received,
                    "updated_at": received,
                    "captured_by_id": collector,
                }
            )
            day = (received + timedelta(hours=7)).date()
            counts[(day, province, commune, collector, "collected")] += 1
            if state in ("verified", "transferred"):
                verified = min(day + timedelta(days=rng.randint(0, 6)), today)
                counts[(verified, province, commune, clerk, "verified")] += 1
                if state == "transferred":
                    counts[
                        (
                            min(verified + timedelta(days=rng.randint(0, 6)), today),
                            province,
                            commune,
                            clerk,
                            "transferred",
                        )
                    ] += 1
        db.session.execute(insert(table), rows)
        db.session.commit()
        done += len(rows)
        print(f"  {done:,} records", end="\r", flush=True)
    print()
    return counts


def write_counters(counts: Counter) -> None:
    from fieldapp.progress import counters
    from fieldapp.progress.models import DailyCount

    rows = [
        {"day": d, "province_code": p, "commune_code": c, "user_id": u, "measure": m, "count": n}
        for (d, p, c, u, m), n in counts.items()
    ]
    for i in range(0, len(rows), CHUNK):
        db.session.execute(insert(DailyCount.__table__), rows[i : i + CHUNK])
    counters.rebuild_rollups()
    db.session.commit()


def set_targets(today: date, team) -> None:
    from fieldapp.accounts.models import User
    from fieldapp.progress import services
    from fieldapp.progress.models import AreaKind, Period

    due = today + timedelta(days=25)
    services.set_target(AreaKind.PROVINCE, "38", 1_200_000, due + timedelta(days=180), None)
    services.set_target(AreaKind.DISTRICT, "384", 43_480, due, None)
    services.set_target(AreaKind.COMMUNE, "14845", 32_736, due, None)
    for user_id, _ in team["14845"]:
        services.set_quota(db.session.get(User, user_id), Period.DAY, 60, None)
    db.session.commit()


def analyze() -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
    db.session.commit()


def timed(client, path: str, n: int) -> list[float]:
    client.get(path)  # warm
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def baseline(n: int) -> list[float]:
    """The GROUP BY over the records a dashboard without counters would run (one of its queries)."""
    from fieldapp.records.models import Record

    query = (
        select(Record.commune_code, Record.state, func.count())
        .where(Record.province_code == "38")
        .group_by(Record.commune_code, Record.state)
    )
    times = []
    for _ in range(n):
        started = time.perf_counter()
        db.session.execute(query).all()
        times.append((time.perf_counter() - started) * 1000)
    db.session.rollback()
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(backend: str, records: int, requests: int) -> list[tuple[str, float, float]]:
    workdir = Path(mkdtemp(prefix="fieldapp-dashboard-bench-"))
    if backend == "sqlite":
        path = workdir / "bench.sqlite3"
        databases.migrate_and_load_units(f"sqlite:///{path}", workdir)
        return measure(f"sqlite:///{path}", workdir, records, requests)
    with databases.postgres_database(workdir) as url:
        return measure(url, workdir, records, requests)


def measure(url: str, workdir: Path, records: int, requests: int) -> list[tuple[str, float, float]]:
    import logging

    from fieldapp.progress.counters import local_day
    from fieldapp.vn.models import AdminUnit

    app = build_app(url, workdir)
    logging.disable(logging.INFO)
    rng = random.Random(2026)
    with app.app_context():
        today = local_day()
        province_communes = {
            p: list(db.session.scalars(select(AdminUnit.code).where(AdminUnit.province_code == p)))
            for p in ("38", "01")
        }
        started = time.perf_counter()
        team = make_users(province_communes)
        counts = make_records(records, province_communes, team, today, rng)
        write_counters(counts)
        set_targets(today, team)
        analyze()
        print(f"  generated in {time.perf_counter() - started:.0f} s; {len(counts):,} counter rows")
        base = baseline(requests)
        member = team["14845"][0][0]
    client = app.test_client()
    client.post("/login", data={"username": "quanly", "password": PASSWORD})
    pages = [
        ("dashboard (province, per day)", "/progress/"),
        ("dashboard (province, per month)", "/progress/area/38?period=month"),
        ("drill-down: commune", "/progress/area/14845"),
        ("drill-down: old district", "/progress/district/384"),
        ("drill-down: team member", f"/progress/member/{member}"),
    ]
    results = [("baseline: GROUP BY records (1 query)", pct(base, 0.5), pct(base, 0.95))]
    for label, path in pages:
        with app.app_context():
            times = timed(client, path, requests)
        results.append((label, statistics.median(times), pct(times, 0.95)))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        if backend == "postgresql" and not databases.postgres_available():
            print("postgresql: not reachable, skipped (set TEST_POSTGRES_URL)")
            continue
        print(f"{backend}: {args.records:,} records, {args.requests} requests per page")
        results = run(backend, args.records, args.requests)
        base_p95 = results[0][2]
        print(f"  {'page':<38} {'p50 ms':>8} {'p95 ms':>8} {'p95 / baseline':>15}")
        for label, p50, p95 in results:
            print(f"  {label:<38} {p50:8.1f} {p95:8.1f} {p95 / base_p95:15.2f}")


if __name__ == "__main__":
    main()
