"""Keying a register book's entries at the office, from the same form definition as the phone's.

A keyed entry becomes a record through the same push rules as a phone's (source "register", the clerk as
the user, no device), so it is validated, counted and reviewed like every other record. What the clerk
typed comes back untouched when the rules refuse it.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, select

from fieldapp.accounts.models import User
from fieldapp.errors import flatten_errors
from fieldapp.extensions import db
from fieldapp.numbers import whole_number
from fieldapp.progress.counters import local_day
from fieldapp.progress.models import Period, Quota
from fieldapp.records.choices import Choice
from fieldapp.records.forms import Field, fields_of
from fieldapp.records.formvalues import Block, apply_typed, blocks
from fieldapp.records.models import Source
from fieldapp.records.schemas import load_record_data
from fieldapp.review.editing import refusal
from fieldapp.review.models import RegisterBook, RegisterEntry, RegisterPage
from fieldapp.review.queue import local_day_start
from fieldapp.review.services import require_reviewer
from fieldapp.sync.schemas import load_push_items
from fieldapp.timeutil import utcnow
from fieldapp.vn.models import AdminUnit

Errors = dict[str, list[str]]
#: an entry number as written in a book: ASCII digits, then maybe a letter or "/year" (125, 125a, 125/1998)
ENTRY_NUMBER = re.compile(r"[0-9]{1,8}[A-Za-z]?(/[0-9]{2,4})?")


def _keyed(f: Field) -> bool:
    """Fields the clerk types; the book gives the rest (commune, book number, year, page)."""
    return not (f.from_book or f.on_item)


def book_units(book: RegisterBook) -> list[Choice]:
    unit = db.session.get(AdminUnit, book.commune_code)
    return [(book.commune_code, unit.short_name if unit else book.commune_code)]


def entry_blocks(book: RegisterBook, typed: dict[str, str], errors: Errors | None = None) -> list[Block]:
    return blocks(book.type, {}, book_units(book), typed, errors, skip=lambda f: not _keyed(f))


def carried(book: RegisterBook, typed: dict[str, str]) -> dict[str, str]:
    """The values registers repeat from entry to entry (village, registration date, place, official)."""
    return {f.path: typed[f.path] for f in fields_of(book.type) if f.carry and typed.get(f.path)}


def _taken(book: RegisterBook, entry_number: str) -> bool:
    statement = select(RegisterEntry.id).where(
        RegisterEntry.book_id == book.id, RegisterEntry.entry_number == entry_number
    )
    return db.session.scalar(statement) is not None


def key_entry(
    user: User, book: RegisterBook, page: int, entry_number: str, typed: dict[str, str]
) -> tuple[str | None, Errors, str]:
    """Key one entry: (record id, {}, "") when stored, (None, field errors, a sentence naming the fields)
    when the rules refuse it."""
    from fieldapp.sync.services import push_batch

    require_reviewer(user)
    entry_number = entry_number.strip()
    if not entry_number:
        return None, {"entry_number": [_("Bắt buộc nhập.")]}, _("Hãy ghi số đăng ký của mục.")
    if not ENTRY_NUMBER.fullmatch(entry_number):
        message = _("Số thứ tự viết bằng chữ số 0-9 (ví dụ 125 hoặc 125a).")
        return None, {"entry_number": [message]}, message
    if _taken(book, entry_number):
        message = _("Số %(n)s của sổ này đã được nhập.", n=entry_number)
        return None, {"entry_number": [message]}, message
    base = {
        "commune_code": book.commune_code,
        "register": {
            "book_number": book.book_number,
            "book_year": book.year,
            "page": page,
            "entry_number": entry_number,
        },
    }
    given = ("commune_code", "register.entry_number")  # the book's, not the clerk's to retype
    typed = {path: text for path, text in typed.items() if path not in given}
    data, problems = apply_typed(book.type, base, typed, book_units(book))
    if problems:  # a name that is in no list: say so, with whatever else the schema finds
        try:
            load_record_data(book.type, data)
        except ValidationError as exc:
            problems = {**flatten_errors(exc.messages), **problems}
        return None, problems, refusal(book.type, problems)
    raw = {"id": str(uuid.uuid4()), "type": book.type.value, "captured_at": utcnow().isoformat() + "+00:00"}
    items = load_push_items([{**raw, "data": data}])
    result = push_batch(user, None, items, source=Source.REGISTER)[0]
    if result["status"] != "created":
        errors = {k.removeprefix("data."): v for k, v in (result.get("errors") or {}).items()}
        errors = errors or {"_schema": [_("Không lưu được mục này.")]}
        return None, errors, refusal(book.type, errors)
    db.session.add(
        RegisterEntry(
            book_id=book.id, page=page, entry_number=entry_number, record_id=result["id"], keyed_by_id=user.id
        )
    )
    db.session.flush()
    return result["id"], {}, ""


def next_entry_number(book: RegisterBook) -> str:
    """The number after the last one keyed (entries are keyed in the book's order); "1" for a new book."""
    last = db.session.scalar(
        select(RegisterEntry.entry_number)
        .where(RegisterEntry.book_id == book.id)
        .order_by(RegisterEntry.id.desc())
        .limit(1)
    )
    if last is None:
        return "1"
    number = whole_number(last)
    return "" if number is None else str(number + 1)


@dataclass
class Today:
    keyed: int
    quota: int | None

    def __str__(self) -> str:
        if self.quota:
            return _("Hôm nay: %(n)s / %(quota)s mục", n=self.keyed, quota=self.quota)
        return _("Hôm nay: %(n)s mục (chưa giao định mức)", n=self.keyed)


def today_of(user: User) -> Today:
    """Entries this clerk keyed today (local day), and their daily quota if one is set."""
    start = local_day_start(local_day())
    keyed = db.session.scalar(
        select(func.count())
        .select_from(RegisterEntry)
        .where(
            RegisterEntry.keyed_by_id == user.id,
            RegisterEntry.keyed_at >= start,
            RegisterEntry.keyed_at < start + timedelta(days=1),
        )
    )
    daily = select(Quota.amount).where(Quota.user_id == user.id, Quota.period == Period.DAY)
    quota = db.session.scalar(daily)
    return Today(keyed or 0, quota)


def scans_of(book: RegisterBook) -> dict[int, str]:
    """Page number -> scan hash, for turning pages without leaving the entry being typed."""
    rows = db.session.execute(
        select(RegisterPage.page, RegisterPage.sha256).where(RegisterPage.book_id == book.id)
    )
    return {page: sha for page, sha in rows}


def typed_from(form: Any) -> dict[str, str]:
    """The data fields of a posted keying form ("d:child.full_name" -> "child.full_name")."""
    return {key[2:]: value for key, value in form.items() if key.startswith("d:")}
