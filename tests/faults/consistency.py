"""What "nothing lost, nothing duplicated" means, checked in the database after a fault run."""

from collections import Counter
from typing import Any

from sqlalchemy import create_engine, text


def check_exactly_once(
    database_url: str, pushed: list[dict[str, Any]], answers: dict[str, Any], *, earlier: int = 0
) -> None:
    """Every pushed record is stored once, with one version, one creation audit entry and its people;
    receipt codes are unique and the device holds the code the database holds. `earlier`: records the
    database held before this run."""
    ids = [record["id"] for record in pushed]
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            stored = dict(conn.execute(text("SELECT id, receipt_code FROM records")).all())
            versions = Counter(r for (r,) in conn.execute(text("SELECT record_id FROM record_versions")))
            created = Counter(
                r
                for (r,) in conn.execute(
                    text("SELECT entity_id FROM audit_log WHERE action = 'record.create'")
                )
            )
            people = Counter(r for (r,) in conn.execute(text("SELECT record_id FROM record_people")))
            codes = Counter(c for (c,) in conn.execute(text("SELECT receipt_code FROM records")))
            if conn.dialect.name == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    finally:
        engine.dispose()
    missing = [i for i in ids if i not in stored]
    assert not missing, f"{len(missing)} records lost, e.g. {missing[:3]}"
    expected = len(set(ids)) + earlier
    assert len(stored) == expected, f"{len(stored)} records stored, {expected} expected"
    assert all(versions[i] == 1 for i in ids), "a retry wrote a second version"
    assert all(created[i] == 1 for i in ids), "a retry wrote a second creation audit entry"
    expected_people = {r["id"]: len(r["data"]["members"]) for r in pushed}
    assert all(people[i] == expected_people[i] for i in ids), "people rows lost or doubled"
    assert None not in codes and max(codes.values()) == 1, "receipt codes missing or repeated"
    wrong = [i for i in ids if answers[i].get("receipt_code") != stored[i]]
    assert not wrong, f"{len(wrong)} devices hold another receipt code than the database"
    assert {answers[i]["status"] for i in ids} <= {"created", "duplicate"}


def count_records(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM records")).scalar()
    finally:
        engine.dispose()
