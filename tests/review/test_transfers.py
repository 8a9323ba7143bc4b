"""The hand-off: national-layout exports per event type, and the bulk import of the official numbers
(a background job: tests run it where the worker would; see also test_transfer_jobs.py)."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.audit import AuditEntry
from fieldapp.records.models import Record
from tests.review.conftest import newborn, sign_in
from tests.support.builders import TRUNG_LY, death_data
from tests.support.jobs import run_job

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def verify(office, token, record_id):
    for action in ("start", "verify"):
        assert office.review(token, record_id, action).status_code == 200


@pytest.fixture
def ready(office):
    """Two verified births and one submitted death in Mường Lát; their receipt codes."""
    clerk = office.staff_token()
    ids = [office.push("birth", data=newborn(name)) for name in ("Lò Thị Ún", "Lò Văn Pọm")]
    for record_id in ids:
        verify(office, clerk, record_id)
    waiting = office.push("death", data=death_data())
    records = [db.session.get(Record, i) for i in [*ids, waiting]]
    return [(r.id, r.receipt_code) for r in records]


def upload(client, csrf, text, name="ket-qua.csv"):
    data = {"csrf_token": csrf, "file": (io.BytesIO(text.encode("utf-8")), name, "text/csv")}
    return client.post("/review/handoff/import", data=data, content_type="multipart/form-data")


def imported(app, client, csrf, text) -> str:
    """The job page once the import has run."""
    return client.get(run_job(app, upload(client, csrf, text))).get_data(as_text=True)


def transferred():
    return db.session.scalar(select(func.count()).where(Record.state == "transferred"))


def test_import_marks_every_row_transferred_and_twice_changes_nothing(app, client, make, ready):
    (first, code1), (second, _code2), _ = ready
    csrf = sign_in(client, make)
    dashed = f"{code1[:5]}-{code1[5:]}"
    text = f"Mã biên nhận,Số đăng ký,Ngày đăng ký\n{dashed},15/2024,03/01/2024\n{second},16/2024,2024-01-03\n"
    assert "Đã đánh dấu 2 hồ sơ là đã chuyển" in imported(app, client, csrf, text)
    db.session.expire_all()
    record = db.session.get(Record, first)
    assert record.state.value == "transferred"
    assert (record.registration_number, record.registration_date) == ("15/2024", date(2024, 1, 3))
    logged = db.session.scalar(select(func.count()).where(AuditEntry.action == "record.transfer"))
    again = imported(app, client, csrf, text)
    assert "0 hồ sơ là đã chuyển; 2 hồ sơ đã có sẵn số" in again
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "record.transfer")) == logged


def test_one_bad_row_changes_nothing_and_every_bad_row_is_named(app, client, make, ready):
    (first, _c1), (second, _c2), (waiting, _c3) = ready
    csrf = sign_in(client, make)
    text = (
        "Mã hồ sơ;Số đăng ký;Ngày đăng ký\n"
        f"{first};15/2024;03/01/2024\n"
        f"{second};;03/01/2024\n"
        f"{waiting};17/2024;03/01/2024\n"
        "KHONG-CO;18/2024;31/02/2024\n"
        "ZZZZZ-ZZZZ;19/2024;03/01/2024\n"
    )
    job_page = run_job(app, upload(client, csrf, text))
    html = client.get(job_page).get_data(as_text=True)
    assert "Chưa nhập gì: 4 trong 5 dòng bị từ chối" in html
    table = html.split('class="refusals"')[1].split("</table>")[0].replace("</td><td>", "|")
    assert "<td>3|" in table and "thiếu số đăng ký." in table
    assert f"<td>4|{waiting}|hồ sơ đang ở trạng thái «Đã tiếp nhận»" in table
    assert "<td>5|KHONG-CO|ngày đăng ký: Ngày 31 không hợp lệ: tháng 2 năm 2024 có 29 ngày." in table
    assert "<td>6|ZZZZZ-ZZZZ|không tìm thấy hồ sơ có mã «ZZZZZ-ZZZZ»" in table
    assert f"<td>2|{first}|" not in table
    assert transferred() == 0
    listed = list(csv.reader(io.StringIO(client.get(f"{job_page}/file").data.decode("utf-8-sig"))))
    assert listed[0] == ["Mã biên nhận", "Số đăng ký", "Ngày đăng ký", "Dòng trong tệp đã nhập", "Lý do"]
    assert [row[3] for row in listed[1:]] == ["3", "4", "5", "6"]
    assert listed[3][:3] == ["KHONG-CO", "18/2024", "31/02/2024"]


def test_a_record_of_another_commune_is_not_found(app, make, ready):
    other_clerk = make.user(Role.CLERK, TRUNG_LY)
    (first, _c1), *_ = ready
    from fieldapp.review.transfers import TransferRefused, import_transfers

    with app.test_request_context(), pytest.raises(TransferRefused) as refused:
        import_transfers(other_clerk, f"Mã hồ sơ,Số đăng ký,Ngày đăng ký\n{first},1,01/01/2024\n")
    assert "Dòng 2: không tìm thấy hồ sơ" in refused.value.errors[0]
    assert transferred() == 0


def test_a_different_number_for_a_transferred_record_is_refused(app, client, make, ready):
    (first, _c1), *_ = ready
    csrf = sign_in(client, make)
    header = "Mã hồ sơ,Số đăng ký,Ngày đăng ký\n"
    assert "Đã đánh dấu 1 hồ sơ" in imported(app, client, csrf, f"{header}{first},1/2024,02/01/2024\n")
    page = imported(app, client, csrf, f"{header}{first},9/2024,02/01/2024\n")
    assert "đã được chuyển với số đăng ký 1/2024 ngày 02/01/2024" in page


def test_a_file_without_the_header_row_fails_saying_what_it_needs(app, client, make, ready):
    csrf = sign_in(client, make)
    job_page = run_job(app, upload(client, csrf, "abc,1,02/01/2024\n"))
    status = client.get(f"{job_page}.json").get_json()
    assert status["state"] == "failed"
    assert status["message"].startswith("Tệp không theo mẫu trả về của hệ thống hộ tịch: dòng 1 phải là")


def test_managers_may_not_import(client, make, ready):
    csrf = sign_in(client, make, Role.MANAGER, "38")
    assert upload(client, csrf, "Mã hồ sơ,Số đăng ký,Ngày đăng ký\n").status_code == 403


def test_cli_imports_all_or_nothing_and_is_idempotent(app, make, ready, tmp_path):
    (first, _c1), (second, _c2), (waiting, _c3) = ready
    clerk = make.user(Role.CLERK)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"Mã hồ sơ,Số đăng ký,Ngày đăng ký\n{first},1/2024,02/01/2024\n{waiting},2,02/01/2024\n")
    result = app.test_cli_runner().invoke(args=["records", "transfer", str(bad), "--user", clerk.username])
    assert result.exit_code != 0 and "Dòng 3:" in result.output
    assert transferred() == 0
    good = tmp_path / "good.csv"
    good.write_text(f"Mã hồ sơ,Số đăng ký,Ngày đăng ký\n{first},1/2024,02/01/2024\n{second},2,02/01/2024\n")
    result = app.test_cli_runner().invoke(args=["records", "transfer", str(good), "--user", clerk.username])
    assert result.exit_code == 0 and "transferred 2 record(s)" in result.output
    result = app.test_cli_runner().invoke(args=["records", "transfer", str(good), "--user", clerk.username])
    assert "transferred 0 record(s); 2 already transferred" in result.output


def test_birth_handoff_export_has_the_national_layout(client, make, ready):
    sign_in(client, make)
    response = client.get("/review/handoff/khai-sinh.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Số", "Quyển số", "Năm của sổ", "Trang", "Ngày đăng ký", "Nơi đăng ký"]
    assert "Mẹ: họ, chữ đệm và tên" in rows[0] and "Cha: nơi cư trú" in rows[0]
    by_name = {row[rows[0].index("Người được khai sinh: họ, chữ đệm và tên")]: row for row in rows[1:]}
    assert set(by_name) == {"Lò Thị Ún", "Lò Văn Pọm"}  # verified ones only
    row = dict(zip(rows[0], by_name["Lò Thị Ún"], strict=True))
    assert row["Người được khai sinh: ngày, tháng, năm sinh"] == "20/05/2023"
    assert row["Người được khai sinh: giới tính"] == "Nữ" and row["Nơi đăng ký"] == "Xã Mường Lát"
    assert row["Mẹ: dân tộc"] == "Thái"


def test_handoff_excel_opens_with_a_filter(client, make, ready):
    sign_in(client, make)
    response = client.get("/review/handoff/khai-sinh.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.endswith("3")
    assert sheet.max_row == 3


def test_handoff_page_counts_what_waits(client, make, ready):
    sign_in(client, make)
    html = client.get("/review/handoff").get_data(as_text=True)
    assert "Khai sinh</th><td>2</td><td>0</td>" in html


def test_handoff_cells_never_start_a_formula(client, make, office):
    record_id = office.push("birth", data=newborn("=Lò Thị Ún", village="@Bản Lát"))
    verify(office, office.staff_token(), record_id)
    sign_in(client, make)
    rows = list(csv.reader(io.StringIO(client.get("/review/handoff/khai-sinh.csv").data.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Người được khai sinh: họ, chữ đệm và tên"] == "'=Lò Thị Ún"
    assert row["Thôn, bản"] == "'@Bản Lát"
    sheet = load_workbook(io.BytesIO(client.get("/review/handoff/khai-sinh.xlsx").data)).active
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
