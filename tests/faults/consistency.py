"""What "nothing lost, nothing duplicated" means, checked in the database after a fault run."""

import json
import unicodedata
from collections import Counter
from typing import Any

from sqlalchemy import create_engine, text

#: fields the server fills in when a phone leaves them out, with the value it fills in
SERVER_DEFAULTS = {"dob_calendar": "solar", "dod_calendar": "solar", "nationality": "VN"}
#: fields the server derives from pushed ones (a lunar birth date's solar day)
DERIVED = {"dob_solar"}


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
            contents = {
                i: (kind, commune, _json(data))
                for i, kind, commune, data in conn.execute(
                    text("SELECT id, type, commune_code, data FROM records")
                )
            }
            submitted = {
                i: _json(data)
                for i, data in conn.execute(
                    text("SELECT record_id, data FROM record_versions WHERE version = 1")
                )
            }
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
    for record in {r["id"]: r for r in pushed}.values():
        check_stored_as_pushed(record, *contents[record["id"]], submitted[record["id"]])
    wrong = [i for i in ids if answers[i].get("receipt_code") != stored[i]]
    assert not wrong, f"{len(wrong)} devices hold another receipt code than the database"
    assert {answers[i]["status"] for i in ids} <= {"created", "duplicate"}


def check_stored_as_pushed(
    record: dict[str, Any], kind: str, commune: str, data: dict[str, Any], first_version: dict[str, Any]
) -> None:
    """The stored record says what the phone pushed, field by field (text in NFC, the server's defaults
    added), and its first version is kept as submitted."""
    assert (kind, commune) == (record["type"], record["data"]["commune_code"]), record["id"]
    wrong = differences(record["data"], data)
    assert not wrong, f"record {record['id']} stored otherwise than pushed: {wrong[:5]}"
    assert first_version == data, f"record {record['id']}: version 1 differs from the stored data"


def differences(pushed: Any, stored: Any, path: str = "data") -> list[str]:
    """Where `stored` is not `pushed`: each pushed field must be there with the same value."""
    if isinstance(pushed, dict) and isinstance(stored, dict):
        found = []
        for key in pushed.keys() | stored.keys():
            if key not in pushed:
                if key not in DERIVED and SERVER_DEFAULTS.get(key, object()) != stored[key]:
                    found.append(f"{path}.{key}: not pushed, stored {stored[key]!r}")
            elif key not in stored:
                found.append(f"{path}.{key}: pushed {pushed[key]!r}, not stored")
            else:
                found += differences(pushed[key], stored[key], f"{path}.{key}")
        return found
    if isinstance(pushed, list) and isinstance(stored, list) and len(pushed) == len(stored):
        return [
            d
            for n, (p, s) in enumerate(zip(pushed, stored, strict=True))
            for d in differences(p, s, f"{path}[{n}]")
        ]
    expected = unicodedata.normalize("NFC", pushed) if isinstance(pushed, str) else pushed
    return [] if expected == stored else [f"{path}: pushed {pushed!r}, stored {stored!r}"]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def count_records(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM records")).scalar()
    finally:
        engine.dispose()
