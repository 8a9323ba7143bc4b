"""Finding records: by name with or without diacritics, personal ID or receipt code, within an area."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, literal_column, select, table, text

from fieldapp.accounts.models import Role, User
from fieldapp.accounts.scope import area_clause
from fieldapp.numbers import ASCII_DIGITS
from fieldapp.receipts.codes import CODE_LENGTH, is_valid_code, normalize_code
from fieldapp.records.models import Record, RecordPerson
from fieldapp.vn.text import fold

#: below this many people matching a name, the name index drives the search (see name_match)
FEW_MATCHES = 2000


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
        conditions.append(text_match(wanted.q))
    return query.where(and_(*conditions)) if conditions else query


def text_match(q: str) -> Any:
    """A personal ID, a receipt code, or a name (folded, every word in one person's name)."""
    digits = "".join(ch for ch in q if ch in ASCII_DIGITS)
    compact = "".join(ch for ch in q if ch not in " .-\t")
    if len(digits) in (9, 12) and len(digits) >= len(compact) - 2:
        return exists().where(RecordPerson.record_id == Record.id, RecordPerson.personal_id == digits)
    code = normalize_code(q)
    words = fold(q).split()
    if not words or looks_like_code(code):
        return Record.receipt_code == code
    return name_match(words)


def looks_like_code(code: str) -> bool:
    """Ten symbols with a right check character, or with a digit (no name has one): a receipt code."""
    return len(code) == CODE_LENGTH and (is_valid_code(code) or any(ch in ASCII_DIGITS for ch in code))


def name_match(words: list[str]) -> Any:
    """Records naming a person whose folded name holds every word: the one name-search service.

    Few matches: fetch them from the name index (SQLite: FTS5 record_people_fts, each word a prefix;
    PostgreSQL: the pg_trgm GIN index on name_folded) and sort those. Many matches (a common family
    name): walk the records in the page's order and check each one's people, which finds a page fast.
    PostgreSQL's planner makes that choice from its statistics; on SQLite the FTS index is asked how
    many there are, up to FEW_MATCHES.
    """
    if _dialect() == "sqlite":
        expression = " AND ".join(f'"{word}"*' for word in words)
        matching = (
            select(literal_column("rowid"))
            .select_from(table("record_people_fts"))
            .where(text("record_people_fts MATCH :name_words").bindparams(name_words=expression))
        )
        if _count(matching.limit(FEW_MATCHES + 1)) <= FEW_MATCHES:
            return Record.id.in_(select(RecordPerson.record_id).where(RecordPerson.id.in_(matching)))
    return exists().where(
        RecordPerson.record_id == Record.id,
        # inline patterns: a prepared statement's generic plan cannot guess how common a name is
        *[RecordPerson.name_folded.like(_pattern(word), escape="\\") for word in words],
    )


def _count(statement: Select[Any]) -> int:
    from fieldapp.extensions import db

    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _dialect() -> str:
    from fieldapp.extensions import db

    return db.session.get_bind().dialect.name


def _pattern(word: str) -> Any:
    return literal(f"%{_escape(word)}%", literal_execute=True)


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
