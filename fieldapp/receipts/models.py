"""Receipt codes, the pools of them that devices hold, paper pads of them, and commune office contacts."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.timeutil import utcnow


class ReceiptCode(db.Model):
    """A code handed to a household, used once.

    Allocated to a device's pool, to a collector's paper pad (device_id None, pad_id set), or straight to a
    record by the server (device_id and pad_id None, used at once).
    """

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
    #: the paper pad it was printed on; the collector types it into a record later, from any of their devices
    pad_id: Mapped[int | None] = mapped_column(ForeignKey("receipt_pads.id"), index=True)


class ReceiptPad(db.Model):
    """A printed sheet of fresh codes for a collector: the paper fallback when the phone is dead."""

    __tablename__ = "receipt_pads"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the collector the codes belong to
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    size: Mapped[int]


class CommuneOffice(db.Model):
    """How a household reaches the commune justice office (shown on receipts and the status page)."""

    __tablename__ = "commune_offices"

    commune_code: Mapped[str] = mapped_column(String(5), ForeignKey("admin_units.code"), primary_key=True)
    address: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    #: office hours as people say them ("Thứ Hai - Thứ Sáu, 7h30 - 17h")
    hours: Mapped[str] = mapped_column(String(120), default="")
