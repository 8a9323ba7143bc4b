"""Foreigners and people of unknown ethnic group in the indicators, and the backfill of the column."""

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from fieldapp.extensions import db
from fieldapp.progress import areas, indicators
from fieldapp.records.models import RecordPerson
from tests.support.builders import MUONG_LAT, birth_data, household_data, item, person

REGISTER = {"book_number": "01", "entry_number": "12", "registered_on": "2023-06-01"}
MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0010_vndata.py"


def member(name: str, ethnicity: str, relationship: str, **extra) -> dict:
    data = {**person(full_name=name, ethnicity=ethnicity, **extra), "relationship": relationship}
    if "personal_id" not in extra:
        data.pop("personal_id")
    return data


def household() -> dict:
    """A Hmông father, a foreign mother, four children born 2023 of every kind of ethnicity entry."""
    members = [
        member("Giàng A Páo", "08", "head"),
        member("Anna Novák", "55", "spouse", sex="female", nationality="CZ"),
        member("Giàng A Sử", "08", "child", date_of_birth="2023-02-01"),  # minority, registered
        member("Giàng Thị Mai", "08", "child", sex="female", date_of_birth="2023-03-01"),  # minority, not
        member("Giàng Anna", "55", "child", sex="female", date_of_birth="2023-04-01", nationality="CZ"),
        member("Giàng A Tủa", "00", "child", date_of_birth="2023-05-01"),  # group not known
        member("Nguyễn Văn Bình", "01", "child", date_of_birth="2023-06-01"),  # Kinh
    ]
    return {**household_data(), "members": members}


def registered_birth(kid: dict) -> dict:
    child = {k: v for k, v in kid.items() if k != "relationship"}
    return {**birth_data(register=REGISTER), "child": child}


@pytest.fixture
def pushed(make):
    data = household()
    batch = [item("household", data=data)] + [
        item("birth", data=registered_birth(kid)) for kid in (data["members"][2], data["members"][4])
    ]
    results = make.push(make.token(make.user("collector")), batch).get_json()["results"]
    assert [r["status"] for r in results] == ["created"] * 3, results
    return data


def test_minority_births_count_only_the_53_groups(pushed) -> None:
    got = {i.key: i for i in indicators.compute(areas.resolve("commune", MUONG_LAT), 2023)}
    minority = got["minority_births_registered"]
    # Sử and Mai are Hmông; Anna (foreign national), Tủa (not known) and Bình (Kinh) are not counted.
    assert (minority.numerator, minority.denominator) == (1, 2)
    everyone = got["births_registered"]
    assert (everyone.numerator, everyone.denominator) == (2, 5)


def test_people_rows_keep_the_ethnicity_code(pushed) -> None:
    rows = db.session.execute(select(RecordPerson.full_name, RecordPerson.ethnicity)).all()
    assert ("Anna Novák", "55") in rows and ("Giàng A Tủa", "00") in rows and ("Giàng A Páo", "08") in rows


def test_migration_backfills_the_column_from_record_data(pushed) -> None:
    spec = importlib.util.spec_from_file_location("migration_0010", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    expected = set(db.session.execute(select(RecordPerson.id, RecordPerson.ethnicity)).all())
    db.session.execute(update(RecordPerson).values(ethnicity=None))
    db.session.execute(text(migration.backfill_sql(db.session.get_bind().dialect.name)))
    assert set(db.session.execute(select(RecordPerson.id, RecordPerson.ethnicity)).all()) == expected
    assert None not in {ethnicity for _, ethnicity in expected}
