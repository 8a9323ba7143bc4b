"""Review: field-level change history, comments, duplicate pairs and merges, paper register books."""

import enum
from datetime import datetime

from sqlalchemy import Enum, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.records.models import RecordType
from fieldapp.timeutil import utcnow


class FieldChange(db.Model):
    """One field of a record changed by a clerk: who, when, old and new value (as text)."""

    __tablename__ = "field_changes"
    __table_args__ = (Index("ix_field_changes_record", "record_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    #: the record version this change produced
    version: Mapped[int]
    #: dotted path into the record data, e.g. "child.full_name" or "members.1.personal_id"
    field: Mapped[str] = mapped_column(String(120))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewComment(db.Model):
    """A clerk's note on a record (internal; return/reject reasons go to the collector separately)."""

    __tablename__ = "review_comments"
    __table_args__ = (Index("ix_review_comments_record", "record_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PairStatus(enum.StrEnum):
    OPEN = "open"  # flagged, waiting for a clerk
    DUPLICATE = "duplicate"  # the same person: one record merged into the other
    DISTINCT = "distinct"  # different people: never flagged again


class DuplicatePair(db.Model):
    """Two records that may describe the same person; record_a < record_b so a pair is stored once."""

    __tablename__ = "duplicate_pairs"
    __table_args__ = (
        UniqueConstraint("record_a", "record_b", name="uq_duplicate_pairs_pair"),
        Index("ix_duplicate_pairs_status_commune", "status", "commune_code", "id"),
        Index("ix_duplicate_pairs_record_b", "record_b"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_a: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    record_b: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    #: commune of the newer record (the one whose arrival raised the flag): whose clerk sees it
    commune_code: Mapped[str] = mapped_column(String(5))
    province_code: Mapped[str] = mapped_column(String(2))
    #: personal_id, or name (similar folded name + birth + parent/household)
    reason: Mapped[str] = mapped_column(String(16))
    #: rapidfuzz similarity of the folded names, 0-100
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[PairStatus] = mapped_column(
        Enum(PairStatus, native_enum=False, length=10, values_callable=lambda c: [m.value for m in c]),
        default=PairStatus.OPEN,
    )
    #: what held for the two people, comma-separated: personal_id, name, birth, parents, household
    matched: Mapped[str | None] = mapped_column(String(60))
    #: what did not hold, same keys (a key in neither is unknown: missing on one side)
    differs: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]
    #: a pair across communes settled by the two clerks in turn: the first one's verdict waits here
    proposed_verdict: Mapped[str | None] = mapped_column(String(10))
    proposed_keep: Mapped[str | None] = mapped_column(String(36))
    #: the record (record_a or record_b) whose side proposed; the other side's clerk answers
    proposed_from: Mapped[str | None] = mapped_column(String(36))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime | None]


class RecordMerge(db.Model):
    """A record found to duplicate another: kept as history, pointing at the record that stays."""

    __tablename__ = "record_merges"

    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    into_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    merged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegisterBook(db.Model):
    """One paper register book of a commune (sổ đăng ký khai sinh / khai tử / kết hôn)."""

    __tablename__ = "register_books"
    __table_args__ = (
        UniqueConstraint("commune_code", "type", "year", "book_number", name="uq_register_books_book"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2))
    commune_code: Mapped[str] = mapped_column(String(5), ForeignKey("admin_units.code"))
    type: Mapped[RecordType] = mapped_column(
        Enum(RecordType, native_enum=False, length=12, values_callable=lambda c: [m.value for m in c])
    )
    year: Mapped[int]
    book_number: Mapped[str] = mapped_column(String(40))
    #: entries the book holds, as counted on paper
    entries_total: Mapped[int] = mapped_column(default=0)
    pages_total: Mapped[int | None]
    complete: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(255), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegisterPage(db.Model):
    """The scan of one page of a book, uploaded once, shared by every entry keyed from it."""

    __tablename__ = "register_pages"
    __table_args__ = (UniqueConstraint("book_id", "page", name="uq_register_pages_book_page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("register_books.id", ondelete="CASCADE"))
    page: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("attachments.sha256"))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegisterEntry(db.Model):
    """An entry of a book keyed at the office, and the record it became."""

    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("book_id", "entry_number", name="uq_register_entries_book_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("register_books.id", ondelete="CASCADE"))
    page: Mapped[int]
    entry_number: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), unique=True)
    keyed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    keyed_at: Mapped[datetime] = mapped_column(default=utcnow)
