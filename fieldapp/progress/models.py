"""Targets per area, quotas per team member, and the daily counters progress is read from."""

import enum
from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.timeutil import utcnow


class Measure(enum.StrEnum):
    COLLECTED = "collected"  # a record arrived (pushed or keyed in)
    VERIFIED = "verified"  # a clerk checked it against the paper register
    TRANSFERRED = "transferred"  # entered in the national system


class AreaKind(enum.StrEnum):
    PROVINCE = "province"  # today's province, 2-digit code
    COMMUNE = "commune"  # today's commune, 5-digit code
    DISTRICT = "district"  # a pre-2025 district, 3-digit code, counted through today's communes


class Period(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def _enum(cls: type[enum.Enum], length: int = 12) -> Enum:
    return Enum(cls, native_enum=False, length=length, validate_strings=True, values_callable=_values)


def _values(cls: type[enum.Enum]) -> list[str]:
    return [member.value for member in cls]


class Target(db.Model):
    """How many records an area must reach by a deadline ("32.736 by 20 December")."""

    __tablename__ = "progress_targets"
    __table_args__ = (UniqueConstraint("area_kind", "area_code", name="uq_progress_targets_area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_kind: Mapped[AreaKind] = mapped_column(_enum(AreaKind, 10))
    area_code: Mapped[str] = mapped_column(String(5))
    #: today's province the area lies in: what area scoping compares against
    province_code: Mapped[str] = mapped_column(String(2), ForeignKey("admin_units.code"), index=True)
    amount: Mapped[int]
    #: which count the target is for; "collected" unless the campaign counts verified or transferred
    measure: Mapped[Measure] = mapped_column(_enum(Measure), default=Measure.COLLECTED)
    deadline: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Quota(db.Model):
    """How much one team member should do per day, week or month."""

    __tablename__ = "progress_quotas"
    __table_args__ = (UniqueConstraint("user_id", "period", name="uq_progress_quotas_user_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[Period] = mapped_column(_enum(Period, 8))
    amount: Mapped[int]
    #: collectors are usually held to "collected", clerks to "verified"
    measure: Mapped[Measure] = mapped_column(_enum(Measure), default=Measure.COLLECTED)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class DailyCount(db.Model):
    """Maintained counter: work done per local day, commune, team member and measure.

    Updated in the same transaction as the change it counts (record created, verified, transferred),
    so the dashboards read a few thousand small rows instead of grouping a million records. Two
    roll-ups are kept beside it in the same upsert: all-time totals per commune and member
    (UnitTotal) and per province and day (ProvinceDay).
    """

    __tablename__ = "progress_daily"
    __table_args__ = (
        # covering indexes: each dashboard query reads one of them and never the table
        Index("ix_progress_daily_province_day", "province_code", "day", "commune_code", "measure", "count"),
        Index("ix_progress_daily_commune_cover", "commune_code", "user_id", "measure", "day", "count"),
        Index("ix_progress_daily_user_day", "user_id", "day", "measure", "count"),
    )

    #: the day in Vietnam's time zone (UTC+7)
    day: Mapped[date] = mapped_column(primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    #: who did the work: the collector for "collected", the clerk for "verified" and "transferred"
    user_id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[Measure] = mapped_column(_enum(Measure), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2))
    count: Mapped[int] = mapped_column(default=0)


class UnitTotal(db.Model):
    """Maintained counter: all-time work per commune, team member and measure (the dashboard's totals)."""

    __tablename__ = "progress_totals"
    __table_args__ = (
        Index("ix_progress_totals_province", "province_code", "commune_code", "measure", "count"),
    )

    commune_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[Measure] = mapped_column(_enum(Measure), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2))
    count: Mapped[int] = mapped_column(default=0)


class ProvinceDay(db.Model):
    """Maintained counter: work per province, day and measure (the province and country charts)."""

    __tablename__ = "progress_province_daily"

    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    measure: Mapped[Measure] = mapped_column(_enum(Measure), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
