"""Downloads of a progress page: CSV for Excel (UTF-8 with BOM), an Excel workbook, a PDF report."""

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from fieldapp.extensions import db
from fieldapp.progress import services
from fieldapp.progress.counters import local_day
from fieldapp.progress.models import AreaKind, Measure
from tests.progress.helpers import add_count, sign_in
from tests.support.builders import MUONG_LAT

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def signed_in(client, make):
    collector = make.user("collector", MUONG_LAT)
    add_count(local_day() - timedelta(days=3), MUONG_LAT, collector.id, Measure.COLLECTED, 18_125)
    services.set_target(AreaKind.COMMUNE, MUONG_LAT, 32_736, local_day() + timedelta(days=25), None)
    db.session.commit()
    sign_in(client, make.user("manager", "38"))
    return client


def test_csv_opens_in_excel_with_vietnamese_headers(signed_in):
    response = signed_in.get("/progress/province/38/export.csv", headers={"Accept-Language": "vi"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert "Đơn vị,Chỉ tiêu,Hạn" in text
    assert "Xã,14845,Xã Mường Lát,32736," in text
    assert ",18125,0,0," in text


def test_excel_workbook_has_the_units_and_the_series(signed_in):
    response = signed_in.get(f"/progress/commune/{MUONG_LAT}/export.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    units = book.worksheets[0]
    assert units["C2"].value == "Xã Mường Lát"
    assert units["D2"].value == 32736 and units["G2"].value == 18125
    assert len(book.worksheets) == 3  # units, series, members


def test_pdf_report_embeds_a_vietnamese_font(signed_in):
    response = signed_in.get(f"/progress/commune/{MUONG_LAT}/export.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    import pypdfium2

    pdf = pypdfium2.PdfDocument(response.data)
    text = pdf[0].get_textpage().get_text_range()
    assert "Xã Mường Lát" in text
    assert "18.125 / 32.736" in text or "18,125 / 32,736" in text
    assert fonts_used(pdf) == {"Noto-Sans", "Noto-Sans-Bold"}  # every character, the chart's too


def fonts_used(pdf) -> set[str]:
    import ctypes

    import pypdfium2.raw as raw

    names = set()
    for page in pdf:
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            buffer, flags = ctypes.create_string_buffer(128), ctypes.c_int()
            raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, 128, ctypes.byref(flags))
            if textpage.get_text_range(index, 1).strip():
                names.add(buffer.value.decode().split("+", 1)[-1])
    return names


def test_unknown_format_is_not_found(signed_in):
    assert signed_in.get("/progress/province/38/export.doc").status_code == 404


def test_csv_starts_with_its_header_row_and_writes_days_as_dd_mm_yyyy(signed_in):
    response = signed_in.get(f"/progress/commune/{MUONG_LAT}/export.csv")
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Loại,Mã,Đơn vị,Chỉ tiêu,Hạn,")
    deadline = (local_day() + timedelta(days=25)).strftime("%d/%m/%Y")
    assert f",{deadline}," in lines[1]
    assert not any(re.search(r"\d{4}-\d\d-\d\d", line) for line in lines)


def test_excel_sheets_have_frozen_header_filter_and_widths(signed_in):
    response = signed_in.get(f"/progress/commune/{MUONG_LAT}/export.xlsx")
    units = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert units.freeze_panes == "A2" and units.auto_filter.ref.startswith("A1:O")
    assert units.column_dimensions["C"].width >= len("Xã Mường Lát")
    assert units["E2"].value == (local_day() + timedelta(days=25)).strftime("%d/%m/%Y")
