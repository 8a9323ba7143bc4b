"""The national system's answers, in bulk: a CSV of receipt code or record id -> official registration
number and date marks those records transferred. Every row or none; run twice, it changes nothing.

One path for the background job (the page) and `flask records transfer`: the job passes a progress
reporter and gets a first look at every row in steps it can show (nothing locked, nothing written); the
rows are then checked again under lock, in the one transaction that writes them.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import or_

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.receipts.codes import normalize_code
from fieldapp.records import services as records
from fieldapp.records.models import Record
from fieldapp.records.search import visible_records
from fieldapp.records.states import STATE_LABELS, Action, State
from fieldapp.review.services import require_reviewer
from fieldapp.timeutil import utcnow
from fieldapp.vn.dates import DateRuleError, parse_day

#: the columns a file may have, by any of their names (folded to lower case)
KEY_COLUMNS = ("mã biên nhận", "ma bien nhan", "receipt_code", "mã hồ sơ", "ma ho so", "record_id")
NUMBER_COLUMNS = ("số đăng ký", "so dang ky", "registration_number")
DATE_COLUMNS = ("ngày đăng ký", "ngay dang ky", "registration_date")
MAX_ROWS = 50_000
#: rows looked up per query: short queries, and within SQLite's limit on bound values
STEP = 500


@dataclass
class Row:
    line: int
    key: str
    number: str
    typed_date: str = ""
    on: date | None = None
    record: Record | None = None


@dataclass
class Refusal:
    """A bad row: what it said and why it cannot be taken."""

    line: int
    key: str
    number: str
    typed_date: str
    reason: str

    @property
    def text(self) -> str:
        return _("Dòng %(line)s: %(problem)s", line=self.line, problem=self.reason)


@dataclass
class TransferResult:
    rows: int = 0
    transferred: int = 0
    unchanged: int = 0


class AnswersUnreadable(Exception):
    """The file is not the national system's answers (not a UTF-8 CSV, no header row, ...): no row read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class TransferRefused(Exception):
    """Nothing was written: `refusals` holds every bad row, in file order."""

    refusals: list[Refusal] = field(default_factory=list)
    rows: int = 0

    @property
    def errors(self) -> list[str]:
        return [refusal.text for refusal in self.refusals]


class Steps(Protocol):
    """How far the first look is (the job's Progress); each report may commit."""

    def start(self, total: int) -> None: ...
    def advance(self, count: int = 1) -> None: ...


def import_transfers(user: User, text: str, progress: Steps | None = None) -> TransferResult:
    """Check every row; only when all are good, mark the records transferred."""
    require_reviewer(user)
    rows, refusals = _parse(text)
    total = len(rows) + len(refusals)
    if progress is not None:  # the first look, in steps the page shows; nothing is locked between them
        progress.start(len(rows))
        refusals += _match(user, rows, progress=progress)
    if not refusals:  # what is written is what this check, under lock, finds
        refusals += _match(user, rows, lock=True)
    if refusals:
        raise TransferRefused(sorted(refusals, key=lambda r: r.line), total)
    moving = {row.record: row for row in rows if row.record and row.record.state is State.VERIFIED}
    numbers = {
        record.id: {"registration_number": row.number, "registration_date": row.on}
        for record, row in moving.items()
    }
    records.transition_many(list(moving), Action.TRANSFER, user, numbers)
    return TransferResult(rows=total, transferred=len(moving), unchanged=len(rows) - len(moving))


def decode(raw: bytes) -> str:
    """The uploaded bytes as text, or why they are not the answers file."""
    if raw.startswith(b"PK\x03\x04"):
        raise AnswersUnreadable(
            _("Đây là tệp Excel, không phải CSV. Trong Excel, hãy lưu bằng «CSV UTF-8» rồi nhập tệp đó.")
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersUnreadable(
            _("Tệp không phải CSV mã UTF-8. Trong Excel, hãy lưu bằng «CSV UTF-8».")
        ) from None


def _parse(text: str) -> tuple[list[Row], list[Refusal]]:
    """The rows, and a refusal for every row that is bad on its own (a bad row is not kept)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise AnswersUnreadable(_("Tệp trống."))
    reader = csv.reader(io.StringIO(text), _dialect(text))
    header = [h.strip().lower() for h in next(reader)]
    columns = [_column(header, names) for names in (KEY_COLUMNS, NUMBER_COLUMNS, DATE_COLUMNS)]
    if None in columns:
        raise AnswersUnreadable(
            _(
                "Tệp không theo mẫu trả về của hệ thống hộ tịch: dòng 1 phải là dòng tiêu đề có ba cột "
                "«Mã biên nhận» (hoặc «Mã hồ sơ»), «Số đăng ký», «Ngày đăng ký»."
            )
        )
    rows: list[Row] = []
    refusals: list[Refusal] = []
    for row in _rows(reader, columns):  # type: ignore[arg-type]
        problem = _row_problem(row)
        if problem:
            refusals.append(_refusal(row, problem))
        else:
            rows.append(row)
    if not rows and not refusals:
        raise AnswersUnreadable(_("Tệp không có dòng dữ liệu nào."))
    return rows, refusals


def _rows(reader: Iterator[list[str]], columns: list[int]) -> Iterator[Row]:
    count = 0
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        count += 1
        if count > MAX_ROWS:
            raise AnswersUnreadable(_("Tệp có quá %(n)s dòng; hãy chia thành nhiều tệp.", n=MAX_ROWS))
        key, number, typed_date = (values[c].strip() if c < len(values) else "" for c in columns)
        yield Row(line, key, number, typed_date)


def _refusal(row: Row, reason: str) -> Refusal:
    return Refusal(row.line, row.key, row.number, row.typed_date, reason)


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((n for n, h in enumerate(header) if h in names), None)


def _row_problem(row: Row) -> str | None:
    if not row.key:
        return _("thiếu mã biên nhận hoặc mã hồ sơ.")
    if not row.number:
        return _("thiếu số đăng ký.")
    if len(row.number) > 64:
        return _("số đăng ký dài quá 64 ký tự.")
    try:
        row.on = parse_day(row.typed_date)
    except DateRuleError as exc:
        return _("ngày đăng ký: %(reason)s.", reason=str(exc))
    if row.on > utcnow().date():
        return _("ngày đăng ký %(value)s ở tương lai.", value=row.typed_date)
    return None


def _match(
    user: User, rows: list[Row], *, lock: bool = False, progress: Steps | None = None
) -> list[Refusal]:
    """Find each row's record in the user's area (locked if asked) and check that it can take the answer;
    STEP rows at a time, each step reported to `progress`."""
    refusals: list[Refusal] = []
    seen: dict[str, int] = {}
    for start in range(0, len(rows), STEP):
        step = rows[start : start + STEP]
        by_key = _records_named(user, step, lock)
        for row in step:
            row.record = by_key.get(row.key.lower()) or by_key.get(normalize_code(row.key))
            problem = _match_problem(row, seen)
            if problem:
                refusals.append(_refusal(row, problem))
        if progress is not None:
            progress.advance(len(step))
    return refusals


def _records_named(user: User, rows: list[Row], lock: bool) -> dict[str, Record]:
    """The user's records the rows name, by id and by receipt code."""
    codes = {normalize_code(r.key) for r in rows}
    ids = {r.key.lower() for r in rows}
    query = visible_records(user).where(or_(Record.receipt_code.in_(codes), Record.id.in_(ids)))
    query = query.order_by(Record.id)
    by_key: dict[str, Record] = {}
    for record in db.session.scalars(query.with_for_update() if lock else query):
        by_key[record.id] = record
        if record.receipt_code:
            by_key[record.receipt_code] = record
    return by_key


def _match_problem(row: Row, seen: dict[str, int]) -> str | None:
    record = row.record
    if record is None:
        return _("không tìm thấy hồ sơ có mã «%(key)s» trong địa bàn của bạn.", key=row.key)
    if record.id in seen:
        return _("hồ sơ này đã có ở dòng %(line)s.", line=seen[record.id])
    seen[record.id] = row.line
    if record.state is State.TRANSFERRED:
        if (record.registration_number, record.registration_date) == (row.number, row.on):
            return None
        return _(
            "hồ sơ đã được chuyển với số đăng ký %(number)s ngày %(day)s, khác với tệp.",
            number=record.registration_number,
            day=record.registration_date.strftime("%d/%m/%Y") if record.registration_date else "…",
        )
    if record.state is not State.VERIFIED:
        return _(
            "hồ sơ đang ở trạng thái «%(state)s»; chỉ hồ sơ đã đối chiếu mới chuyển được.",
            state=STATE_LABELS[record.state],
        )
    return None
