"""The national system's answers, in bulk: a CSV of receipt code or record id -> official registration
number and date marks those records transferred. Every row or none; run twice, it changes nothing."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

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

#: the columns a file may have, by any of their names (folded to lower case)
KEY_COLUMNS = ("mã biên nhận", "ma bien nhan", "receipt_code", "mã hồ sơ", "ma ho so", "record_id")
NUMBER_COLUMNS = ("số đăng ký", "so dang ky", "registration_number")
DATE_COLUMNS = ("ngày đăng ký", "ngay dang ky", "registration_date")
MAX_ROWS = 50_000


@dataclass
class Row:
    line: int
    key: str
    number: str
    on: date | None = None
    record: Record | None = None


@dataclass
class TransferResult:
    transferred: int = 0
    unchanged: int = 0


@dataclass
class TransferRefused(Exception):
    """Nothing was written: `errors` names every bad row ("Dòng 4: …")."""

    errors: list[str] = field(default_factory=list)


def import_transfers(user: User, text: str) -> TransferResult:
    """Check every row first; only when all are good, mark the records transferred."""
    require_reviewer(user)
    rows, errors = _parse(text)
    if rows:
        errors += _match(user, rows)
    if errors:
        raise TransferRefused([message for _line, message in sorted(errors, key=lambda e: e[0])])
    moving = {row.record: row for row in rows if row.record and row.record.state is State.VERIFIED}
    numbers = {
        record.id: {"registration_number": row.number, "registration_date": row.on}
        for record, row in moving.items()
    }
    records.transition_many(list(moving), Action.TRANSFER, user, numbers)
    return TransferResult(transferred=len(moving), unchanged=len(rows) - len(moving))


Problems = list[tuple[int, str]]


def _parse(text: str) -> tuple[list[Row], Problems]:
    """The rows, and (line, message) for every row that is bad on its own; a bad row is not kept."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        return [], [(1, _("Tệp trống."))]
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().lower() for h in next(reader)]
    columns = [_column(header, names) for names in (KEY_COLUMNS, NUMBER_COLUMNS, DATE_COLUMNS)]
    if None in columns:
        return [], [
            (
                1,
                _(
                    "Dòng 1 phải là dòng tiêu đề có ba cột: «Mã biên nhận» (hoặc «Mã hồ sơ»), «Số đăng ký», "
                    "«Ngày đăng ký»."
                ),
            )
        ]
    rows: list[Row] = []
    errors: Problems = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            return [], [(line, _("Tệp có quá %(n)s dòng; hãy chia thành nhiều tệp.", n=MAX_ROWS))]
        key, number, typed_date = (values[c].strip() if c < len(values) else "" for c in columns)  # type: ignore[operator]
        row = Row(line, key, number)
        problem = _row_problem(row, typed_date)
        if problem:
            errors.append((line, _("Dòng %(line)s: %(problem)s", line=line, problem=problem)))
        else:
            rows.append(row)
    if not rows and not errors:
        errors.append((2, _("Tệp không có dòng dữ liệu nào.")))
    return rows, errors


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((n for n, h in enumerate(header) if h in names), None)


def _row_problem(row: Row, typed_date: str) -> str | None:
    if not row.key:
        return _("thiếu mã biên nhận hoặc mã hồ sơ.")
    if not row.number:
        return _("thiếu số đăng ký.")
    if len(row.number) > 64:
        return _("số đăng ký dài quá 64 ký tự.")
    row.on = parse_day(typed_date)
    if row.on is None:
        return _("ngày đăng ký «%(value)s» không đúng dạng ngày/tháng/năm.", value=typed_date)
    if row.on > utcnow().date():
        return _("ngày đăng ký %(value)s ở tương lai.", value=typed_date)
    return None


def parse_day(text: str) -> date | None:
    """dd/mm/yyyy as people write it, or yyyy-mm-dd as systems do."""
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _match(user: User, rows: list[Row]) -> Problems:
    """Find each row's record in the user's area, locked, and check that it can take the answer."""
    codes = {normalize_code(r.key) for r in rows}
    ids = {r.key.lower() for r in rows}
    found = db.session.scalars(
        visible_records(user)
        .where(or_(Record.receipt_code.in_(codes), Record.id.in_(ids)))
        .order_by(Record.id)
        .with_for_update()
    )
    by_key: dict[str, Record] = {}
    for record in found:
        by_key[record.id] = record
        if record.receipt_code:
            by_key[record.receipt_code] = record
    errors: Problems = []
    seen: dict[str, int] = {}
    for row in rows:
        row.record = by_key.get(row.key.lower()) or by_key.get(normalize_code(row.key))
        problem = _match_problem(row, seen)
        if problem:
            errors.append((row.line, _("Dòng %(line)s: %(problem)s", line=row.line, problem=problem)))
    return errors


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
