"""Register books at the office: the inventory, page scans, each book's progress (keying: keying.py)."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, select

from fieldapp.accounts.models import User
from fieldapp.accounts.scope import area_clause, covers
from fieldapp.extensions import db
from fieldapp.records.audit import record_audit
from fieldapp.records.models import RecordType
from fieldapp.review.models import RegisterBook, RegisterEntry, RegisterPage
from fieldapp.review.services import ReviewRefused, require_reviewer
from fieldapp.sync.attachments import UploadError, attachment_store
from fieldapp.timeutil import utcnow
from fieldapp.vn.models import AdminUnit

BOOK_TYPES = (RecordType.BIRTH, RecordType.DEATH, RecordType.MARRIAGE)
BOOK_LABELS = {
    RecordType.BIRTH: _l("Sổ đăng ký khai sinh"),
    RecordType.DEATH: _l("Sổ đăng ký khai tử"),
    RecordType.MARRIAGE: _l("Sổ đăng ký kết hôn"),
}


@dataclass
class Progress:
    book: RegisterBook
    keyed: int
    pages_scanned: int

    def __str__(self) -> str:
        return _(
            "Đã nhập %(keyed)s / %(total)s mục (%(percent)s%%), đã quét %(pages)s trang.",
            keyed=self.keyed,
            total=self.book.entries_total,
            percent=self.percent,
            pages=self.pages_scanned,
        )

    @property
    def percent(self) -> int:
        total = self.book.entries_total
        return min(100, round(100 * self.keyed / total)) if total else 0


def visible_books(user: User) -> Select[Any]:
    return select(RegisterBook).where(
        area_clause(user, RegisterBook.province_code, RegisterBook.commune_code)
    )


def commune_names(codes: set[str]) -> dict[str, str]:
    """Commune code -> its name ("Xã Mường Lát"), for lists that must not show a code."""
    rows = db.session.execute(select(AdminUnit.code, AdminUnit.name).where(AdminUnit.code.in_(codes)))
    return {code: name for code, name in rows}


def find_book(user: User, book_id: int) -> RegisterBook:
    book = db.session.scalar(visible_books(user).where(RegisterBook.id == book_id))
    if book is None:
        raise ReviewRefused(404, _("Không tìm thấy sổ."))
    return book


def book_scan_visible(user: User, sha256: str) -> bool:
    books = visible_books(user).with_only_columns(RegisterBook.id)
    statement = select(
        exists().where(RegisterPage.sha256 == sha256, RegisterPage.book_id.in_(books.scalar_subquery()))
    )
    return bool(db.session.scalar(statement))


def inventory(user: User) -> list[Progress]:
    books = list(
        db.session.scalars(
            visible_books(user).order_by(
                RegisterBook.commune_code, RegisterBook.type, RegisterBook.year, RegisterBook.book_number
            )
        )
    )
    ids = [b.id for b in books]
    keyed = _counts(RegisterEntry.book_id, ids)
    pages = _counts(RegisterPage.book_id, ids)
    return [Progress(b, keyed.get(b.id, 0), pages.get(b.id, 0)) for b in books]


def progress_of(book: RegisterBook) -> Progress:
    return Progress(
        book,
        _counts(RegisterEntry.book_id, [book.id]).get(book.id, 0),
        _counts(RegisterPage.book_id, [book.id]).get(book.id, 0),
    )


def _counts(column: Any, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))
    return {key: count for key, count in rows}


def create_book(user: User, values: dict[str, Any]) -> RegisterBook:
    require_reviewer(user)
    commune = values.get("commune_code") or (
        user.area_code if user.area_code and len(user.area_code) == 5 else ""
    )
    unit = db.session.get(AdminUnit, commune) if commune else None
    if unit is None or unit.level != "commune" or not covers(user, unit.province_code, unit.code):
        raise ReviewRefused(
            422, _("Hãy chọn một xã thuộc địa bàn của bạn."), {"commune_code": [_("Không hợp lệ.")]}
        )
    book = RegisterBook(
        province_code=unit.province_code,
        commune_code=unit.code,
        type=RecordType(values["type"]),
        year=values["year"],
        book_number=values["book_number"].strip(),
        entries_total=values.get("entries_total") or 0,
        pages_total=values.get("pages_total"),
        note=(values.get("note") or "").strip()[:255],
        created_by_id=user.id,
    )
    same = select(RegisterBook.id).where(
        RegisterBook.commune_code == book.commune_code,
        RegisterBook.type == book.type,
        RegisterBook.year == book.year,
        RegisterBook.book_number == book.book_number,
    )
    if db.session.scalar(same) is not None:
        raise ReviewRefused(409, _("Sổ này đã có trong danh mục."))
    db.session.add(book)
    db.session.flush()
    record_audit("book.create", "book", str(book.id), actor_id=user.id)
    return book


def set_complete(user: User, book: RegisterBook, complete: bool) -> None:
    require_reviewer(user)
    book.complete = complete
    record_audit("book.complete" if complete else "book.reopen", "book", str(book.id), actor_id=user.id)


def upload_page(
    user: User,
    book: RegisterBook,
    page: int,
    body: bytes,
    content_type: str,
    config: Mapping[str, Any],
    max_bytes: int,
) -> RegisterPage:
    """Store the scan of one page once; a second upload of the page replaces it."""
    require_reviewer(user)
    if not body:
        raise ReviewRefused(422, _("Hãy chọn tệp ảnh quét của trang."), {"scan": [_("Bắt buộc.")]})
    if len(body) > max_bytes:
        raise ReviewRefused(413, _("Tệp lớn hơn giới hạn %(mb)s MB.", mb=max_bytes // (1024 * 1024)))
    sha256 = hashlib.sha256(body).hexdigest()
    try:
        attachment_store(config).receive_whole(sha256, content_type, body, user)
    except UploadError as exc:
        raise ReviewRefused(exc.status, exc.message) from exc
    scan = db.session.scalar(
        select(RegisterPage).where(RegisterPage.book_id == book.id, RegisterPage.page == page)
    )
    if scan is None:
        scan = RegisterPage(book_id=book.id, page=page, sha256=sha256, uploaded_by_id=user.id)
        db.session.add(scan)
    else:
        scan.sha256, scan.uploaded_by_id, scan.uploaded_at = sha256, user.id, utcnow()
    db.session.flush()
    record_audit("book.scan", "book", str(book.id), actor_id=user.id, detail={"page": page})
    return scan


def page_scan(book: RegisterBook, page: int) -> RegisterPage | None:
    return db.session.scalar(
        select(RegisterPage).where(RegisterPage.book_id == book.id, RegisterPage.page == page)
    )


def entries_of(book: RegisterBook, limit: int = 200) -> list[Any]:
    from fieldapp.records.models import Record

    return list(
        db.session.execute(
            select(
                RegisterEntry.page, RegisterEntry.entry_number, Record.id, Record.subject_name, Record.state
            )
            .join(Record, Record.id == RegisterEntry.record_id)
            .where(RegisterEntry.book_id == book.id)
            .order_by(RegisterEntry.id.desc())
            .limit(limit)
        )
    )
