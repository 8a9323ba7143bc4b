"""The registry's change log: a row each time a household, or an event that follows it up, changes."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.timeutil import utcnow


class RegistryChange(db.Model):
    """One household changed, seen from one area. A household that moves writes a row for the area it
    left and one for the area it entered, so the phones of both hear of it. Ids are in commit order
    within a province (see registry.capture), which is what a device's cursor counts on."""

    __tablename__ = "registry_changes"
    __table_args__ = (
        Index("ix_registry_changes_commune", "commune_code", "id"),
        Index("ix_registry_changes_province", "province_code", "id"),
        Index("ix_registry_changes_household", "household_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[str] = mapped_column(String(36))
    province_code: Mapped[str] = mapped_column(String(2))
    commune_code: Mapped[str] = mapped_column(String(5))
    #: the village's search key (fieldapp.vn.text.fold), compared with a collector's assigned villages
    village_key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
