"""The record of a household or civil-status event, its people, versions and change feed."""

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.extensions import db
from fieldapp.records.states import Action, State, next_state
from fieldapp.timeutil import utcnow


class RecordType(enum.StrEnum):
    HOUSEHOLD = "household"
    BIRTH = "birth"
    DEATH = "death"
    MARRIAGE = "marriage"


class Source(enum.StrEnum):
    FIELD = "field"  # collected on a phone
    REGISTER = "register"  # keyed at the office from a paper register book
    IMPORT = "import"  # a phone's export file imported at the office


def _enum(cls: type[enum.Enum], length: int = 16) -> Enum:
    return Enum(cls, native_enum=False, length=length, validate_strings=True, values_callable=_values)


def _values(cls: type[enum.Enum]) -> list[str]:
    return [member.value for member in cls]


class Record(db.Model):
    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_commune_state_received", "commune_code", "state", "received_at"),
        Index("ix_records_province_state", "province_code", "state"),
        Index("ix_records_commune_sort", "commune_code", "subject_sort_key", "id"),
    )

    #: the UUID the device generated; identical pushes of it are the same record
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type: Mapped[RecordType] = mapped_column(_enum(RecordType, 12))
    state: Mapped[State] = mapped_column(_enum(State), default=State.SUBMITTED)
    #: bumped on every change of data; an update must name the version it was based on
    version: Mapped[int] = mapped_column(default=1)
    source: Mapped[Source] = mapped_column(_enum(Source, 10), default=Source.FIELD)
    province_code: Mapped[str] = mapped_column(String(2), ForeignKey("admin_units.code"))
    commune_code: Mapped[str] = mapped_column(String(5), ForeignKey("admin_units.code"))
    village: Mapped[str] = mapped_column(String(120), default="")
    #: the main person: head of household, child, deceased, or "husband & wife"
    subject_name: Mapped[str] = mapped_column(String(255), default="")
    #: ICU "vi" key in Vietnamese name order (given name first); compares bytewise
    subject_sort_key: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    #: current data, normalized (NFC); version 1 of it is kept intact in record_versions
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: SHA-256 of the canonical JSON of type + data: an identical re-push is a duplicate
    content_hash: Mapped[str] = mapped_column(String(64))
    receipt_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    captured_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    captured_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    #: the clerk's last comment to the collector (return) or reason (reject)
    review_comment: Mapped[str | None] = mapped_column(Text)
    #: the kinds of document the clerk ticked when returning it (keys of records.documents.DOCUMENT_KINDS);
    #: the public status page shows these, never the free-text comment
    missing_documents: Mapped[list[str] | None] = mapped_column(JSON)
    #: from the national civil-status system, once transferred
    registration_number: Mapped[str | None] = mapped_column(String(64))
    registration_date: Mapped[date | None]
    #: a birth, death or marriage that follows up a household: that household's record id (from the data)
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)

    people: Mapped[list["RecordPerson"]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="RecordPerson.position"
    )

    # Optimistic concurrency: every UPDATE says "WHERE version = <the version I read>", so two people
    # changing one record at once cannot overwrite each other silently (the second gets StaleDataError,
    # answered as a conflict). The version itself only moves when the data changes (replace_data).
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    def apply(self, action: Action) -> State:
        """Move along the state machine; raises IllegalTransition from a state that does not allow it."""
        self.state = next_state(action, self.state)
        return self.state


class RecordPerson(db.Model):
    """Everyone a record names, flattened for search and duplicate detection."""

    __tablename__ = "record_people"
    __table_args__ = (
        Index("ix_record_people_folded_birth_date", "name_folded", "birth_year", "date_of_birth"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    #: head, member, child, mother, father, deceased, husband, wife
    role: Mapped[str] = mapped_column(String(16))
    full_name: Mapped[str] = mapped_column(String(120))
    name_folded: Mapped[str] = mapped_column(String(120))
    personal_id: Mapped[str | None] = mapped_column(String(12), index=True)
    sex: Mapped[str | None] = mapped_column(String(6))
    #: "YYYY[-MM[-DD]]" as recorded (solar or lunar, see the record data)
    date_of_birth: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None]
    mother_folded: Mapped[str | None] = mapped_column(String(120))
    father_folded: Mapped[str | None] = mapped_column(String(120))
    #: ethnicity code as recorded: 01-54 a group, 55 a foreign national, 00 not known (fieldapp.vn.ethnic)
    ethnicity: Mapped[str | None] = mapped_column(String(2))

    record: Mapped[Record] = relationship(back_populates="people")


class RecordVersion(db.Model):
    """Every version of a record's data; version 1 is what was submitted, kept intact."""

    __tablename__ = "record_versions"
    __table_args__ = (UniqueConstraint("record_id", "version", name="uq_record_versions_record_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    version: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    #: push, edit (a clerk's correction), merge
    source: Mapped[str] = mapped_column(String(16))


class RecordEvent(db.Model):
    """The change feed a collector's phone pulls: what happened to their records, in commit order."""

    __tablename__ = "record_events"
    __table_args__ = (Index("ix_record_events_collector_id", "collector_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    #: the user whose phone should hear of it (the record's collector)
    collector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[State] = mapped_column(_enum(State))
    version: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordAttachment(db.Model):
    """A photo or scan a record refers to, by SHA-256 (the bytes may arrive before or after the record)."""

    __tablename__ = "record_attachments"

    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
