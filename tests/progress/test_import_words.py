"""A targets file written in Vietnamese (column names and values, with or without diacritics) imports
like one in the format's own words, and its errors name the choices in Vietnamese."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.progress.models import AreaKind, Measure, Period, Quota, Target
from tests.progress.helpers import sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

VIETNAMESE = """Loại,Mã,Số hồ sơ,Hạn,Tính theo,Kỳ
xã,14845,1.000,31/12/2027,Đã đối chiếu,
Huyện cũ,384,500,31122027,,
dinh muc,thuthap,40,,thu thap,mỗi ngày
"""


@pytest.fixture
def collector(make):
    return make.user("collector", "14845", username="thuthap")


def run(app, tmp_path, text):
    path = tmp_path / "chi-tieu.csv"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["targets", "import", str(path)])


def test_a_file_in_vietnamese_imports(app, collector, tmp_path):
    result = run(app, tmp_path, VIETNAMESE)
    assert result.exit_code == 0, result.output
    commune = db.session.scalar(select(Target).where(Target.area_kind == AreaKind.COMMUNE))
    assert (commune.amount, commune.measure, commune.deadline) == (1000, Measure.VERIFIED, date(2027, 12, 31))
    district = db.session.scalar(select(Target).where(Target.area_kind == AreaKind.DISTRICT))
    assert (district.area_code, district.deadline) == ("384", date(2027, 12, 31))
    quota = db.session.scalar(select(Quota))
    assert (quota.user_id, quota.period, quota.measure) == (collector.id, Period.DAY, Measure.COLLECTED)


def test_a_wrong_choice_is_named_with_the_vietnamese_words(app, collector, tmp_path):
    result = run(app, tmp_path, "Loại,Mã,Số hồ sơ,Kỳ\nđịnh mức,thuthap,40,tuần lễ\n")
    assert result.exit_code != 0
    assert "«tuần lễ» không hợp lệ; chọn một trong: mỗi ngày, mỗi tuần, mỗi tháng." in result.output


def test_the_page_explains_the_file_in_vietnamese(client, make):
    sign_in(client, make.user("manager", "38"))
    html = client.get("/progress/targets").get_data(as_text=True)
    assert "Loại (tỉnh, xã, huyện cũ hoặc định mức)" in html
    text = re.sub(r"<[^>]+>", " ", html)  # what is shown, not the options' values
    assert "kind (" not in text and "collected" not in text


def test_the_quota_form_names_where_each_member_works(client, make, collector):
    sign_in(client, make.user("manager", "38"))
    html = client.get("/progress/targets").get_data(as_text=True)
    option = re.search(rf'<option value="{collector.id}">([^<]*)</option>', html).group(1)
    assert option.endswith("(thuthap, Xã Mường Lát)") and "14845" not in option
