"""Users, their role and area, and the devices they sync from."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.extensions import db
from fieldapp.timeutil import utcnow
from fieldapp.vn.models import AdminUnit


class Role(enum.StrEnum):
    COLLECTOR = "collector"  # cán bộ thu thập: collects in the field from a phone
    CLERK = "clerk"  # công chức tư pháp - hộ tịch: reviews, verifies, transfers
    MANAGER = "manager"  # district / province justice office: watches progress, read-only on records
    ADMIN = "admin"  # users, devices, targets, reference data


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16, validate_strings=True))
    #: a province (2 digits: all its communes) or a commune (5 digits); None = the whole country (admins)
    area_code: Mapped[str | None] = mapped_column(String(5), ForeignKey("admin_units.code"), index=True)
    #: preferred language, "vi" or "en"; None follows the browser
    locale: Mapped[str | None] = mapped_column(String(5))
    #: the villages (names, NFC) a collector is assigned within their commune; None or empty = all of it
    villages: Mapped[list[str] | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: part of every web session cookie; a new value on logout ends every session signed in before
    session_token: Mapped[str | None] = mapped_column(String(32))

    devices: Mapped[list["Device"]] = relationship(back_populates="user", foreign_keys="Device.user_id")
    area: Mapped[AdminUnit | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated user cannot log in
        return self.active

    def get_id(self) -> str:
        """Flask-Login's session id: "<id>:<session token>", so a logout can end the session for good."""
        return f"{self.id}:{self.session_token or ''}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class LoginFailures(db.Model):
    """Wrong passwords in a row for one username (known or not), across every worker and server."""

    __tablename__ = "login_failures"

    #: the username as typed, trimmed and lower-cased (so a guess at an unknown name is slowed alike)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: no login for this username before then, even with the right password
    locked_until: Mapped[datetime | None]


class Device(db.Model):
    """A phone or PC that logged in through the API; its bearer token is stored only as a SHA-256."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: refreshed at most once an hour, so a sync burst does not write on every request
    last_seen_at: Mapped[datetime | None]
    #: idle expiry: slides forward with use, but never past token_ends_at
    expires_at: Mapped[datetime]
    #: absolute end of the current token, set at the password login that issued it
    token_ends_at: Mapped[datetime | None]
    #: the device key (base64url, 32 bytes): wraps the phone's data key; handed out only at a password login
    wrap_key: Mapped[str | None] = mapped_column(String(64))
    #: what the phone reported at its last sync
    app_version: Mapped[str | None] = mapped_column(String(40))
    last_sync_at: Mapped[datetime | None]
    #: records the phone said were still waiting to be sent at its last sync
    waiting: Mapped[int | None]
    revoked_at: Mapped[datetime | None]
    #: who revoked it (an administrator, or the user logging out)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship(back_populates="devices", foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
