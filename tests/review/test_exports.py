"""Exports: one row per person, words instead of codes, dd/mm/yyyy dates, formatted Excel, no formulas.

The export is a background job: the queue's button posts its filters, the worker writes the file, the job
page offers it (tests run the job where the worker would).
"""

import csv
import io
import re

from openpyxl import load_workbook

from fieldapp.accounts.models import Role
from tests.review.conftest import newborn, sign_in
from tests.support.builders import TRUNG_LY, death_data, household_data
from tests.support.jobs import run_job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "Mã hồ sơ", "Mã biên nhận", "Loại hồ sơ", "Trạng thái", "Vai trò trong hồ sơ", "Họ và tên", "Ngày sinh",
    "Giới tính", "Dân tộc", "Quốc tịch", "Số định danh cá nhân", "Ngày sự kiện (chết, kết hôn)", "Xã, phường",
    "Thôn, bản", "Người thu thập", "Ngày thu thập", "Số đăng ký", "Ngày đăng ký",
]  # fmt: skip


def exported(app, client, csrf: str, fmt: str = "csv", **filters: str):
    """The queue's export with these filters, asked for as the button does, made by the job."""
    job_page = run_job(app, client.post(f"/review/export.{fmt}", data={"csrf_token": csrf, **filters}))
    response = client.get(f"{job_page}/file")
    assert response.status_code == 200, client.get(f"{job_page}.json").get_json()
    return response


def read_csv(response) -> list[dict[str, str]]:
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADERS  # the header row comes first, nothing before it
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def read_xlsx(response) -> tuple[object, list[dict[str, object]]]:
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return sheet, [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_csv_has_one_row_per_household_member_with_words_and_dates(app, client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    response = exported(app, client, csrf, state="all")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = read_csv(response)
    assert [(r["Họ và tên"], r["Vai trò trong hồ sơ"]) for r in rows] == [
        ("Giàng A Páo", "Chủ hộ"),
        ("Vàng Thị Mua", "Vợ/chồng"),
        ("Giàng A Dế", "Con"),
    ]
    assert {r["Mã hồ sơ"] for r in rows} == {record_id}
    head, wife, _child = rows
    assert head["Ngày sinh"] == "15/03/1980" and wife["Ngày sinh"] == "1983"
    assert head["Giới tính"] == "Nam" and wife["Giới tính"] == "Nữ"
    assert head["Dân tộc"] == "Hmông (Mông)" and head["Quốc tịch"] == "Việt Nam"
    assert head["Xã, phường"] == "Xã Mường Lát" and head["Trạng thái"] == "Đã tiếp nhận"
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]+", head["Mã biên nhận"])  # as printed on the receipt
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", head["Ngày thu thập"])


def test_birth_export_names_child_and_parents_and_lunar_dates_are_marked(app, client, make, office):
    office.push("birth", data=newborn("Lò Thị Ún"))
    office.push("death", data=death_data())
    csrf = sign_in(client, make)
    rows = read_csv(exported(app, client, csrf, state="all", type="birth"))
    assert [(r["Vai trò trong hồ sơ"], r["Họ và tên"], r["Ngày sinh"]) for r in rows] == [
        ("Người được khai sinh", "Lò Thị Ún", "20/05/2023"),
        ("Mẹ", "Hà Thị Pâng", "1998"),
        ("Cha", "Lò Văn Pản", "1995"),
    ]
    death = read_csv(exported(app, client, csrf, state="all", type="death"))
    assert death[0]["Ngày sinh"] == "1940 (âm lịch)"
    assert death[0]["Ngày sự kiện (chết, kết hôn)"] == "02/11/2021"


def test_excel_has_members_widths_frozen_header_and_filter(app, client, make, office):
    office.push("household")
    office.push("birth", data=newborn("Lò Thị Ún"))
    other = office.make.token(office.make.user(Role.COLLECTOR, TRUNG_LY))
    office.push("birth", token=other, data=newborn("Hà Văn Xa", commune=TRUNG_LY))
    csrf = sign_in(client, make)
    response = exported(app, client, csrf, "xlsx", state="all")
    assert response.mimetype == XLSX and "attachment" in response.headers["Content-Disposition"]
    sheet, rows = read_xlsx(response)
    names = [r["Họ và tên"] for r in rows]
    assert names == ["Giàng A Páo", "Vàng Thị Mua", "Giàng A Dế", "Lò Thị Ún", "Hà Thị Pâng", "Lò Văn Pản"]
    assert "Hà Văn Xa" not in names  # own commune only
    assert rows[0]["Số định danh cá nhân"] == "038080001234" and rows[0]["Ngày sinh"] == "15/03/1980"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{len(rows) + 1}"
    assert sheet.column_dimensions["F"].width >= len("Giàng A Páo")
    assert sheet["A1"].font.b


def test_no_export_cell_starts_a_formula(app, client, make, office):
    data = household_data(village='=HYPERLINK("http://x","bấm")')
    data["members"][0]["full_name"] = "@SUM(A1)"
    office.push("household", data=data)
    csrf = sign_in(client, make)
    rows = read_csv(exported(app, client, csrf, state="all"))
    assert rows[0]["Thôn, bản"].startswith("'=") and rows[0]["Họ và tên"] == "'@SUM(A1)"
    response = exported(app, client, csrf, "xlsx", state="all")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "@SUM(A1)" and c.data_type == "s" for c in cells)
    assert b"<f>" not in _sheet_xml(response.data)


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return b"".join(book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/"))


def test_export_is_for_staff_only(client, make):
    csrf = sign_in(client, make, Role.COLLECTOR)
    assert client.get("/review/export.csv").status_code == 403
    assert client.post("/review/export.csv", data={"csrf_token": csrf}).status_code == 403
