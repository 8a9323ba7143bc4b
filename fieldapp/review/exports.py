"""Exports of the queue's records: CSV (UTF-8 with BOM, so Excel opens it) and Excel (write-only).

Rows are read in keyset chunks and written as they come, so 100,000 rows use little memory.
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import tuple_

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordType
from fieldapp.records.states import STATE_LABELS
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


def headers() -> list[str]:
    return [str(c) for c in COLUMNS]


def records_of(user: User, query: QueueQuery) -> Iterator[Record]:
    """Every record the queue's filters keep, in Vietnamese name order, a chunk at a time."""
    base = filtered(user, query).order_by(Record.subject_sort_key, Record.id)
    after: tuple[bytes, str] | None = None
    while True:
        statement = base if after is None else base.where(tuple_(Record.subject_sort_key, Record.id) > after)
        chunk = list(db.session.scalars(statement.limit(CHUNK)))
        if not chunk:
            return
        yield from chunk
        after = (chunk[-1].subject_sort_key, chunk[-1].id)
        for record in chunk:  # what was written is not needed any more
            db.session.expunge(record)
        if len(chunk) < CHUNK:
            return


def _subject(record: Record) -> dict[str, Any]:
    data = record.data or {}
    if record.type is RecordType.HOUSEHOLD:
        return next((m for m in data.get("members", []) if m.get("relationship") == "head"), {})
    return data.get(SUBJECT_KEY[record.type]) or {}


def rows_of(user: User, query: QueueQuery) -> Iterator[list[Any]]:
    names: dict[int, str] = {}
    for record in records_of(user, query):
        if record.captured_by_id not in names:
            names.update(collector_names({record.captured_by_id}))
        person = _subject(record)
        yield [
            record.receipt_code or "",
            str(TYPE_NAMES[record.type]),
            str(STATE_LABELS[record.state]),
            record.subject_name,
            person.get("date_of_birth", ""),
            str(SEXES.get(person.get("sex", ""), "")),
            person.get("personal_id", ""),
            record.commune_code,
            record.village,
            names.get(record.captured_by_id, ""),
            (record.captured_at + VN_OFFSET).strftime("%d/%m/%Y %H:%M"),
            record.registration_number or "",
            record.registration_date.strftime("%d/%m/%Y") if record.registration_date else "",
            record.id,
        ]


def csv_chunks(user: User, query: QueueQuery) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers())
    for count, row in enumerate(rows_of(user, query), start=1):
        writer.writerow(row)
        if count % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(user: User, query: QueueQuery) -> Iterator[bytes]:
    """openpyxl in write-only mode keeps rows on disk; the finished file is sent in pieces."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_l("Hồ sơ")))
    sheet.append(headers())
    for row in rows_of(user, query):
        sheet.append(row)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        while piece := out.read(64 * 1024):
            yield piece
