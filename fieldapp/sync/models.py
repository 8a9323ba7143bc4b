"""Attachments: photos and scans, stored once by their SHA-256."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.timeutil import utcnow


class Attachment(db.Model):
    __tablename__ = "attachments"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    #: total size announced by the uploader (Content-Range total, or the body length)
    size: Mapped[int] = mapped_column(BigInteger)
    #: bytes received so far; equals size once complete
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class AttachmentUpload(db.Model):
    """One user's upload of a file. A record may name a file only if its user sent all of its bytes
    (completed_at is set): knowing a file's hash is not enough to see it."""

    __tablename__ = "attachment_uploads"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    #: total size this user announced; the bytes received so far are the size of their partial file
    size: Mapped[int] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
