"""Exports: CSV with BOM and Excel, filtered like the queue, Vietnamese headers, read back."""

import csv
import io

from openpyxl import load_workbook

from fieldapp.accounts.models import Role
from tests.review.conftest import newborn, sign_in
from tests.support.builders import TRUNG_LY


def test_csv_has_bom_vietnamese_headers_and_the_filtered_rows(client, make, office):
    office.push("household")
    office.push("birth", data=newborn("Lò Thị Ún"))
    sign_in(client, make)
    response = client.get("/review/export.csv?type=birth&state=all")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Mã biên nhận", "Loại hồ sơ", "Trạng thái", "Họ và tên"]
    assert [r[3] for r in rows[1:]] == ["Lò Thị Ún"]
    assert rows[1][1] == "Khai sinh" and rows[1][2] == "Đã tiếp nhận"


def test_excel_reads_back_with_openpyxl(client, make, office):
    office.push("household")
    office.push("birth", data=newborn("Lò Thị Ún"))
    other = office.make.token(office.make.user(Role.COLLECTOR, TRUNG_LY))
    office.push("birth", token=other, data=newborn("Hà Văn Xa", commune=TRUNG_LY))
    sign_in(client, make)
    response = client.get("/review/export.xlsx?state=all")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "Họ và tên" and rows[0][6] == "Số định danh cá nhân"
    names = [r[3] for r in rows[1:]]
    assert names == ["Giàng A Páo", "Lò Thị Ún"]  # Vietnamese order, own commune only
    head = next(r for r in rows[1:] if r[3] == "Giàng A Páo")
    assert head[6] == "038080001234" and head[5] == "Nam"


def test_export_is_for_staff_only(client, make):
    sign_in(client, make, Role.COLLECTOR)
    assert client.get("/review/export.csv").status_code == 403
