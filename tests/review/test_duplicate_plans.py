"""The duplicate check's probes are index lookups with a LIMIT, on SQLite and PostgreSQL (EXPLAIN)."""

import pytest
from sqlalchemy import event, text

from fieldapp.extensions import db
from fieldapp.review import candidates
from fieldapp.review.candidates import Probe, birth_dates
from tests.support.builders import item

PROBES = {
    "id": [Probe(personal_id="038080001234"), Probe(personal_id="038183004321")],
    "dates": [Probe(name="giang a pao", year=1980, dates=birth_dates("1980-03-15"))] * 2,
    "year": [Probe(name="giang a pao", year=1980), Probe(name="giang pao", year=1980)],
}
INDEX = {
    "id": "ix_record_people_personal_id",
    "dates": "ix_record_people_folded_birth_date",
    "year": "ix_record_people_folded_birth_date",
}


def plan(sql: str, params: dict) -> str:
    if db.session.get_bind().dialect.name == "postgresql":
        # a table this small is cheaper to scan; forbid it so the plan shows what the index can do
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        rows = db.session.execute(text(f"EXPLAIN {sql}"), params)
    else:
        rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"), params)
    return "\n".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize("kind", ["id", "dates", "year"])
def test_each_probe_is_an_index_lookup_stopped_by_its_limit(app, backend, kind):
    (sql, params), *more = candidates.statements(kind, PROBES[kind])
    assert more == []  # one statement answers a push's probes of one kind
    assert f"LIMIT {candidates.PROBE_LIMIT}" in sql
    shown = plan(sql, params)
    assert INDEX[kind] in shown, shown
    if backend == "postgresql":
        assert "Limit" in shown and "Index Cond" in shown and "Seq Scan on record_people" not in shown
        if kind == "dates":
            assert "date_of_birth" in shown.split("Index Cond", 1)[1].split("\n")[0], shown
    else:
        assert "SCAN record_people" not in shown, shown
        lookup = {"id": "(personal_id=?)", "dates": "date_of_birth", "year": "birth_year=?"}
        assert lookup[kind] in shown, shown


def whole_check_statements() -> list[tuple[str, object]]:
    """The statements people_found sends for PROBES, as the driver gets them: one on PostgreSQL; on
    SQLite the probes, then the people they reach by primary key."""
    sent: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, *_args) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's own
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        candidates.people_found([probe for probes in PROBES.values() for probe in probes])
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert len(sent) == (1 if db.engine.dialect.name == "postgresql" else 2), sent
    return sent


def driver_plan(sql: str, params: object) -> str:
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}", params))
    return "\n".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_whole_check_reads_only_through_indexes(app, backend, make):
    """Every kind of probe and the candidates' columns go in one statement (two on SQLite) that reads
    record_people only through its indexes (no scan, however large the table)."""
    make.push(make.collector_token(), [item("household")])  # a person the probes reach
    if backend == "postgresql":
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
    shown = "\n".join(driver_plan(sql, params) for sql, params in whole_check_statements())
    assert "Seq Scan on record_people" not in shown and "SCAN record_people" not in shown, shown
    assert "SCAN p " not in shown, shown
    for index in set(INDEX.values()):
        assert index in shown, shown


#: tables grown 4,000 times over since they were counted: copies of the one record and of its people
COPIED = (
    "type, state, version, source, province_code, commune_code, village, subject_name, subject_sort_key,"
    " data, content_hash, captured_at, received_at, updated_at, captured_by_id"
)
GROW = [
    f"INSERT INTO records (id, {COPIED}) SELECT md5(id || n)::uuid::text, {COPIED}"
    " FROM records, generate_series(1, 4000) AS n",
    "INSERT INTO record_people (record_id, position, role, full_name, name_folded, birth_year)"
    " SELECT r.id, p.position, p.role, p.full_name, p.name_folded || r.id, p.birth_year"
    " FROM records r JOIN record_people p ON r.id <> p.record_id",
]


def test_people_are_read_by_key_even_when_the_statistics_are_behind(app, backend, make):
    """Tables that grew since PostgreSQL last counted them (a fresh server's first evening): the check
    must not trust the old counts and scan every person or every record."""
    if backend != "postgresql":
        pytest.skip("PostgreSQL's planner")
    make.push(make.collector_token(), [item("household")])
    db.session.execute(text("ANALYZE records"))  # counted while the tables hold 1 record, 3 people
    db.session.execute(text("ANALYZE record_people"))
    for statement in GROW:
        db.session.execute(text(statement))
    [(sql, params)] = whole_check_statements()
    shown = driver_plan(sql, params)
    assert "Seq Scan on record_people" not in shown and "Seq Scan on records" not in shown, shown
    assert "pk_records" in shown, shown
    # the probes' ids are one value computed first, the people looked up by it in the primary key: a
    # plan no statistics can turn into a hash join over every person (what `id IN (probes)` became
    # in the ingest benchmark, 40 ms a push of 20 records)
    assert "InitPlan" in shown and "Index Cond: (id = ANY" in shown, shown
