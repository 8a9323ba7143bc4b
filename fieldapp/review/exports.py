"""Exports of the queue's records: CSV (UTF-8 with BOM, so Excel opens it) and Excel (write-only).

Rows are read in keyset chunks and written to a file as they come, so 100,000 rows use little memory; the
background job (fieldapp.review.jobs) reports each chunk as progress.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import Select, func, select, tuple_

from fieldapp import spreadsheets
from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.receipts.codes import display_code
from fieldapp.records.display import Words, unit_name
from fieldapp.records.models import Record, RecordPerson, RecordType
from fieldapp.records.states import STATE_LABELS, State
from fieldapp.review.queue import VN_OFFSET, QueueQuery, collector_names, filtered

CHUNK = 2000
#: the most rows one Excel sheet holds, below its header row
XLSX_MAX_ROWS = 1_048_575
#: one row per person a record names; the record's columns repeat on each of its people
COLUMNS = (
    _l("Mã hồ sơ"),
    _l("Mã biên nhận"),
    _l("Loại hồ sơ"),
    _l("Trạng thái"),
    _l("Vai trò trong hồ sơ"),
    _l("Họ và tên"),
    _l("Ngày sinh"),
    _l("Giới tính"),
    _l("Dân tộc"),
    _l("Quốc tịch"),
    _l("Số định danh cá nhân"),
    _l("Ngày sự kiện (chết, kết hôn)"),
    _l("Xã, phường"),
    _l("Thôn, bản"),
    _l("Người thu thập"),
    _l("Ngày thu thập"),
    _l("Số đăng ký"),
    _l("Ngày đăng ký"),
)
TYPE_NAMES = {
    RecordType.HOUSEHOLD: _l("Hộ gia đình"),
    RecordType.BIRTH: _l("Khai sinh"),
    RecordType.DEATH: _l("Khai tử"),
    RecordType.MARRIAGE: _l("Kết hôn"),
}
#: the people of an event record, in the order of the paper form, with the role each one plays
EVENT_PEOPLE = {
    RecordType.BIRTH: (("child", _l("Người được khai sinh")), ("mother", _l("Mẹ")), ("father", _l("Cha"))),
    RecordType.DEATH: (("deceased", _l("Người chết")),),
    RecordType.MARRIAGE: (("husband", _l("Chồng")), ("wife", _l("Vợ"))),
}
EVENT_DATE = {RecordType.DEATH: "date_of_death", RecordType.MARRIAGE: "marriage_date"}


@dataclass
class Export:
    """What to export and every label already in the user's language: the rows stream after the
    request's transaction has ended, when neither the user nor the locale can be looked up."""

    base: Select[Any]
    headers: list[str]
    types: dict[RecordType, str]
    states: dict[State, str]
    roles: dict[tuple[RecordType, str], str]
    words: Words
    sheet: str


#: told how many rows were just written
RowsWritten = Callable[[int], None]


def prepare(user: User, query: QueueQuery) -> Export:
    return Export(
        base=filtered(user, query).order_by(Record.subject_sort_key, Record.id),
        headers=[str(c) for c in COLUMNS],
        types={k: str(v) for k, v in TYPE_NAMES.items()},
        states={k: str(v) for k, v in STATE_LABELS.items()},
        roles={(kind, key): str(label) for kind, people in EVENT_PEOPLE.items() for key, label in people},
        words=Words.now(),
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


def count_records(export: Export) -> int:
    ids = export.base.with_only_columns(Record.id).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(ids)) or 0


def count_rows(export: Export) -> int:
    """About how many rows the export will have: the people its records name (for the progress bar)."""
    ids = export.base.with_only_columns(Record.id).order_by(None)
    people = select(func.count()).select_from(RecordPerson).where(RecordPerson.record_id.in_(ids))
    return db.session.scalar(people) or 0


def rows_of(export: Export, written: RowsWritten | None = None) -> Iterator[list[Any]]:
    """Every row, chunk by chunk; `written` hears of each chunk once its rows have been taken."""
    names: dict[int, str] = {}
    for chunk in chunks_of(export.base):
        missing = {row.captured_by_id for row in chunk} - names.keys()
        names.update(collector_names(missing))
        count = 0
        for record in chunk:
            common = _record_columns(export, record, names)
            for role, person in people_with_roles(export, record):
                count += 1
                yield _row(export, record, common, role, person)
        if written is not None:
            written(count)


def people_with_roles(export: Export, record: Any) -> list[tuple[str, dict[str, Any]]]:
    """Everyone the record names with the role they play: relationship to the head, or child, mother…"""
    data = record.data or {}
    if record.type is RecordType.HOUSEHOLD:
        members = data.get("members", [])
        return [(export.words.text("relationship", m.get("relationship")), m) for m in members]
    return [
        (export.roles[(record.type, key)], data[key])
        for key, _label in EVENT_PEOPLE[record.type]
        if data.get(key)
    ]


def _record_columns(export: Export, record: Any, names: dict[int, str]) -> dict[str, Any]:
    data = record.data or {}
    event = EVENT_DATE.get(record.type)
    return {
        "code": display_code(record.receipt_code) if record.receipt_code else "",
        "event": export.words.date(data, event) if event else "",
        "commune": unit_name(record.commune_code),
        "collector": names.get(record.captured_by_id, ""),
        "captured": (record.captured_at + VN_OFFSET).strftime("%d/%m/%Y %H:%M"),
        "registered": record.registration_date.strftime("%d/%m/%Y") if record.registration_date else "",
    }


def _row(export: Export, record: Any, common: dict[str, Any], role: str, person: dict[str, Any]) -> list[Any]:
    words = export.words
    return [
        record.id,
        common["code"],
        export.types[record.type],
        export.states[record.state],
        role,
        person.get("full_name", ""),
        words.date(person, "date_of_birth"),
        words.text("sex", person.get("sex")),
        words.text("ethnicity", person.get("ethnicity")),
        words.text("nationality", person.get("nationality")),
        person.get("personal_id", ""),
        common["event"],
        common["commune"],
        record.village,
        common["collector"],
        common["captured"],
        record.registration_number or "",
        common["registered"],
    ]


def write_csv(export: Export, out: IO[bytes], written: RowsWritten | None = None) -> None:
    for piece in spreadsheets.csv_chunks(export.headers, rows_of(export, written)):
        out.write(piece)


def write_xlsx(export: Export, out: IO[bytes], written: RowsWritten | None = None) -> None:
    """openpyxl in write-only mode keeps the rows on disk until the workbook is saved."""
    workbook = Workbook(write_only=True)
    sheet = spreadsheets.Sheet(workbook, export.sheet, export.headers)
    for row in rows_of(export, written):
        sheet.add(row)
    sheet.close()
    workbook.save(out)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
MIMETYPES = {"csv": spreadsheets.CSV_MIME, "xlsx": spreadsheets.XLSX_MIME}
