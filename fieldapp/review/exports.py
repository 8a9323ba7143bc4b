"""Exports of the queue's records: CSV (UTF-8 with BOM, so Excel opens it) and Excel (write-only).

Rows are read in keyset chunks and written as they come, so 100,000 rows use little memory.
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import Select, tuple_

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordType
from fieldapp.records.states import STATE_LABELS, State
from fieldapp.review.queue import VN_OFFSET, QueueQuery, collector_names, filtered

CHUNK = 2000
COLUMNS = (
    _l("Mã biên nhận"),
    _l("Loại hồ sơ"),
    _l("Trạng thái"),
    _l("Họ và tên"),
    _l("Ngày sinh"),
    _l("Giới tính"),
    _l("Số định danh cá nhân"),
    _l("Mã xã"),
    _l("Thôn, bản"),
    _l("Người thu thập"),
    _l("Ngày thu thập"),
    _l("Số đăng ký"),
    _l("Ngày đăng ký"),
    _l("Mã hồ sơ"),
)
TYPE_NAMES = {
    RecordType.HOUSEHOLD: _l("Hộ gia đình"),
    RecordType.BIRTH: _l("Khai sinh"),
    RecordType.DEATH: _l("Khai tử"),
    RecordType.MARRIAGE: _l("Kết hôn"),
}
SUBJECT_KEY = {RecordType.BIRTH: "child", RecordType.DEATH: "deceased", RecordType.MARRIAGE: "husband"}
SEXES = {"male": _l("Nam"), "female": _l("Nữ")}


@dataclass
class Export:
    """What to export and every label already in the user's language: the rows stream after the
    request's transaction has ended, when neither the user nor the locale can be looked up."""

    base: Select[Any]
    headers: list[str]
    types: dict[RecordType, str]
    states: dict[State, str]
    sexes: dict[str, str]
    sheet: str


def prepare(user: User, query: QueueQuery) -> Export:
    return Export(
        base=filtered(user, query).order_by(Record.subject_sort_key, Record.id),
        headers=[str(c) for c in COLUMNS],
        types={k: str(v) for k, v in TYPE_NAMES.items()},
        states={k: str(v) for k, v in STATE_LABELS.items()},
        sexes={k: str(v) for k, v in SEXES.items()},
        sheet=str(_l("Hồ sơ")),
    )


#: only what the export writes: no ORM objects, so a chunk costs little to read and nothing to keep
EXPORT_COLUMNS = (
    Record.id,
    Record.type,
    Record.state,
    Record.subject_name,
    Record.subject_sort_key,
    Record.data,
    Record.commune_code,
    Record.village,
    Record.captured_by_id,
    Record.captured_at,
    Record.receipt_code,
    Record.registration_number,
    Record.registration_date,
)


def chunks_of(base: Select[Any]) -> Iterator[list[Any]]:
    """The selection's rows in Vietnamese name order, CHUNK at a time (keyset, so each query is short)."""
    statement = base.with_only_columns(*EXPORT_COLUMNS)
    after: tuple[bytes, str] | None = None
    while True:
        query = (
            statement
            if after is None
            else statement.where(tuple_(Record.subject_sort_key, Record.id) > after)
        )
        chunk = list(db.session.execute(query.limit(CHUNK)))
        if chunk:
            yield chunk
        if len(chunk) < CHUNK:
            return
        after = (chunk[-1].subject_sort_key, chunk[-1].id)


def _subject(record: Any) -> dict[str, Any]:
    data = record.data or {}
    if record.type is RecordType.HOUSEHOLD:
        return next((m for m in data.get("members", []) if m.get("relationship") == "head"), {})
    return data.get(SUBJECT_KEY[record.type]) or {}


def rows_of(export: Export) -> Iterator[list[Any]]:
    names: dict[int, str] = {}
    for chunk in chunks_of(export.base):
        missing = {row.captured_by_id for row in chunk} - names.keys()
        names.update(collector_names(missing))
        yield from (_row(export, record, names) for record in chunk)


def _row(export: Export, record: Any, names: dict[int, str]) -> list[Any]:
    person = _subject(record)
    return [
        record.receipt_code or "",
        export.types[record.type],
        export.states[record.state],
        record.subject_name,
        person.get("date_of_birth", ""),
        export.sexes.get(person.get("sex", ""), ""),
        person.get("personal_id", ""),
        record.commune_code,
        record.village,
        names.get(record.captured_by_id, ""),
        (record.captured_at + VN_OFFSET).strftime("%d/%m/%Y %H:%M"),
        record.registration_number or "",
        record.registration_date.strftime("%d/%m/%Y") if record.registration_date else "",
        record.id,
    ]


def csv_chunks(export: Export) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(export.headers)
    for count, row in enumerate(rows_of(export), start=1):
        writer.writerow(row)
        if count % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(export: Export) -> Iterator[bytes]:
    """openpyxl in write-only mode keeps rows on disk; the finished file is sent in pieces."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=export.sheet)
    sheet.append(export.headers)
    for row in rows_of(export):
        sheet.append(row)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        while piece := out.read(64 * 1024):
            yield piece
