"""The duplicate check's probes are index lookups with a LIMIT, on SQLite and PostgreSQL (EXPLAIN)."""

import pytest
from sqlalchemy import event, text

from fieldapp.extensions import db
from fieldapp.review import candidates
from fieldapp.review.candidates import Probe, birth_dates

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


def test_the_whole_check_is_one_statement_of_index_lookups(app, backend):
    """Every kind of probe and the candidates' columns go in one statement that still reads
    record_people only through its indexes (no scan, however large the table)."""
    sent: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, *_args) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's own
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        candidates.people_found([probe for probes in PROBES.values() for probe in probes])
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    [(sql, params)] = sent
    connection = db.session.connection()
    if backend == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        shown = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}", params))
        assert "Seq Scan on record_people" not in shown, shown
    else:
        shown = "\n".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "SCAN record_people" not in shown and "SCAN p " not in shown, shown
    for index in set(INDEX.values()):
        assert index in shown, shown
