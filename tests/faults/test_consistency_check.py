"""The fault tests' own yardstick: a record stored otherwise than pushed is caught, field by field."""

import json

import pytest
from sqlalchemy import text

from tests.faults.consistency import check_exactly_once, differences
from tests.support.builders import household_data, item, person

SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def push_and_check(make, app, records, stored_change=None):
    token = make.collector_token()
    answers = {a["id"]: a for a in make.push(token, records).get_json()["results"]}
    if stored_change:
        from fieldapp.extensions import db

        db.session.execute(*stored_change)
        db.session.commit()
    check_exactly_once(app.config["SQLALCHEMY_DATABASE_URI"], records, answers)


@SQLITE
def test_records_stored_as_pushed_pass(app, make):
    lunar = household_data(
        village="Bản Ón", members=[{**person(dob_calendar="lunar"), "relationship": "head"}]
    )
    push_and_check(make, app, [item("household"), item("household", data=lunar)])


@SQLITE
def test_a_changed_field_is_caught(app, make):
    record = item("household")
    wrong = {**record["data"], "village": "Bản Khác"}
    change = (
        text("UPDATE records SET data = :d WHERE id = :i"),
        {"d": json.dumps(wrong), "i": record["id"]},
    )
    with pytest.raises(AssertionError, match=r"data\.village"):
        push_and_check(make, app, [record], change)


def test_differences_name_the_field():
    pushed = {"members": [{"full_name": "Lò Văn A", "sex": "male"}], "village": "Bản Lát"}
    stored = {
        "members": [{"full_name": "Lò Văn B", "sex": "male", "dob_calendar": "solar"}],
        "village": "Bản Lát",
    }
    assert differences(pushed, stored) == ["data.members[0].full_name: pushed 'Lò Văn A', stored 'Lò Văn B'"]
    assert differences({"village": "Ba\u0309n"}, {"village": "Bản"}) == []  # NFD pushed, NFC stored
    assert differences({"a": 1}, {"a": 1, "extra": "x"}) == ["data.extra: not pushed, stored 'x'"]
