"""Administrative units: today's two levels and the pre-2025 units old registers name."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db


class AdminUnit(db.Model):
    """A unit in force since 1 July 2025: a province (2-digit code) or a commune (5-digit code)."""

    __tablename__ = "admin_units"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    #: "province" or "commune"
    level: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))
    #: name without the type word ("Thanh Hóa", "Nga Sơn"), used in short labels
    short_name: Mapped[str] = mapped_column(String(120))
    #: "Tỉnh", "Thành phố", "Xã", "Phường", "Đặc khu"
    unit_type: Mapped[str] = mapped_column(String(30))
    province_code: Mapped[str | None] = mapped_column(String(2), ForeignKey("admin_units.code"), index=True)
    #: folded name for searching without diacritics
    name_folded: Mapped[str] = mapped_column(String(120), index=True)


class LegacyUnit(db.Model):
    """A pre-2025 unit (63 provinces, districts, old communes) as old registers name it."""

    __tablename__ = "legacy_units"
    __table_args__ = (UniqueConstraint("level", "code", name="uq_legacy_units_level_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "province", "district" or "commune"
    level: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(String(120))
    unit_type: Mapped[str] = mapped_column(String(30))
    #: old 2-digit province code (for districts and communes)
    province_code: Mapped[str | None] = mapped_column(String(2), index=True)
    #: old 3-digit district code (for communes)
    district_code: Mapped[str | None] = mapped_column(String(3), index=True)
    name_folded: Mapped[str] = mapped_column(String(120), index=True)


class LegacyUnitMapping(db.Model):
    """Which of today's communes an old commune became (a split old commune maps to several)."""

    __tablename__ = "legacy_unit_mappings"

    legacy_unit_id: Mapped[int] = mapped_column(ForeignKey("legacy_units.id"), primary_key=True)
    commune_code: Mapped[str] = mapped_column(
        String(5), ForeignKey("admin_units.code"), primary_key=True, index=True
    )
