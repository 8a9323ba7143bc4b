"""Duplicates: flagged on arrival, shown side by side, merged or dismissed for good.

Candidates come from indexes only (record_people.personal_id, and (name_folded, birth_year) for a
few spellings of the name: the middle names in any order, or left out), so the check costs a handful
of index lookups however many records there are; rapidfuzz then scores the few candidates.
"""

import itertools
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from rapidfuzz import fuzz
from sqlalchemy import Integer, String, bindparam, exists, func, insert, or_, select, true, tuple_
from sqlalchemy.dialects.postgresql import ARRAY

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.records import services as records
from fieldapp.records.audit import record_audit
from fieldapp.records.models import Record, RecordPerson
from fieldapp.records.search import visible_records
from fieldapp.records.states import Action, State
from fieldapp.review.models import DuplicatePair, PairStatus, RecordMerge
from fieldapp.review.services import ReviewRefused, require_reviewer
from fieldapp.timeutil import utcnow

#: people a record is about (parents on a birth record are named, not registered, by it)
SUBJECT_ROLES = ("head", "member", "child", "deceased", "husband", "wife")
NAME_SCORE = 90.0
MOTHER_SCORE = 85.0
MAX_MIDDLE_PERMUTATIONS = 24
PERSON_COLUMNS = (
    RecordPerson.record_id,
    RecordPerson.name_folded,
    RecordPerson.personal_id,
    RecordPerson.date_of_birth,
    RecordPerson.birth_year,
    RecordPerson.mother_folded,
    Record.type,
    Record.commune_code,
    Record.province_code,
    Record.village,
)


@dataclass(frozen=True)
class Found:
    a: str
    b: str
    reason: str
    score: float
    commune_code: str
    province_code: str


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
            item["type"],
            data["commune_code"],
            item["province_code"],
            data["village"],
            person["role"],
        )


def flag_duplicates(new: list[str] | list[NewPerson]) -> int:
    """Check newly arrived records (ids, or the people they name) against everything stored; store
    each new candidate pair once."""
    if not new:
        return 0
    if isinstance(new[0], NewPerson):
        new_people = [p for p in new if p.role in SUBJECT_ROLES]
    else:
        new_people = _people(RecordPerson.record_id.in_(new))
    if not new_people:
        return 0
    ids = {p.personal_id for p in new_people if p.personal_id}
    # Exact (name variant, birth year) pairs: the index on (name_folded, birth_year) answers each one,
    # and the candidates do not grow with every name of the batch crossed with every year of it.
    name_years = {(v, p.birth_year) for p in new_people if p.birth_year for v in name_variants(p.name_folded)}
    # Two lookups rather than one OR, so that each is answered from its own index.
    candidates: list[Any] = []
    if ids:
        candidates += _people(RecordPerson.personal_id.in_(sorted(ids)))
    if name_years:
        candidates += _people_named(sorted(name_years))
    if not candidates:
        return 0
    others = _candidates_by_key(candidates)
    found: dict[tuple[str, str], Found] = {}
    for person in new_people:
        for other in _own_candidates(person, others):
            hit = _compare(person, other)
            if hit is not None and (hit.a, hit.b) not in found:
                found[(hit.a, hit.b)] = hit
    return _store(list(found.values()))


def _candidates_by_key(people: list[Any]) -> dict[Any, list[Any]]:
    """The batch's candidates filed by personal ID and by (name, birth year), so that each new person
    is compared with its own few candidates only, not with every candidate of the whole batch."""
    index: dict[Any, list[Any]] = {}
    for other in people:
        if other.personal_id:
            index.setdefault(("id", other.personal_id), []).append(other)
        if other.birth_year:
            index.setdefault((other.name_folded, other.birth_year), []).append(other)
    return index


def _own_candidates(person: Any, index: dict[Any, list[Any]]) -> list[Any]:
    keys = [("id", person.personal_id)] if person.personal_id else []
    if person.birth_year:
        keys += [(variant, person.birth_year) for variant in name_variants(person.name_folded)]
    unique = {id(other): other for key in keys for other in index.get(key, ())}
    return list(unique.values())


def _people(condition: Any, keys: Any = None) -> list[Any]:
    statement = select(*PERSON_COLUMNS)
    if keys is not None:
        statement = statement.select_from(keys).join(
            RecordPerson, (RecordPerson.name_folded == keys.c.name) & (RecordPerson.birth_year == keys.c.year)
        )
    statement = (
        statement.join(Record, Record.id == RecordPerson.record_id)
        .where(condition, RecordPerson.role.in_(SUBJECT_ROLES))
        .where(~exists().where(RecordMerge.record_id == Record.id))
    )
    return list(db.session.execute(statement))


def _people_named(name_years: list[tuple[str, int]]) -> list[Any]:
    """People with one of these (folded name, birth year) pairs, each pair looked up in the index.

    PostgreSQL gets the pairs as two arrays joined through unnest(): two parameters, one index probe a
    pair. Row-value IN (...) does the same on SQLite, but on PostgreSQL hundreds of pairs cost more to
    send and plan than to answer.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return _people(tuple_(RecordPerson.name_folded, RecordPerson.birth_year).in_(name_years))
    names, years = zip(*name_years, strict=True)
    keys = (
        func.unnest(
            bindparam("dup_names", list(names), type_=ARRAY(String)),
            bindparam("dup_years", list(years), type_=ARRAY(Integer)),
        )
        .table_valued("name", "year")
        .render_derived(name="wanted")
    )
    return _people(true(), keys)


def _compare(new: Any, other: Any) -> Found | None:
    if new.record_id == other.record_id or new.type != other.type:
        return None
    score = fuzz.token_set_ratio(new.name_folded, other.name_folded)
    if new.personal_id and new.personal_id == other.personal_id:
        reason = "personal_id"
    elif score >= NAME_SCORE and _same_birth_and_family(new, other):
        reason = "name"
    else:
        return None
    a, b = sorted((new.record_id, other.record_id))
    return Found(a, b, reason, float(score), new.commune_code, new.province_code)


def _same_birth_and_family(new: Any, other: Any) -> bool:
    if not new.birth_year or new.birth_year != other.birth_year:
        return False
    full_dates = len(new.date_of_birth or "") == 10 and len(other.date_of_birth or "") == 10
    if full_dates and new.date_of_birth != other.date_of_birth:
        return False
    same_mother = bool(new.mother_folded and other.mother_folded) and (
        fuzz.token_sort_ratio(new.mother_folded, other.mother_folded) >= MOTHER_SCORE
    )
    same_household = new.commune_code == other.commune_code and new.village == other.village
    return full_dates or same_mother or same_household


def _store(found: list[Found]) -> int:
    if not found:
        return 0
    ids = {f.a for f in found} | {f.b for f in found}
    stored = db.session.execute(
        select(DuplicatePair.record_a, DuplicatePair.record_b).where(
            DuplicatePair.record_a.in_(ids) | DuplicatePair.record_b.in_(ids)
        )
    )
    known = {(a, b) for a, b in stored}
    now = utcnow()
    rows = [
        {
            "record_a": f.a,
            "record_b": f.b,
            "commune_code": f.commune_code,
            "province_code": f.province_code,
            "reason": f.reason,
            "score": f.score,
            "status": PairStatus.OPEN,
            "created_at": now,
        }
        for f in found
        if (f.a, f.b) not in known
    ]
    if rows:
        db.session.execute(insert(DuplicatePair), rows)
    return len(rows)


def visible_pairs(user: User, status: PairStatus = PairStatus.OPEN) -> Any:
    """Pairs with at least one record in the user's area."""
    mine = visible_records(user).with_only_columns(Record.id)
    return (
        select(DuplicatePair)
        .where(DuplicatePair.status == status)
        .where(or_(DuplicatePair.record_a.in_(mine), DuplicatePair.record_b.in_(mine)))
        .order_by(DuplicatePair.id.desc())
    )


def find_pair(user: User, pair_id: int) -> tuple[DuplicatePair, Record | None, Record | None]:
    """A pair and its two records as the user may see them (None: outside the user's area)."""
    pair = db.session.get(DuplicatePair, pair_id)
    if pair is None:
        raise ReviewRefused(404, _("Không tìm thấy."))
    seen = {
        r.id: r
        for r in db.session.scalars(
            visible_records(user).where(Record.id.in_([pair.record_a, pair.record_b]))
        )
    }
    if not seen:
        raise ReviewRefused(404, _("Không tìm thấy."))
    return pair, seen.get(pair.record_a), seen.get(pair.record_b)


def open_pairs_of(record: Record) -> list[DuplicatePair]:
    return list(
        db.session.scalars(
            select(DuplicatePair).where(
                DuplicatePair.status == PairStatus.OPEN,
                or_(DuplicatePair.record_a == record.id, DuplicatePair.record_b == record.id),
            )
        )
    )


def resolve_pair(user: User, pair_id: int, verdict: str, keep_id: str | None = None) -> DuplicatePair:
    """distinct: never flagged again; duplicate: the other record is merged into `keep_id`."""
    require_reviewer(user)
    pair, a, b = find_pair(user, pair_id)
    if a is None or b is None:
        raise ReviewRefused(
            403, _("Một hồ sơ của cặp này thuộc xã khác; cán bộ cấp tỉnh mới xử lý được cặp này.")
        )
    if pair.status is not PairStatus.OPEN:
        raise ReviewRefused(409, _("Cặp hồ sơ này đã được xử lý."))
    if verdict == "duplicate":
        if keep_id not in (a.id, b.id):
            raise ReviewRefused(422, _("Hãy chọn hồ sơ được giữ lại."), {"keep": [_("Bắt buộc.")]})
        keep, drop = (a, b) if keep_id == a.id else (b, a)
        _merge(drop, keep, user)
        pair.status = PairStatus.DUPLICATE
    elif verdict == "distinct":
        pair.status = PairStatus.DISTINCT
    else:
        raise ReviewRefused(422, _("Thao tác không hợp lệ."))
    pair.resolved_by_id, pair.resolved_at = user.id, utcnow()
    record_audit(
        f"duplicate.{verdict}",
        "duplicate",
        str(pair.id),
        actor_id=user.id,
        detail={"a": pair.record_a, "b": pair.record_b, "keep": keep_id},
    )
    db.session.flush()
    return pair


def _merge(drop: Record, keep: Record, user: User) -> None:
    """The dropped record stays, as history: rejected with a pointer to the one kept."""
    if drop.state not in (State.SUBMITTED, State.IN_REVIEW):
        raise ReviewRefused(
            409,
            _(
                "Hồ sơ bị gộp phải đang chờ hoặc đang rà soát (hồ sơ này: «%(state)s»); "
                "hãy giữ lại hồ sơ này và gộp hồ sơ kia vào.",
                state=_state_label(drop.state),
            ),
        )
    if drop.state is State.SUBMITTED:
        records.transition(drop, Action.START, user)
    code = keep.receipt_code or keep.id[:8]
    records.transition(drop, Action.REJECT, user, comment=_("Trùng với hồ sơ %(code)s; đã gộp.", code=code))
    db.session.add(RecordMerge(record_id=drop.id, into_id=keep.id, merged_by_id=user.id))


def _state_label(state: State) -> str:
    from fieldapp.records.states import STATE_LABELS

    return str(STATE_LABELS[state])


def merged_into(record: Record) -> str | None:
    return db.session.scalar(select(RecordMerge.into_id).where(RecordMerge.record_id == record.id))
