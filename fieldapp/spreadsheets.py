"""Every CSV and Excel download goes through here, so no cell can start a formula.

CSV: defusedcsv's writer prefixes a cell starting with =, +, -, @, |, % (or spaces before them) with a
quote, as OWASP advises. Excel: a text cell is written as text (openpyxl would store "=…" as a formula),
and every sheet gets a bold frozen header, a filter and column widths to fit.
"""

import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from defusedcsv import csv
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

BOM = "\ufeff"  # so Excel opens the UTF-8 CSV with its accents
MAX_WIDTH = 60
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"


def csv_writer(out: IO[str]) -> Any:
    return csv.writer(out)


def csv_bytes(headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    """A whole CSV: byte-order mark, the header row first, then the rows."""
    return b"".join(csv_chunks(headers, rows))


def csv_chunks(headers: list[str], rows: Iterable[list[Any]], every: int = 500) -> Iterator[bytes]:
    """A CSV streamed in pieces: the header row first (after the byte-order mark), then the rows."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    buffer.write(BOM)
    writer.writerow(headers)
    for count, row in enumerate(rows, start=1):
        writer.writerow(["" if v is None else v for v in row])
        if count % every == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def text_cell(sheet: WriteOnlyWorksheet, value: Any, bold: bool = False) -> Any:
    """A cell whose text stays text, whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


class Sheet:
    """One sheet of a write-only workbook: bold frozen header, filter, and widths to fit the text.

    openpyxl writes the widths before the first row, so the first SAMPLE rows wait to be measured;
    the rest stream straight to disk.
    """

    SAMPLE = 500

    def __init__(self, book: Workbook, title: str, headers: list[str]) -> None:
        self.sheet = book.create_sheet(title=title[:31])
        self.headers = headers
        self.waiting: list[list[Any]] | None = []
        self.count = 0

    def add(self, row: list[Any]) -> None:
        self.count += 1
        if self.waiting is None:
            self._write(row)
            return
        self.waiting.append(row)
        if len(self.waiting) >= self.SAMPLE:
            self._start()

    def _write(self, row: list[Any]) -> None:
        self.sheet.append([text_cell(self.sheet, v) for v in row])

    def _start(self) -> None:
        waiting, self.waiting = self.waiting or [], None
        widths = [len(str(h)) for h in self.headers]
        for row in waiting:
            for n, value in enumerate(row[: len(widths)]):
                if value is not None:
                    widths[n] = max(widths[n], min(len(str(value)), MAX_WIDTH))
        for n, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(n)].width = width + 2
        self.sheet.freeze_panes = "A2"
        self.sheet.append([text_cell(self.sheet, h, bold=True) for h in self.headers])
        for row in waiting:
            self._write(row)

    def close(self) -> None:
        if self.waiting is not None:
            self._start()
        last = get_column_letter(max(len(self.headers), 1))
        self.sheet.auto_filter.ref = f"A1:{last}{self.count + 1}"


def xlsx_bytes(tables: Iterable[tuple[str, list[str], Iterable[list[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, headers, rows)."""
    book = Workbook(write_only=True)
    for title, headers, rows in tables:
        sheet = Sheet(book, title, headers)
        for row in rows:
            sheet.add(row)
        sheet.close()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
