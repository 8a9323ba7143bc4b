"""Receipt codes and the pools of them that devices hold for offline visits."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.timeutil import utcnow


class ReceiptCode(db.Model):
    """A code handed to a household. Allocated to a device's pool (or straight to a record), used once."""

    __tablename__ = "receipt_codes"
    __table_args__ = (Index("ix_receipt_codes_device_unused", "device_id", "used_at"),)

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    #: the device whose pool holds it; None for a code the server gave a record directly
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    allocated_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
    #: the record it was given to (no foreign key: records also point here through receipt_code)
    record_id: Mapped[str | None] = mapped_column(String(36), index=True)
