"""Pace and projection on hand-computed cases (no database)."""

from datetime import date

from fieldapp.progress.projection import Projection, Status

TODAY = date(2026, 11, 25)
DEADLINE = date(2026, 12, 20)  # 26 days left, today and the deadline both counted


def test_behind_schedule_hand_computed():
    p = Projection(done=100, amount=1000, deadline=DEADLINE, today=TODAY, last_7=70, last_30=300)
    assert p.remaining == 900
    assert p.days_left == 26
    assert p.pace_needed == 35  # 900 / 26 = 34.6: whole records, rounded up
    assert p.pace_7 == 10.0
    assert p.pace_30 == 10.0
    assert p.days_to_finish == 90  # ceil(900 / 10), today the first
    assert p.projected_finish == date(2027, 2, 22)  # 25 Nov + 89 days
    assert p.status is Status.BEHIND


def test_on_track_finishes_before_the_deadline():
    p = Projection(done=9000, amount=10000, deadline=DEADLINE, today=TODAY, last_7=700, last_30=2400)
    assert p.pace_needed == 39  # 1000 / 26 = 38.5
    assert p.projected_finish == date(2026, 12, 4)  # ceil(1000 / 100) = 10 days, 25 Nov the first
    assert p.status is Status.ON_TRACK


def test_an_area_with_no_data_is_stalled_and_has_no_projection():
    p = Projection(done=0, amount=500, deadline=DEADLINE, today=TODAY, last_7=0, last_30=0)
    assert p.share == 0.0
    assert p.pace_7 == 0.0
    assert p.projected_finish is None
    assert p.status is Status.STALLED


def test_a_pace_of_zero_this_week_stalls_even_with_older_work():
    p = Projection(done=400, amount=500, deadline=DEADLINE, today=TODAY, last_7=0, last_30=90)
    assert p.pace_30 == 3.0
    assert p.days_to_finish is None
    assert p.status is Status.STALLED


def test_target_already_met():
    p = Projection(done=1200, amount=1000, deadline=DEADLINE, today=TODAY, last_7=10, last_30=40)
    assert p.remaining == 0
    assert p.share == 1.0
    assert p.pace_needed is None
    assert p.projected_finish == TODAY
    assert p.status is Status.MET


def test_deadline_passed_without_reaching_the_target():
    p = Projection(done=300, amount=1000, deadline=date(2026, 11, 24), today=TODAY, last_7=70, last_30=300)
    assert p.days_left == 0
    assert p.pace_needed is None
    assert p.status is Status.OVERDUE


def test_the_deadline_day_itself_still_counts():
    p = Projection(done=90, amount=100, deadline=TODAY, today=TODAY, last_7=70, last_30=70)
    assert p.days_left == 1
    assert p.pace_needed == 10
    assert p.projected_finish == TODAY  # ten more today at ten a day
    assert p.status is Status.ON_TRACK


def test_units_sort_by_risk_worst_first():
    overdue = Projection(300, 1000, date(2026, 11, 1), TODAY, 70, 300)
    stalled = Projection(0, 1000, DEADLINE, TODAY, 0, 0)
    far_behind = Projection(0, 26000, DEADLINE, TODAY, 70, 300)  # needs 1000/day, does 10
    slightly_behind = Projection(500, 1000, DEADLINE, TODAY, 105, 300)  # needs 19.2/day, does 15
    on_track = Projection(900, 1000, DEADLINE, TODAY, 70, 300)
    met = Projection(1000, 1000, DEADLINE, TODAY, 70, 300)
    ordered = sorted([met, on_track, slightly_behind, far_behind, stalled, overdue], key=lambda p: p.risk)
    assert ordered == [overdue, stalled, far_behind, slightly_behind, on_track, met]
