"""The daily counters move in the same transaction as the work, and a recount from history agrees."""

from datetime import datetime

from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.progress import counters
from fieldapp.progress.models import DailyCount, Measure, ProvinceDay, UnitTotal
from fieldapp.records import services as records
from fieldapp.records.models import Record
from fieldapp.records.states import Action
from tests.support.builders import TRUNG_LY, item


def counted() -> dict[tuple[str, int, str], int]:
    rows = db.session.execute(
        select(
            DailyCount.commune_code, DailyCount.user_id, DailyCount.measure, func.sum(DailyCount.count)
        ).group_by(DailyCount.commune_code, DailyCount.user_id, DailyCount.measure)
    )
    return {(c, u, Measure(m)): int(n) for c, u, m, n in rows}


def test_push_counts_collected_once_even_when_repeated(make):
    collector = make.user("collector")
    token = make.token(collector)
    batch = [item("household"), item("birth"), item("death")]
    assert make.push(token, batch).status_code == 200
    assert make.push(token, batch).status_code == 200  # the same batch again: duplicates, not new work
    assert counted() == {("14845", collector.id, Measure.COLLECTED): 3}


def test_verify_and_transfer_count_for_the_clerk_who_did_them(make):
    collector, clerk = make.user("collector"), make.user("clerk")
    make.push(make.token(collector), [item("household"), item("marriage")])
    first, second = db.session.scalars(select(Record).order_by(Record.id)).all()
    for record in (first, second):
        records.transition(record, Action.START, clerk)
        records.transition(record, Action.VERIFY, clerk)
    records.transition(first, Action.TRANSFER, clerk)
    db.session.commit()
    assert counted() == {
        ("14845", collector.id, Measure.COLLECTED): 2,
        ("14845", clerk.id, Measure.VERIFIED): 2,
        ("14845", clerk.id, Measure.TRANSFERRED): 1,
    }


def test_returned_and_rejected_work_is_not_counted_as_verified(make):
    collector, clerk = make.user("collector"), make.user("clerk")
    make.push(make.token(collector), [item("household")])
    record = db.session.scalars(select(Record)).one()
    records.transition(record, Action.START, clerk)
    records.transition(record, Action.REJECT, clerk, comment="Trùng")
    db.session.commit()
    assert set(counted()) == {("14845", collector.id, Measure.COLLECTED)}


def test_recount_from_records_and_audit_log_matches_the_maintained_counters(make):
    collector, clerk = make.user("collector"), make.user("clerk", TRUNG_LY)
    other = make.user("collector", TRUNG_LY)
    make.push(make.token(collector), [item("household") for _ in range(3)])
    from tests.support.builders import household_data

    make.push(make.token(other), [item("household", data=household_data(TRUNG_LY)) for _ in range(2)])
    for record in db.session.scalars(select(Record).where(Record.commune_code == TRUNG_LY)):
        records.transition(record, Action.START, clerk)
        records.transition(record, Action.VERIFY, clerk)
    db.session.commit()
    maintained = counted()
    counters.rebuild()
    db.session.commit()
    assert counted() == maintained
    assert maintained[(TRUNG_LY, clerk.id, Measure.VERIFIED)] == 2
    assert rolled_up() == maintained


def rolled_up() -> dict[tuple[str, int, str], int]:
    """The all-time roll-up must agree with the sum of the daily rows."""
    rows = db.session.execute(
        select(UnitTotal.commune_code, UnitTotal.user_id, UnitTotal.measure, UnitTotal.count)
    )
    return {(c, u, Measure(m)): int(n) for c, u, m, n in rows}


def test_the_rollups_move_with_the_daily_counters(make):
    collector, clerk = make.user("collector"), make.user("clerk")
    make.push(make.token(collector), [item("household"), item("death")])
    record = db.session.scalars(select(Record)).first()
    records.transition(record, Action.START, clerk)
    records.transition(record, Action.VERIFY, clerk)
    db.session.commit()
    assert rolled_up() == counted()
    by_day = db.session.execute(
        select(ProvinceDay.measure, func.sum(ProvinceDay.count)).group_by(ProvinceDay.measure)
    )
    assert {Measure(m): int(n) for m, n in by_day} == {Measure.COLLECTED: 2, Measure.VERIFIED: 1}


def test_the_day_is_vietnams_calendar_day():
    assert counters.local_day(datetime(2026, 11, 30, 16, 59)).isoformat() == "2026-11-30"
    assert counters.local_day(datetime(2026, 11, 30, 17, 0)).isoformat() == "2026-12-01"  # midnight in Hà Nội
