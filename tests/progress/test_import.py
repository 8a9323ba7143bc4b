"""Targets and quotas from CSV: every row or none, with an error per bad row."""

from datetime import date

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.progress.models import AreaKind, Measure, Period, Quota, Target
from tests.progress.helpers import sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

GOOD = """kind,code,amount,deadline,measure,period
district,384,32.736,20/12/2026,,
commune,14845,"12,000",2026-12-20,verified,
province,38,120000,2027-06-30,,
quota,thuthap,40,,collected,day
"""

BAD = """kind,code,amount,deadline,measure,period
commune,14845,12000,2026-12-20,,
commune,99999,100,2026-12-20,,
district,384,-5,2026-12-20,,
commune,14857,100,31/02/2026,,
quota,nobody,40,,,day
quota,thuthap,40,,,fortnight
commune,14845,500,2026-12-31,,
"""


def rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def collector(make):
    return make.user("collector", "14845", username="thuthap")


def test_cli_imports_every_row(app, collector, tmp_path):
    path = tmp_path / "chi-tieu.csv"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["targets", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 3 target(s) and 1 quota(s)" in result.output
    district = db.session.scalar(select(Target).where(Target.area_kind == AreaKind.DISTRICT))
    assert (district.area_code, district.amount, district.deadline) == ("384", 32736, date(2026, 12, 20))
    assert district.province_code == "38"
    commune = db.session.scalar(select(Target).where(Target.area_kind == AreaKind.COMMUNE))
    assert commune.amount == 12000 and commune.measure is Measure.VERIFIED
    quota = db.session.scalar(select(Quota))
    assert (quota.user_id, quota.period, quota.amount) == (collector.id, Period.DAY, 40)


def test_cli_reports_every_bad_row_and_imports_nothing(app, collector, tmp_path):
    path = tmp_path / "chi-tieu.csv"
    path.write_text(BAD, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["targets", "import", str(path)])
    assert result.exit_code != 0
    assert "nothing imported: 6 bad row(s)" in result.output
    assert "line 3: Không có xã nào mã «99999»." in result.output
    assert "line 4: Số lượng phải là số nguyên dương" in result.output
    assert "line 5: Hạn hoàn thành «31/02/2026» không hợp lệ" in result.output
    assert "line 6: Không có cán bộ thu thập hoặc công chức «nobody»." in result.output
    assert "line 7: «fortnight» không hợp lệ" in result.output
    assert "line 8: Trùng với dòng 2." in result.output
    db.session.rollback()
    assert rows(Target) == 0 and rows(Quota) == 0


def test_cli_refuses_a_file_without_the_needed_columns(app, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("ma,so\n14845,10\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["targets", "import", str(path)])
    assert result.exit_code != 0
    assert "line 1: Thiếu cột: Loại, Số hồ sơ." in result.output


def upload(client, token, text):
    from io import BytesIO

    return client.post(
        "/progress/targets/import",
        data={"csrf_token": token, "file": (BytesIO(text.encode("utf-8")), "chi-tieu.csv")},
        content_type="multipart/form-data",
        headers={"Accept-Language": "vi"},
    )


def test_web_import_shows_the_bad_rows_and_keeps_nothing(client, make, collector):
    token = sign_in(client, make.user("manager", "38"))
    response = upload(client, token, BAD)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Không nhập dòng nào: tệp có 6 dòng lỗi." in html
    assert "Trùng với dòng 2." in html
    assert rows(Target) == 0


def test_web_import_stays_inside_the_managers_area(client, make, collector):
    token = sign_in(client, make.user("manager", "01"))  # Hà Nội
    response = upload(client, token, "kind,code,amount,deadline\ncommune,14845,100,2026-12-20\n")
    assert response.status_code == 422
    assert "không thuộc địa bàn được giao cho bạn" in response.get_data(as_text=True)
    assert rows(Target) == 0


def test_web_import_of_a_good_file(client, make, collector):
    token = sign_in(client, make.user("manager", "38"))
    response = upload(client, token, GOOD)
    assert response.status_code == 302
    assert rows(Target) == 3 and rows(Quota) == 1


def test_web_import_reads_old_mac_line_ends(client, make, collector):
    """Regression (found by fuzzing the form): a lone carriage return ended in a 500."""
    token = sign_in(client, make.user("manager", "38"))
    response = upload(client, token, GOOD.replace("\n", "\r"))
    assert response.status_code == 302
    assert rows(Target) == 3 and rows(Quota) == 1


def test_web_import_of_a_file_that_is_not_csv_is_refused_with_its_line(client, make, collector):
    token = sign_in(client, make.user("manager", "38"))
    huge_field = "kind,code,amount,deadline\ncommune,14845,100,2026-12-20\ncommune," + "1" * 200_000
    response = upload(client, token, huge_field)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Không nhập dòng nào: tệp có 1 dòng lỗi." in html
    assert "Dòng này không đúng định dạng CSV." in html
    assert rows(Target) == 0
