"""The one writer every export uses: no cell can start a formula, in CSV or in Excel."""

import csv
import io
import zipfile

from openpyxl import load_workbook

from fieldapp import spreadsheets

TRAPS = ["=1+1", "+33", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")']


def test_csv_defuses_every_formula_start_and_keeps_the_header_first():
    data = spreadsheets.csv_bytes(["Họ và tên", "Số"], [[t, 5] for t in TRAPS])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Họ và tên", "Số"]
    assert [r[0] for r in rows[1:]] == [f"'{t}" for t in TRAPS]
    assert [r[1] for r in rows[1:]] == ["5"] * len(TRAPS)  # numbers stay numbers


def test_xlsx_writes_formula_starts_as_text():
    data = spreadsheets.xlsx_bytes([("Hồ sơ", ["Họ và tên"], [[t] for t in TRAPS])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet["A"][1:]] == TRAPS
    assert {c.data_type for c in sheet["A"]} == {"s"}
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")


def test_a_long_sheet_streams_past_the_measured_rows_with_its_filter():
    rows = [[f"Người {n}", n] for n in range(spreadsheets.Sheet.SAMPLE + 50)]
    sheet = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes([("Hồ sơ", ["Tên", "Số"], rows)]))).active
    assert sheet.max_row == len(rows) + 1 and sheet["A551"].value == "Người 549"
    assert sheet.auto_filter.ref == f"A1:B{len(rows) + 1}" and sheet.freeze_panes == "A2"
