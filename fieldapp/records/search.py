"""Finding records: by name with or without diacritics, personal ID or receipt code, within an area."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, literal_column, or_, select, table, text

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
    #: capture time range, naive UTC, from inclusive, to exclusive
    captured_from: datetime | None = None
    captured_to: datetime | None = None


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
    if wanted.captured_from is not None:
        conditions.append(Record.captured_at >= wanted.captured_from)
    if wanted.captured_to is not None:
        conditions.append(Record.captured_at < wanted.captured_to)
    if wanted.q.strip():
        conditions.append(text_match(wanted.q, narrow=bool(wanted.commune)))
    return query.where(and_(*conditions)) if conditions else query


def text_match(q: str, *, narrow: bool = False) -> Any:
    """A name (folded, every word must appear in one person's name), a personal ID, or a receipt code.

    `narrow`: the query is already limited to one commune, so checking each of its records is cheaper
    than asking the name index for every match in the country.
    """
    digits = "".join(ch for ch in q if ch.isdigit())
    compact = "".join(ch for ch in q if ch not in " .-\t")
    if len(digits) in (9, 12) and len(digits) >= len(compact) - 2:
        return exists().where(RecordPerson.record_id == Record.id, RecordPerson.personal_id == digits)
    code = normalize_code(q)
    words = fold(q).split()
    if not words:
        return Record.receipt_code == code
    return or_(Record.receipt_code == code, name_match(words, narrow=narrow))


def name_match(words: list[str], *, narrow: bool = False) -> Any:
    """Records naming a person whose folded name holds every word.

    The search service: on SQLite the FTS5 index record_people_fts (each word as a prefix: "ngu"
    finds "nguyen"); on PostgreSQL LIKE on name_folded, served by its pg_trgm GIN index.
    """
    if not narrow and _dialect() == "sqlite":
        expression = " AND ".join(f'"{word}"*' for word in words)
        matching = (
            select(literal_column("rowid"))
            .select_from(table("record_people_fts"))
            .where(text("record_people_fts MATCH :name_words").bindparams(name_words=expression))
        )
        people = select(RecordPerson.record_id).where(RecordPerson.id.in_(matching))
        return Record.id.in_(people)
    return exists().where(
        RecordPerson.record_id == Record.id,
        *[RecordPerson.name_folded.like(f"%{_escape(word)}%", escape="\\") for word in words],
    )


def _dialect() -> str:
    from fieldapp.extensions import db

    return db.session.get_bind().dialect.name


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
