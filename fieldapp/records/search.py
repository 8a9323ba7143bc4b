"""Finding records: by name with or without diacritics, personal ID or receipt code, within an area."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select

from fieldapp.accounts.models import Role, User
from fieldapp.accounts.scope import area_clause
from fieldapp.receipts.codes import normalize_code
from fieldapp.records.models import Record, RecordPerson
from fieldapp.vn.text import fold


@dataclass
class RecordFilter:
    q: str = ""
    state: str | None = None
    type: str | None = None
    commune: str | None = None
    village: str | None = None
    collector_id: int | None = None


def visible_records(user: User) -> Select[Any]:
    """Every record the user may see: a collector their own, staff their area."""
    query = select(Record)
    if user.role is Role.COLLECTOR:
        return query.where(Record.captured_by_id == user.id)
    return query.where(area_clause(user, Record.province_code, Record.commune_code))


def apply_filter(query: Select[Any], wanted: RecordFilter) -> Select[Any]:
    conditions = []
    for column, value in (
        (Record.state, wanted.state),
        (Record.type, wanted.type),
        (Record.commune_code, wanted.commune),
        (Record.village, wanted.village),
        (Record.captured_by_id, wanted.collector_id),
    ):
        if value is not None and value != "":
            conditions.append(column == value)
    if wanted.q.strip():
        conditions.append(text_match(wanted.q))
    return query.where(and_(*conditions)) if conditions else query


def text_match(q: str) -> Any:
    """A name (folded, every word must appear), a personal ID, or a receipt code."""
    digits = "".join(ch for ch in q if ch.isdigit())
    if digits and len(digits) in (9, 12) and len(digits) >= len(q.strip()) - 2:
        return exists().where(RecordPerson.record_id == Record.id, RecordPerson.personal_id == digits)
    code = normalize_code(q)
    words = fold(q).split()
    name_match = exists().where(
        RecordPerson.record_id == Record.id,
        *[RecordPerson.name_folded.like(f"%{_escape(word)}%", escape="\\") for word in words],
    )
    return or_(Record.receipt_code == code, name_match)


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
