"""One push's duplicate check costs what its size says, however many of its people look alike."""

from collections import Counter

import pytest
from sqlalchemy import event, func, select

from fieldapp.extensions import db
from fieldapp.review import duplicates
from fieldapp.review.candidates import PROBE_LIMIT
from fieldapp.review.models import DuplicatePair
from tests.support.builders import household_data, item, person

MEMBERS = 40


def crowded_households(count: int) -> list[dict]:
    """Households of 40 people who all share one name and one birth date (no personal IDs)."""
    twin = {**person(full_name="Giàng A Páo", date_of_birth="1980-01-01"), "relationship": "child"}
    twin.pop("personal_id")
    members = [{**twin, "relationship": "head"}] + [dict(twin) for _ in range(MEMBERS - 1)]
    return [item("household", data={**household_data(), "members": members}) for _ in range(count)]


@pytest.fixture
def cost(monkeypatch: pytest.MonkeyPatch):
    """Counts the comparisons the check makes and the SQL statements it sends."""
    counted: Counter[str] = Counter()
    compare = duplicates.compare

    def counting_compare(new, other):
        counted["comparisons"] += 1
        return compare(new, other)

    def statement(*_args) -> None:
        if counted["checking"]:
            counted["statements"] += 1

    flag = duplicates.flag_duplicates

    def counting_flag(new):
        counted["checking"] = 1
        try:
            return flag(new)
        finally:
            counted["checking"] = 0

    monkeypatch.setattr(duplicates, "compare", counting_compare)
    monkeypatch.setattr("fieldapp.sync.services.flag_duplicates", counting_flag)
    event.listen(db.engine, "before_cursor_execute", statement)
    yield counted
    event.remove(db.engine, "before_cursor_execute", statement)


@pytest.mark.parametrize("households", [25, 200])
def test_a_push_of_look_alikes_is_checked_at_a_cost_bounded_by_its_size(make, cost, households):
    token = make.collector_token()
    response = make.push(token, crowded_households(households))
    assert response.status_code == 200
    assert {r["status"] for r in response.get_json()["results"]} == {"created"}
    people = households * MEMBERS
    # pairwise over the look-alikes would be people**2 (64,000,000 for 200 households)
    assert cost["comparisons"] <= people * duplicates.CANDIDATES_PER_PERSON
    assert cost["statements"] <= 5
    stored = db.session.scalar(select(func.count()).select_from(DuplicatePair))
    assert 0 < stored <= households * duplicates.PAIRS_PER_RECORD


def test_each_probe_reads_a_bounded_number_of_people(make):
    """A probe over a crowd of look-alikes returns no more than its limit, whatever the crowd's size."""
    from fieldapp.review import candidates

    make.push(make.collector_token(), crowded_households(3))
    probes = [candidates.Probe(name="giang a pao", year=1980, dates=candidates.birth_dates("1980-01-01"))]
    assert len(candidates.people_found(probes)) == PROBE_LIMIT
    assert len(candidates.people_found([candidates.Probe(name="giang a pao", year=1980)])) == PROBE_LIMIT
