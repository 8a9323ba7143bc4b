"""Candidates for the duplicate check: index probes, each reading a bounded number of index entries.

An incoming person is looked up by blocking keys only, never compared with every look-alike:

- its personal ID (index on record_people.personal_id);
- for each spelling of its name (name_variants), the index (name_folded, birth_year, date_of_birth):
  with a full birth date, the people born that very day or recorded with only that year or only that
  month (three equal keys); with a partial date, the people of that name born that year.

Every probe stops after PROBE_LIMIT index entries, so one push costs at most
(probes of its people) x PROBE_LIMIT rows however many records are stored and however common a name
is. PostgreSQL answers all probes of a kind in one statement (the keys as arrays, a LATERAL ... LIMIT
per key); SQLite has no LATERAL, so its probes go as UNION ALL of LIMITed subqueries, in chunks.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, select, text

from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordPerson
from fieldapp.review.models import RecordMerge

#: index entries one probe may read; a name+birth key with more stored people is a crowd, not a lead
PROBE_LIMIT = 20
#: people of a record the check considers (a household's subjects; others name no one)
SUBJECT_ROLES = ("head", "member", "child", "deceased", "husband", "wife")
#: SQLite allows 500 terms in a compound SELECT
SQLITE_TERMS = 400
PERSON_COLUMNS = (
    RecordPerson.record_id,
    RecordPerson.name_folded,
    RecordPerson.personal_id,
    RecordPerson.date_of_birth,
    RecordPerson.birth_year,
    RecordPerson.mother_folded,
    RecordPerson.father_folded,
    Record.type,
    Record.commune_code,
    Record.province_code,
    Record.village,
)


@dataclass(frozen=True)
class Probe:
    """One index lookup: by personal ID, by name + birth dates, or by name + birth year."""

    personal_id: str | None = None
    name: str | None = None
    year: int | None = None
    #: the dates a full date may meet: itself, its year alone, its year and month
    dates: tuple[str, ...] | None = None

    @property
    def kind(self) -> str:
        if self.personal_id:
            return "id"
        return "dates" if self.dates else "year"


def birth_dates(date_of_birth: str) -> tuple[str, ...]:
    """A full date and the partial dates that agree with it."""
    return (date_of_birth, date_of_birth[:4], date_of_birth[:7])


def probes_for(person: Any, variants: list[str]) -> list[Probe]:
    """The probes one incoming person needs."""
    probes = [Probe(personal_id=person.personal_id)] if person.personal_id else []
    if person.birth_year:
        full = len(person.date_of_birth or "") == 10
        for name in variants:
            dates = birth_dates(person.date_of_birth) if full else None
            probes.append(Probe(name=name, year=person.birth_year, dates=dates))
    return probes


def people_found(probes: Iterable[Probe]) -> list[Any]:
    """The subjects of unmerged records the probes reach, with the columns the comparison reads.

    On PostgreSQL one statement: the probes of every kind are one subquery of the ids they reach, so a
    push's whole check is one round trip whatever kinds of probes its people need. On SQLite the
    probes' SQL grows with their number, so it goes to the driver as it is (SQLAlchemy would compile
    each new text again: half the check's time in a push of 50), and the people are read by the ids
    it finds through one statement compiled once.
    """
    by_kind: dict[str, list[Probe]] = {"id": [], "dates": [], "year": []}
    for probe in dict.fromkeys(probes):
        by_kind[probe.kind].append(probe)
    found, params = [], {}
    for kind, wanted in by_kind.items():
        for sql, values in statements(kind, wanted) if wanted else ():
            found.append(sql)
            params.update(values)
    if not found:
        return []
    connection = db.session.connection()
    hits = " UNION ALL ".join(f"SELECT id FROM ({sql}) AS h{n}" for n, sql in enumerate(found))
    if connection.dialect.name == "postgresql":
        return list(connection.execute(_people_reached(hits), params))
    ids = sorted({row[0] for row in connection.exec_driver_sql(hits, params)})
    return list(connection.execute(_PEOPLE_BY_ID, {"ids": ids})) if ids else []


def _candidates(reached: Any) -> Select:
    """The candidates' columns for the people `reached` selects, of records not merged away."""
    return (
        select(*PERSON_COLUMNS)
        .join(Record, Record.id == RecordPerson.record_id)
        .where(reached)
        .where(RecordPerson.role.in_(SUBJECT_ROLES))
        .where(~exists().where(RecordMerge.record_id == Record.id))
    )


@lru_cache(maxsize=8)
def _people_reached(hits: str) -> Select:
    """PostgreSQL: the people the probes' SQL reaches (it depends only on the kinds of probes, so it
    is built once per kind set).

    The ids are one array value (`= ANY(ARRAY(...))`), so the people are always read by primary key:
    as `IN (subquery)` the planner believed statistics taken while the table was small and scanned all
    the people of a table that had grown since (40 ms a push of 20 instead of 2).
    """
    return _candidates(text(f"record_people.id = ANY(ARRAY({hits}))"))


_PEOPLE_BY_ID = _candidates(RecordPerson.id.in_(bindparam("ids", expanding=True)))


def statements(kind: str, probes: list[Probe]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The SQL (and its parameters) that answers these probes of one kind on this database: the ids
    of the people they reach. Parameter names differ between kinds and chunks, so they combine."""
    if db.session.get_bind().dialect.name == "postgresql":
        yield _POSTGRES[kind], _arrays(kind, probes)
        return
    for start in range(0, len(probes), SQLITE_TERMS):
        chunk = probes[start : start + SQLITE_TERMS]
        terms, params = [], {}
        for n, probe in enumerate(chunk, start):
            terms.append(_sqlite_term(kind, n))
            params.update(_sqlite_params(kind, n, probe))
        yield " UNION ALL ".join(terms), params


_LIMIT = f"LIMIT {PROBE_LIMIT}"
_POSTGRES = {
    "id": "SELECT hit.id FROM unnest(CAST(:ids AS varchar[])) AS k(pid) CROSS JOIN LATERAL "
    f"(SELECT p.id FROM record_people p WHERE p.personal_id = k.pid {_LIMIT}) hit",
    # one key per date: PostgreSQL 15 filters "= ANY(array of the outer row)" instead of seeking it
    "dates": "SELECT hit.id FROM unnest(CAST(:d_names AS varchar[]), CAST(:d_years AS int[]), "
    "CAST(:d_dates AS varchar[])) AS k(name, year, born) CROSS JOIN LATERAL "
    "(SELECT p.id FROM record_people p WHERE p.name_folded = k.name AND p.birth_year = k.year "
    f"AND p.date_of_birth = k.born {_LIMIT}) hit",
    "year": "SELECT hit.id FROM unnest(CAST(:y_names AS varchar[]), CAST(:y_years AS int[])) "
    "AS k(name, year) CROSS JOIN LATERAL (SELECT p.id FROM record_people p WHERE p.name_folded = k.name "
    f"AND p.birth_year = k.year {_LIMIT}) hit",
}


def _arrays(kind: str, probes: list[Probe]) -> dict[str, list[Any]]:
    if kind == "id":
        return {"ids": [p.personal_id for p in probes]}
    if kind == "dates":
        keys = [(p.name, p.year, born) for p in probes for born in dict.fromkeys(p.dates or ())]
        return {
            "d_names": [k[0] for k in keys],
            "d_years": [k[1] for k in keys],
            "d_dates": [k[2] for k in keys],
        }
    return {"y_names": [p.name for p in probes], "y_years": [p.year for p in probes]}


def _sqlite_term(kind: str, n: int) -> str:
    if kind == "id":
        where = f"personal_id = :i{n}"
    else:
        k = kind[0]  # "d" or "y": the two kinds' names differ
        where = f"name_folded = :{k}n{n} AND birth_year = :{k}y{n}"
        if kind == "dates":
            where += f" AND date_of_birth IN (:dd{n}_0, :dd{n}_1, :dd{n}_2)"
    return f"SELECT id FROM (SELECT id FROM record_people WHERE {where} {_LIMIT})"


def _sqlite_params(kind: str, n: int, probe: Probe) -> dict[str, Any]:
    if kind == "id":
        return {f"i{n}": probe.personal_id}
    k = kind[0]
    params: dict[str, Any] = {f"{k}n{n}": probe.name, f"{k}y{n}": probe.year}
    for m, value in enumerate(probe.dates or ()):
        params[f"dd{n}_{m}"] = value
    return params
