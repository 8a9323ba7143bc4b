"""Duplicates: flagged when a record arrives or is edited, with what matched and what differs.

Candidates come from bounded index probes (review/candidates.py), so a push costs a fixed amount per
person it names, whatever the table size and however common the names; rapidfuzz then scores each
person's few candidates. Pairs are resolved in review/pairs.py.
"""

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import insert, or_, select, update

from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordPerson
from fieldapp.review import candidates
from fieldapp.review.candidates import SUBJECT_ROLES
from fieldapp.review.models import DuplicatePair, PairStatus
from fieldapp.timeutil import utcnow

NAME_SCORE = 90.0
MOTHER_SCORE = 85.0
MAX_MIDDLE_PERMUTATIONS = 24
#: candidates one incoming person is compared with, at most
CANDIDATES_PER_PERSON = 2 * candidates.PROBE_LIMIT
#: pairs one incoming record may raise in one check (a crowd of look-alikes is one question, not 1,000)
PAIRS_PER_RECORD = 10
#: what a pair can have matched on, in the order a clerk reads it
CRITERIA = ("personal_id", "name", "birth", "parents", "household")


@dataclass(frozen=True)
class Found:
    a: str
    b: str
    reason: str
    score: float
    commune_code: str
    province_code: str
    matched: str
    differs: str


def name_variants(folded: str) -> list[str]:
    """The spellings a clerk would call the same name: middle names reordered, or missing."""
    words = folded.split()
    if len(words) < 3:
        return [folded]
    family, middle, given = words[0], words[1:-1], words[-1]
    variants = {folded, f"{family} {given}"}
    for order in itertools.islice(itertools.permutations(middle), MAX_MIDDLE_PERMUTATIONS):
        variants.add(" ".join([family, *order, given]))
    return sorted(variants)


@dataclass(frozen=True)
class NewPerson:
    """A person named by a record just created, with the columns the comparison reads."""

    record_id: str
    name_folded: str
    personal_id: str | None
    date_of_birth: str | None
    birth_year: int | None
    mother_folded: str | None
    father_folded: str | None
    type: Any
    commune_code: str
    province_code: str
    village: str
    role: str

    @classmethod
    def of(cls, person: dict[str, Any], item: dict[str, Any]) -> "NewPerson":
        """From a record_people row and the pushed item it belongs to."""
        data = item["data"]
        return cls(
            person["record_id"],
            person["name_folded"],
            person["personal_id"],
            person["date_of_birth"],
            person["birth_year"],
            person["mother_folded"],
            person["father_folded"],
            item["type"],
            data["commune_code"],
            item["province_code"],
            data["village"],
            person["role"],
        )


def flag_duplicates(new: list[str] | list[NewPerson]) -> int:
    """Check newly arrived or edited records (ids, or the people they name) against everything
    stored; store each new candidate pair once. Returns the number of pairs stored."""
    if not new:
        return 0
    if isinstance(new[0], NewPerson):
        new_people = [p for p in new if p.role in SUBJECT_ROLES]
    else:
        new_people = _people_of(new)
    if not new_people:
        return 0
    variants = {p.name_folded: name_variants(p.name_folded) for p in new_people}
    wanted = {p: candidates.probes_for(p, variants[p.name_folded]) for p in new_people}
    index = _by_key(candidates.people_found(probe for probes in wanted.values() for probe in probes))
    found: dict[tuple[str, str], Found] = {}
    raised: Counter[str] = Counter()
    for person, probes in wanted.items():
        for other in _own_candidates(probes, index):
            if raised[person.record_id] >= PAIRS_PER_RECORD:
                break
            hit = compare(person, other)
            if hit is not None and (hit.a, hit.b) not in found:
                found[(hit.a, hit.b)] = hit
                raised[person.record_id] += 1
    return _store(list(found.values()))


def _people_of(record_ids: list[str]) -> list[Any]:
    statement = (
        select(*candidates.PERSON_COLUMNS)
        .join(Record, Record.id == RecordPerson.record_id)
        .where(RecordPerson.record_id.in_(record_ids), RecordPerson.role.in_(SUBJECT_ROLES))
    )
    return list(db.session.execute(statement))


def _by_key(people: list[Any]) -> dict[Any, list[Any]]:
    """The candidates filed by personal ID and by (name, birth year), so each incoming person is
    compared with what its own probes reach, not with every candidate of the whole push."""
    index: dict[Any, list[Any]] = {}
    for other in people:
        if other.personal_id:
            index.setdefault(("id", other.personal_id), []).append(other)
        if other.birth_year:
            index.setdefault((other.name_folded, other.birth_year), []).append(other)
    return index


def _own_candidates(probes: list[candidates.Probe], index: dict[Any, list[Any]]) -> list[Any]:
    unique: dict[int, Any] = {}
    for probe in probes:
        if probe.personal_id:
            reached = index.get(("id", probe.personal_id), ())
        else:
            reached = index.get((probe.name, probe.year), ())
            if probe.dates:
                reached = [o for o in reached if o.date_of_birth in probe.dates]
        for other in reached:
            unique.setdefault(id(other), other)
    return list(unique.values())[:CANDIDATES_PER_PERSON]


def compare(new: Any, other: Any) -> Found | None:
    """A pair if the two people are likely the same, with what matched and what differs."""
    if new.record_id == other.record_id or new.type != other.type:
        return None
    if new.personal_id and new.personal_id == other.personal_id:
        reason = "personal_id"
    elif fuzz.token_set_ratio(new.name_folded, other.name_folded) >= NAME_SCORE and _same_birth_and_family(
        new, other
    ):
        reason = "name"
    else:
        return None
    a, b = sorted((new.record_id, other.record_id))
    matched, differs = summary(new, other)
    score = float(fuzz.token_sort_ratio(new.name_folded, other.name_folded))
    return Found(a, b, reason, score, new.commune_code, new.province_code, matched, differs)


def summary(new: Any, other: Any) -> tuple[str, str]:
    """What held and what did not, for the clerk (a criterion missing on either side is in neither)."""
    held: dict[str, bool] = {}
    if new.personal_id and other.personal_id:
        held["personal_id"] = new.personal_id == other.personal_id
    held["name"] = new.name_folded == other.name_folded
    if new.date_of_birth and other.date_of_birth:
        held["birth"] = new.date_of_birth == other.date_of_birth
    if new.mother_folded and other.mother_folded:
        held["parents"] = _same_mother(new, other) and _same_father_if_known(new, other)
    held["household"] = new.commune_code == other.commune_code and new.village == other.village
    matched = ",".join(k for k in CRITERIA if held.get(k) is True)
    differs = ",".join(k for k in CRITERIA if held.get(k) is False)
    return matched, differs


def _same_mother(new: Any, other: Any) -> bool:
    return fuzz.token_sort_ratio(new.mother_folded, other.mother_folded) >= MOTHER_SCORE


def _same_father_if_known(new: Any, other: Any) -> bool:
    if not (new.father_folded and other.father_folded):
        return True
    return fuzz.token_sort_ratio(new.father_folded, other.father_folded) >= MOTHER_SCORE


def _same_birth_and_family(new: Any, other: Any) -> bool:
    if not new.birth_year or new.birth_year != other.birth_year:
        return False
    full_dates = len(new.date_of_birth or "") == 10 and len(other.date_of_birth or "") == 10
    if full_dates and new.date_of_birth != other.date_of_birth:
        return False
    same_mother = bool(new.mother_folded and other.mother_folded) and _same_mother(new, other)
    same_household = new.commune_code == other.commune_code and new.village == other.village
    return full_dates or same_mother or same_household


def _store(found: list[Found]) -> int:
    """Insert the new pairs; a pair already open gets the summary of what is compared now."""
    if not found:
        return 0
    ids = {f.a for f in found} | {f.b for f in found}
    stored = db.session.execute(
        select(DuplicatePair.record_a, DuplicatePair.record_b, DuplicatePair.status).where(
            or_(DuplicatePair.record_a.in_(ids), DuplicatePair.record_b.in_(ids))
        )
    )
    known = {(a, b): status for a, b, status in stored}
    now = utcnow()
    rows = [_row(f, now) for f in found if (f.a, f.b) not in known]
    if rows:
        db.session.execute(insert(DuplicatePair), rows)
    for f in found:
        if known.get((f.a, f.b)) is PairStatus.OPEN:
            db.session.execute(
                update(DuplicatePair)
                .where(DuplicatePair.record_a == f.a, DuplicatePair.record_b == f.b)
                .values(reason=f.reason, score=f.score, matched=f.matched, differs=f.differs)
            )
    return len(rows)


def _row(f: Found, now: Any) -> dict[str, Any]:
    return {
        "record_a": f.a,
        "record_b": f.b,
        "commune_code": f.commune_code,
        "province_code": f.province_code,
        "reason": f.reason,
        "score": f.score,
        "matched": f.matched,
        "differs": f.differs,
        "status": PairStatus.OPEN,
        "created_at": now,
    }
