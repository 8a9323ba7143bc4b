"""Users and device tokens: create, authenticate, issue, revoke. No Flask request in here."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from fieldapp.accounts import throttle
from fieldapp.accounts.models import Device, Role, User
from fieldapp.accounts.passwords import password_problem
from fieldapp.extensions import db
from fieldapp.records.audit import record_audit
from fieldapp.timeutil import utcnow
from fieldapp.vn.models import AdminUnit

#: a token lives at most this long, however often it is used, unless the app sets otherwise
DEFAULT_ABSOLUTE = timedelta(days=90)
# A hash to compare against when the username does not exist, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not-a-password")


class AccountError(ValueError):
    """A rule about users or devices was broken; the message says which, in Vietnamese."""


def create_user(
    username: str,
    password: str,
    role: Role | str,
    area_code: str | None,
    *,
    full_name: str = "",
    hash_method: str = "scrypt",
) -> User:
    role = Role(role)
    username = username.strip().lower()
    if not username:
        raise AccountError(_("Tên đăng nhập không được trống."))
    weak = password_problem(password, user_inputs=(username, full_name))
    if weak:
        raise AccountError(weak)
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"Tên đăng nhập «{username}» đã có.")
    if area_code is None and role is not Role.ADMIN:
        raise AccountError("Người dùng không phải quản trị phải được gán một tỉnh hoặc một xã.")
    if area_code is not None and db.session.get(AdminUnit, area_code) is None:
        raise AccountError(f"Không có đơn vị hành chính mã {area_code}.")
    user = User(
        username=username,
        password_hash=generate_password_hash(password, method=hash_method),
        role=role,
        area_code=area_code,
        full_name=full_name,
    )
    db.session.add(user)
    db.session.flush()
    record_audit("user.create", "user", str(user.id), actor_id=None, detail={"role": role.value})
    return user


class LoginRefused(Exception):
    """A sign-in refused: wrong credentials (401) or an account locked by back-off (429)."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


def sign_in(username: str, password: str) -> User:
    """The user for these credentials, under the per-account back-off; LoginRefused otherwise.

    A failure is written even though the request answers with an error: the caller must keep it
    (database.keep_changes_on_refusal)."""
    wait = throttle.locked_for(username)
    if wait:
        raise LoginRefused(429, _locked_message(wait), wait)
    user = authenticate(username, password)
    if user is None:
        throttle.note_failure(username)
        raise LoginRefused(401, _("Sai tên đăng nhập hoặc mật khẩu."))
    throttle.clear(username)
    return user


def _locked_message(seconds: int) -> str:
    return _(
        "Đã nhập sai mật khẩu nhiều lần; tài khoản này tạm khóa đăng nhập. Hãy thử lại sau %(n)s giây.",
        n=seconds,
    )


def authenticate(username: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def open_web_session(user: User) -> None:
    """Before a sign-in: the user's sessions carry their session token (made on the first sign-in)."""
    if not user.session_token:
        user.session_token = secrets.token_hex(16)


def end_web_sessions(user: User) -> None:
    """A new session token: every session cookie of the user, copies included, stops working."""
    user.session_token = secrets.token_hex(16)
    record_audit("user.logout", "user", str(user.id), actor_id=user.id)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_wrap_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()


@dataclass(frozen=True)
class TokenLifetime:
    """idle: how long an unused token lives (slides with use); absolute: how long it lives at most."""

    idle: timedelta
    absolute: timedelta = DEFAULT_ABSOLUTE

    def ends(self, issued: datetime) -> tuple[datetime, datetime]:
        """(idle expiry, absolute end) of a token issued at `issued`."""
        end = issued + self.absolute
        return min(issued + self.idle, end), end


def issue_device(user: User, name: str, lifetime: timedelta | TokenLifetime) -> tuple[Device, str]:
    """A new device with a fresh bearer token; the token itself is returned once and never stored."""
    device = Device(user=user, name="?", token_hash="", wrap_key=new_wrap_key())
    token = _new_token(device, name, _lifetime(lifetime))
    db.session.add(device)
    db.session.flush()
    record_audit("device.issue", "device", str(device.id), actor_id=user.id, device_id=device.id)
    return device, token


def renew_device(device: Device, name: str, lifetime: timedelta | TokenLifetime) -> str:
    """A password login from a phone that still holds a live device: the same device, a new token."""
    token = _new_token(device, name, _lifetime(lifetime))
    device.wrap_key = device.wrap_key or new_wrap_key()
    db.session.flush()
    record_audit("device.renew", "device", str(device.id), actor_id=device.user_id, device_id=device.id)
    return token


def _lifetime(lifetime: timedelta | TokenLifetime) -> TokenLifetime:
    return lifetime if isinstance(lifetime, TokenLifetime) else TokenLifetime(lifetime)


def _new_token(device: Device, name: str, lifetime: TokenLifetime) -> str:
    token = secrets.token_urlsafe(32)
    device.name = name.strip()[:120] or "?"
    device.token_hash = hash_token(token)
    device.expires_at, device.token_ends_at = lifetime.ends(utcnow())
    return token


class TokenRefused(Exception):
    """The bearer token opens nothing; reason is "unknown", "revoked" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


#: built once: every API request runs it. The user comes in the same statement (every request reads
#: it), their area only when something asks for it.
_DEVICE_BY_TOKEN = (
    select(Device)
    .where(Device.token_hash == bindparam("token_hash"))
    .options(joinedload(Device.user, innerjoin=True).lazyload(User.area))
)


def check_token(token: str) -> Device:
    """The live device for a token, or TokenRefused saying why (the phone acts on the reason)."""
    device = db.session.scalar(_DEVICE_BY_TOKEN, {"token_hash": hash_token(token)})
    if device is None or not device.user.active:
        raise TokenRefused("unknown")
    if device.is_revoked:
        raise TokenRefused("revoked")
    if device_expired(device):
        raise TokenRefused("expired")
    return device


def find_device(token: str) -> Device | None:
    """The live device for a token: not revoked, not expired, its user still active."""
    try:
        return check_token(token)
    except TokenRefused:
        return None


def touch_device(device: Device, lifetime: timedelta, every: timedelta) -> bool:
    """Slide the idle expiry forward, never past the token's absolute end, and write at most once
    per `every` (sync bursts must not write)."""
    now = utcnow()
    if device.last_seen_at is not None and now - device.last_seen_at < every:
        return False
    device.last_seen_at = now
    device.expires_at = now + lifetime
    if device.token_ends_at is not None:
        device.expires_at = min(device.expires_at, device.token_ends_at)
    return True


def revoke_device(device: Device, by: User | None, reason: str = "") -> None:
    if device.revoked_at is not None:
        return
    device.revoked_at = utcnow()
    device.revoked_by_id = by.id if by else None
    device.revoke_reason = reason.strip()[:200] or None
    record_audit(
        "device.revoke",
        "device",
        str(device.id),
        actor_id=by.id if by else None,
        detail={"reason": device.revoke_reason} if device.revoke_reason else None,
    )


def list_devices(username: str | None = None) -> list[Device]:
    query = select(Device).join(Device.user).order_by(Device.id)
    if username:
        query = query.where(User.username == username.strip().lower())
    return list(db.session.scalars(query))


def device_expired(device: Device, now: datetime | None = None) -> bool:
    now = now or utcnow()
    ends = device.token_ends_at
    return device.expires_at <= now or (ends is not None and ends <= now)
