"""The villages an administrator assigns to a collector: the phone's registry then holds only those
villages' households. Names are compared folded (case, diacritics and spacing do not matter)."""

from flask_babel import gettext as _
from sqlalchemy import select

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.records.audit import record_audit
from fieldapp.records.models import Record
from fieldapp.vn.text import fold, normalize_text

MAX_VILLAGES = 50
MAX_LENGTH = 120


class VillagesRefused(ValueError):
    """The list cannot be saved; the message says why, in the user's language."""


def may_manage(admin: User, user: User) -> bool:
    """An administrator manages the users of their area (all of them without one)."""
    if admin.role is not Role.ADMIN:
        return False
    area = admin.area_code
    if area is None:
        return True
    if user.area_code is None:
        return False
    return user.area_code == area or (user.area is not None and user.area.province_code == area)


def takes_villages(user: User) -> bool:
    """Villages narrow a collector of one commune; anyone else's area is their whole area."""
    return user.role is Role.COLLECTOR and user.area_code is not None and len(user.area_code) == 5


def parse_villages(text: str) -> list[str]:
    """One village per line: trimmed, NFC, blank lines and repeats (folded) left out."""
    villages: dict[str, str] = {}
    for line in text.splitlines():
        name = normalize_text(line)
        if not name:
            continue
        if len(name) > MAX_LENGTH:
            raise VillagesRefused(
                _("Tên thôn «%(name)s…» dài quá %(n)s ký tự.", name=name[:30], n=MAX_LENGTH)
            )
        villages.setdefault(fold(name), name)
    if len(villages) > MAX_VILLAGES:
        raise VillagesRefused(_("Tối đa %(n)s thôn cho một người.", n=MAX_VILLAGES))
    return list(villages.values())


def set_villages(user: User, text: str, by: User | None) -> list[str]:
    """Assign the villages typed (one per line); none means the user's whole commune. `by` is the
    administrator (None: the command line). Flushes."""
    villages = parse_villages(text)
    if villages and not takes_villages(user):
        raise VillagesRefused(_("Chỉ giao thôn cho cán bộ thu thập được giao một xã."))
    before = user.villages or []
    user.villages = villages or None
    if before != villages:
        record_audit(
            "user.villages",
            "user",
            str(user.id),
            actor_id=by.id if by else None,
            detail={"villages": villages},
        )
    db.session.flush()
    return villages


def known_villages(user: User) -> list[str]:
    """The villages the records of the user's commune name, to choose from when typing."""
    if not takes_villages(user):
        return []
    names = db.session.scalars(select(Record.village).where(Record.commune_code == user.area_code).distinct())
    found: dict[str, str] = {}
    for name in names:
        found.setdefault(fold(name), name)
    return sorted(found.values(), key=fold)
