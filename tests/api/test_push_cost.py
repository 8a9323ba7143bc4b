"""The fixed cost of a push: a handful of statements whatever its size, and the shortcuts keep the rules."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import event, func, select

from fieldapp.extensions import db
from fieldapp.progress.models import DailyCount, ProvinceDay, UnitTotal
from fieldapp.records import schemas as records_schemas
from fieldapp.records import services as records
from fieldapp.records.audit import AuditEntry
from fieldapp.records.models import Record, RecordPerson, RecordType, RecordVersion
from fieldapp.sync.areas import provinces_of
from fieldapp.vn.models import AdminUnit
from tests.support.builders import TRUNG_LY, household_data, item

#: a push's statements: the device with its user, the records with everything they bring, the duplicate
#: check, the progress counters (last: every push of a province adds to the same rows and holds them
#: until it commits), the household registry's change rows (which take the province's feed lock on
#: PostgreSQL). SQLite sends one executemany a table and its BEGIN IMMEDIATE, and its duplicate check as
#: two statements (the probes, then the people they reach). Nothing is read back at commit: the push tells
#: the registry where its households are.
MOST_STATEMENTS = {"postgresql": 5, "sqlite": 13}


@contextmanager
def statements() -> Iterator[list[str]]:
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if "duplicate_pairs" not in statement:  # the builders' households are look-alikes: pairs found
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_a_push_costs_a_few_statements_however_many_records_it_carries(make, backend):
    token = make.collector_token()
    make.push(token, [item("household")])  # the device's first use and the commune's first lookup
    with statements() as one:
        assert make.push(token, [item("household")]).get_json()["results"][0]["status"] == "created"
    with statements() as twenty:
        results = make.push(token, [item("household") for _ in range(20)]).get_json()["results"]
    assert {r["status"] for r in results} == {"created"}
    assert len(one) <= MOST_STATEMENTS[backend], one
    assert len(twenty) == len(one), twenty
    assert not [s for s in one if "admin_units" in s or s.lstrip().upper().startswith("UPDATE")]


def test_everything_a_new_record_brings_is_written(make):
    token = make.collector_token("38")
    pushed = [item("household"), item("household", data=household_data(TRUNG_LY))]
    assert [r["status"] for r in make.push(token, pushed).get_json()["results"]] == ["created"] * 2
    for record in pushed:
        [version] = db.session.scalars(select(RecordVersion).where(RecordVersion.record_id == record["id"]))
        assert version.version == 1 and version.data["commune_code"] == record["data"]["commune_code"]
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == record["id"]))
        assert entry.action == "record.create" and entry.detail == {"type": "household"}
        stored = db.session.get(Record, record["id"])
        data = records_schemas.load_record_data(RecordType.HOUSEHOLD, record["data"])
        derived = records.derived_columns(RecordType.HOUSEHOLD, data)
        assert {column: getattr(stored, column) for column in derived} == derived  # the sort key's bytes too
        assert stored.captured_at == datetime(2025, 11, 20, 2, 30) and stored.data == data
    daily = dict(db.session.execute(select(DailyCount.commune_code, DailyCount.count)).all())
    assert daily == {"14845": 1, TRUNG_LY: 1}
    assert db.session.scalar(select(func.sum(UnitTotal.count))) == 2
    assert db.session.scalar(select(ProvinceDay.count)) == 2


def test_a_batch_of_stored_and_new_records_writes_only_what_the_new_ones_bring(make):
    token = make.collector_token()
    stored, new = item("household"), item("household")
    make.push(token, [stored])
    results = make.push(token, [stored, new]).get_json()["results"]
    assert [r["status"] for r in results] == ["duplicate", "created"]
    for record in (stored, new):
        assert count(RecordVersion, RecordVersion.record_id == record["id"]) == 1
        assert count(AuditEntry, AuditEntry.entity_id == record["id"]) == 1
        assert count(RecordPerson, RecordPerson.record_id == record["id"]) == 3
    assert db.session.scalar(select(DailyCount.count)) == 2
    assert db.session.scalar(select(UnitTotal.count)) == 2


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_counters_add_up_across_pushes_into_the_same_rows(make):
    token = make.collector_token()
    for size in (1, 3, 2):
        make.push(token, [item("household") for _ in range(size)])
    assert db.session.scalar(select(DailyCount.count)) == 6
    assert db.session.scalar(select(UnitTotal.count)) == 6
    assert db.session.scalar(select(ProvinceDay.count)) == 6


def test_a_commune_loaded_after_a_push_named_it_is_found(app):
    """Communes are read once per process, but one not found is asked for again next time."""
    assert provinces_of({"14845", "99999"}) == {"14845": "38"}
    db.session.add(
        AdminUnit(
            code="99999",
            level="commune",
            name="Xã Thử",
            short_name="Thử",
            unit_type="Xã",
            province_code="38",
            name_folded="xa thu",
        )
    )
    db.session.flush()  # never committed: the units stay as every other test knows them
    assert provinces_of({"14845", "99999"}) == {"14845": "38", "99999": "38"}
    db.session.rollback()


def test_a_stored_record_sent_again_with_a_code_it_may_not_carry_is_a_duplicate(make):
    """A new record is inserted without a lookup; one stored before still answers as stored, even
    when the code it carries now would make a new record invalid."""
    token = make.collector_token()
    record = item("household")
    [created] = make.push(token, [record]).get_json()["results"]
    [again] = make.push(token, [{**record, "receipt_code": "23456789AB"}]).get_json()["results"]
    assert again["status"] == "duplicate"
    assert again["receipt_code"] == created["receipt_code"]
