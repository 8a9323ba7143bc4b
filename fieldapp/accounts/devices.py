"""Devices as the office manages them: who may see and revoke which phone, what a phone reports at
sync, and the password login that renews a phone or hands back its revoked device's key."""

from dataclasses import dataclass

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import aliased, joinedload

from fieldapp.accounts import services
from fieldapp.accounts.models import Device, Role, User
from fieldapp.accounts.scope import area_clause
from fieldapp.extensions import db
from fieldapp.timeutil import utcnow
from fieldapp.vn.models import AdminUnit

MANAGING_ROLES = (Role.ADMIN, Role.MANAGER)
REASON_MAX = 200


class DeviceRefused(Exception):
    """A device action refused: the HTTP status and which rule (the view words it for the user)."""

    def __init__(self, status: int, kind: str) -> None:
        super().__init__(kind)
        self.status = status
        self.kind = kind


@dataclass(frozen=True)
class Login:
    device: Device
    token: str
    #: the key of the phone's previous, revoked device: its data key is still wrapped by it
    previous_key: str | None = None


def password_login(user: User, name: str, previous_id: int | None, lifetime: services.TokenLifetime) -> Login:
    """A password login from a phone. The phone names the device it held before: if that device is
    this user's and not revoked, it gets a new token (renewal); if it was revoked, the phone gets a
    new device plus the old device's key, so what it kept encrypted (its unsent records) opens again."""
    previous = db.session.get(Device, previous_id) if previous_id else None
    if previous is not None and previous.user_id != user.id:
        previous = None  # another user's phone: nothing of theirs is handed over
    if previous is not None and not previous.is_revoked:
        return Login(previous, services.renew_device(previous, name, lifetime))
    device, token = services.issue_device(user, name, lifetime)
    return Login(device, token, previous.wrap_key if previous is not None else None)


def note_sync(device: Device, app_version: str | None, waiting: int | None) -> None:
    """What the phone said at the end of a sync (pull, once per sync: no write per request)."""
    device.last_sync_at = utcnow()
    if app_version:
        device.app_version = app_version.strip()[:40]
    if waiting is not None:
        device.waiting = waiting


def visible_devices(viewer: User) -> Select[tuple[Device]]:
    """Devices the viewer manages: all for an administrator, the area's users' for a manager, none else."""
    query = select(Device).join(Device.user).options(joinedload(Device.user), joinedload(Device.revoked_by))
    if viewer.role not in MANAGING_ROLES:
        return query.where(false())
    # the owner's area is a commune or a province; a province-wide manager sees both kinds in it
    unit = aliased(AdminUnit)
    province = func.coalesce(unit.province_code, unit.code)
    return query.outerjoin(unit, unit.code == User.area_code).where(
        area_clause(viewer, province, User.area_code)
    )


def list_devices(viewer: User) -> list[Device]:
    """Live devices first (the ones that matter when a phone is lost), newest sync first."""
    query = visible_devices(viewer).order_by(
        Device.revoked_at.is_not(None), Device.last_sync_at.desc().nulls_last(), Device.id.desc()
    )
    return list(db.session.scalars(query).unique())


def managed_device(viewer: User, device_id: int) -> Device:
    if viewer.role not in MANAGING_ROLES:
        raise DeviceRefused(403, "forbidden")
    device = db.session.scalar(visible_devices(viewer).where(Device.id == device_id))
    if device is None:
        raise DeviceRefused(404, "not found")
    return device


def revoke(viewer: User, device_id: int, reason: str) -> Device:
    """Revoke a phone from the office, with a reason (required: the audit log and the list show it)."""
    device = managed_device(viewer, device_id)
    reason = " ".join(reason.split())
    if not reason or len(reason) > REASON_MAX:
        raise DeviceRefused(400, "reason")
    if device.is_revoked:
        raise DeviceRefused(409, "revoked")
    services.revoke_device(device, viewer, reason)
    return device


def device_state(device: Device) -> str:
    """ "active", "revoked" or "expired", for the list."""
    if device.is_revoked:
        return "revoked"
    return "expired" if services.device_expired(device) else "active"
