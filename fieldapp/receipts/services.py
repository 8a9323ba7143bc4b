"""Receipt code pools: what each device holds for offline visits, and codes the server gives out."""

from sqlalchemy import func, insert, select

from fieldapp.accounts.models import Device
from fieldapp.extensions import db
from fieldapp.receipts.codes import new_code
from fieldapp.receipts.models import ReceiptCode
from fieldapp.timeutil import utcnow


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


def issue_server_codes(count: int, user_id: int) -> list[str]:
    """Codes given by the server to records that arrived without one."""
    if count <= 0:
        return []
    now = utcnow()
    codes = [new_code() for _ in range(count)]
    rows = [{"code": c, "user_id": user_id, "allocated_at": now, "used_at": now} for c in codes]
    db.session.execute(insert(ReceiptCode), rows)
    return codes
