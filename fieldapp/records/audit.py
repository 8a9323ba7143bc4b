"""The append-only audit log: every state change and edit, who, when, what."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, insert
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.timeutil import utcnow


class AuditEntry(db.Model):
    """Never updated nor deleted: the migration adds database triggers that refuse both."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    #: e.g. record.create, record.update, record.start, record.edit, device.revoke, user.create
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


def audit_row(
    action: str,
    entity_type: str,
    entity_id: str,
    *,
    actor_id: int | None,
    device_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "actor_id": actor_id,
        "device_id": device_id,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "detail": detail,
    }


def record_audit(action: str, entity_type: str, entity_id: str, **kwargs: Any) -> None:
    """Append one entry in the current transaction."""
    db.session.execute(insert(AuditEntry), [audit_row(action, entity_type, entity_id, **kwargs)])


def record_audit_many(rows: list[dict[str, Any]]) -> None:
    if rows:
        db.session.execute(insert(AuditEntry), rows)
