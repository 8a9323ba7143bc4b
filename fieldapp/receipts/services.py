"""Receipt codes: device pools, server codes, paper pads, and the records a receipt is printed for."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from fieldapp.accounts.models import Device, Role, User
from fieldapp.accounts.scope import area_clause, covers
from fieldapp.extensions import db
from fieldapp.receipts.codes import is_valid_code, new_code
from fieldapp.receipts.models import CommuneOffice, ReceiptCode, ReceiptPad
from fieldapp.records.models import Record
from fieldapp.records.search import RecordFilter, apply_filter, visible_records
from fieldapp.timeutil import utcnow
from fieldapp.vn.models import AdminUnit


@dataclass
class ReceiptFilter:
    """Which receipts a batch prints: the queue's filter plus a window on the visit time (naive UTC)."""

    record_filter: RecordFilter = field(default_factory=RecordFilter)
    captured_from: datetime | None = None
    captured_before: datetime | None = None


def unused_pool(device: Device) -> list[str]:
    query = (
        select(ReceiptCode.code)
        .where(ReceiptCode.device_id == device.id, ReceiptCode.used_at.is_(None))
        .order_by(ReceiptCode.allocated_at, ReceiptCode.code)
    )
    return list(db.session.scalars(query))


def top_up_pool(device: Device, size: int) -> list[str]:
    """Fill the device's pool back up to `size` unused codes; returns the whole unused pool."""
    have = db.session.scalar(
        select(func.count())
        .select_from(ReceiptCode)
        .where(ReceiptCode.device_id == device.id, ReceiptCode.used_at.is_(None))
    )
    missing = size - (have or 0)
    if missing > 0:
        now = utcnow()
        rows = [
            {"code": new_code(), "device_id": device.id, "user_id": device.user_id, "allocated_at": now}
            for _ in range(missing)
        ]
        db.session.execute(insert(ReceiptCode), rows)
    return unused_pool(device)


def pool_codes(codes: set[str]) -> dict[str, ReceiptCode]:
    """The given codes as the database knows them (any device's), to check a push against the pool."""
    if not codes:
        return {}
    found = db.session.scalars(select(ReceiptCode).where(ReceiptCode.code.in_(codes)))
    return {code.code: code for code in found}


def server_code_rows(codes_by_record: dict[str, str], user_id: int) -> list[dict[str, Any]]:
    """The codes the server gave to records that arrived without one (used at once), as rows."""
    now = utcnow()
    return [
        {"code": code, "user_id": user_id, "allocated_at": now, "used_at": now, "record_id": record_id}
        for record_id, code in codes_by_record.items()
    ]


def allocate_pad(collector: User, by: User, size: int) -> tuple[ReceiptPad, list[str]]:
    """A paper pad of fresh codes for a collector.

    The codes are tied to the collector and the pad, not to a device: a phone never holds them, so a
    pad code cannot also be handed out from a phone's pool; the collector types it into a record later
    from any of their devices and the push accepts it (see fieldapp.sync.services._check_receipt_codes).
    """
    pad = ReceiptPad(user_id=collector.id, created_by_id=by.id, size=size)
    db.session.add(pad)
    db.session.flush()
    now = utcnow()
    codes = [new_code() for _ in range(size)]
    rows = [{"code": c, "user_id": collector.id, "pad_id": pad.id, "allocated_at": now} for c in codes]
    db.session.execute(insert(ReceiptCode), rows)
    return pad, codes


def receipt_for(user: User, code: str) -> Record | None:
    """The record carrying this receipt code, if the user may see it (collectors: their own records)."""
    return db.session.scalar(visible_records(user).where(Record.receipt_code == code))


def receipts_matching(user: User, wanted: ReceiptFilter, limit: int) -> list[Record]:
    """Records for a batch print, in print order (village, then name); at most `limit` + 1 rows."""
    query = apply_filter(visible_records(user), wanted.record_filter)
    query = query.where(Record.receipt_code.is_not(None))
    if wanted.captured_from:
        query = query.where(Record.captured_at >= wanted.captured_from)
    if wanted.captured_before:
        query = query.where(Record.captured_at < wanted.captured_before)
    query = query.order_by(Record.commune_code, Record.village, Record.subject_sort_key, Record.id)
    return list(db.session.scalars(query.limit(limit + 1)))


def villages_of(user: User, commune_code: str | None = None) -> list[tuple[str, str, int]]:
    """(commune code, village, receipts) the user may print, for the batch page's choices."""
    visible = visible_records(user).where(Record.receipt_code.is_not(None)).subquery()
    query = select(visible.c.commune_code, visible.c.village, func.count()).group_by(
        visible.c.commune_code, visible.c.village
    )
    if commune_code:
        query = query.where(visible.c.commune_code == commune_code)
    return [
        tuple(row) for row in db.session.execute(query.order_by(visible.c.commune_code, visible.c.village))
    ]


def units_by_code(codes: set[str]) -> dict[str, AdminUnit]:
    if not codes:
        return {}
    return {u.code: u for u in db.session.scalars(select(AdminUnit).where(AdminUnit.code.in_(codes)))}


def offices_by_commune(codes: set[str]) -> dict[str, CommuneOffice]:
    if not codes:
        return {}
    found = db.session.scalars(select(CommuneOffice).where(CommuneOffice.commune_code.in_(codes)))
    return {office.commune_code: office for office in found}


def set_office(
    commune_code: str, *, address: str | None, phone: str | None, hours: str | None
) -> CommuneOffice:
    office = db.session.get(CommuneOffice, commune_code)
    if office is None:
        office = CommuneOffice(commune_code=commune_code, address="", phone="", hours="")
        db.session.add(office)
    for name, value in (("address", address), ("phone", phone), ("hours", hours)):
        if value is not None:
            setattr(office, name, value.strip())
    db.session.flush()
    return office


def unused_pad_codes(pad: ReceiptPad) -> list[str]:
    query = (
        select(ReceiptCode.code)
        .where(ReceiptCode.pad_id == pad.id, ReceiptCode.used_at.is_(None))
        .order_by(ReceiptCode.code)
    )
    return list(db.session.scalars(query))


def pad_manager_allowed(actor: User, collector: User) -> bool:
    """Who may print a pad for a collector: the collector, or a clerk / admin whose area covers theirs."""
    if collector.role is not Role.COLLECTOR or not collector.active:
        return False
    if actor.role is Role.COLLECTOR:
        return actor.id == collector.id
    if actor.role not in (Role.CLERK, Role.ADMIN):
        return False
    area = collector.area
    if area is None:
        return covers(actor, None, None)
    if area.level == "province":
        return covers(actor, area.code, None)
    return covers(actor, area.province_code, area.code)


def collectors_of(user: User) -> list[User]:
    """Active collectors working inside the user's area, by name."""
    query = (
        select(User)
        .join(AdminUnit, AdminUnit.code == User.area_code)
        .where(
            User.role == Role.COLLECTOR,
            User.active.is_(True),
            area_clause(user, func.coalesce(AdminUnit.province_code, AdminUnit.code), AdminUnit.code),
        )
        .order_by(User.full_name, User.username)
    )
    return list(db.session.scalars(query))


def code_problem(
    known: ReceiptCode | None, code: str, user_id: int, record_id: str, taken: bool
) -> str | None:
    """Why a record may not carry this code (None: it may). A code must be the same user's, from a
    device's pool or a paper pad, and unused; a typo in a pad code is caught by its check symbol."""
    if not is_valid_code(code):
        return _(
            "Mã biên nhận %(code)s gõ sai: ký tự kiểm tra không khớp; hãy xem lại từng ký tự.",
            code=code,
        )
    if known is not None and known.pad_id is not None and known.user_id != user_id:
        return _("Mã biên nhận %(code)s thuộc tập biên nhận giấy của người khác.", code=code)
    if known is None or known.user_id != user_id or (known.device_id is None and known.pad_id is None):
        return _("Mã biên nhận %(code)s không thuộc thiết bị hay tập biên nhận giấy của bạn.", code=code)
    if (known.used_at is not None and known.record_id != record_id) or taken:
        return _("Mã biên nhận %(code)s đã được dùng cho hồ sơ khác.", code=code)
    return None
