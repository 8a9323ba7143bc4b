"""The record's history: every version's field changes in the form's words, the log as sentences."""

import pytest
from flask_babel import refresh

from tests.review.conftest import sign_in
from tests.review.test_record_page import act, edit
from tests.support.builders import household_data, item

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def resubmitted(office, make) -> str:
    """A household returned by the clerk, then corrected on the phone: the wife's date of birth."""
    record = item("household")
    assert make.push(office.collector_token, [record]).get_json()["results"][0]["status"] == "created"
    clerk = office.staff_token()
    office.review(clerk, record["id"], "start")
    office.review(clerk, record["id"], "return", comment="Ngày sinh của vợ chưa khớp sổ hộ khẩu")
    data = household_data()
    data["members"][1]["date_of_birth"] = "1983-08-12"
    fixed = {**record, "data": data, "base_version": 1}
    assert make.push(office.collector_token, [fixed]).get_json()["results"][0]["status"] == "updated"
    return record["id"]


def history_section(html: str) -> str:
    return html[html.index('id="history-title"') :]


def test_collector_resubmission_shows_the_changed_field_old_and_new(client, make, office):
    record_id = resubmitted(office, make)
    sign_in(client, make)
    html = history_section(client.get(f"/review/records/{record_id}").get_data(as_text=True))
    assert "Phiên bản 2" in html and "Cán bộ thu thập sửa và gửi lại" in html
    label = "Thành viên 2 · Ngày, tháng, năm sinh"
    assert f'{label}</th><td class="old">1983</td><td class="new">12/08/1983</td>' in html


def test_the_log_reads_as_sentences_without_internal_keys(client, make, office):
    record_id = resubmitted(office, make)
    sign_in(client, make)
    html = history_section(client.get(f"/review/records/{record_id}").get_data(as_text=True))
    for internal in ("record.", "in_review", "submitted", "returned", "→"):
        assert internal not in html
    assert "gửi hồ sơ lên." in html
    assert "trả lại hồ sơ để cán bộ thu thập bổ sung. Lý do: Ngày sinh của vợ chưa khớp sổ hộ khẩu" in html
    assert "sửa và gửi lại hồ sơ (phiên bản 2)." in html
    assert "Hồ sơ đã bổ sung được gửi lại để rà soát. Trạng thái: Đã tiếp nhận." in html


def test_clerk_edit_shows_words_not_codes(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    assert edit(client, record_id, csrf, 1, **{"members.0.ethnicity": "06"}).status_code == 302
    html = history_section(client.get(f"/review/records/{record_id}").get_data(as_text=True))
    assert "Cán bộ xã sửa" in html
    change = 'Thành viên 1 · Dân tộc</th><td class="old">Hmông (Mông)</td><td class="new">Mường</td>'
    assert change in html
    assert "sửa dữ liệu (phiên bản 2)." in html


def test_register_keyed_record_says_where_it_came_from(client, make):
    from fieldapp.review import books, keying

    clerk = make.user("clerk")
    book = books.create_book(clerk, {"type": "birth", "year": 1998, "book_number": "01", "entries_total": 2})
    typed = {"child.full_name": "Lò Thị Ún", "child.sex": "female", "child.date_of_birth": "03021998",
             "child.ethnicity": "03", "mother.full_name": "Hà Thị Pâng", "village": "Bản Lát"}  # fmt: skip
    record_id, errors, _message = keying.key_entry(clerk, book, 3, "7", typed)
    assert record_id, errors
    from fieldapp.extensions import db

    db.session.commit()
    sign_in(client, make)
    html = history_section(client.get(f"/review/records/{record_id}").get_data(as_text=True))
    assert "Phiên bản 1" in html and "Nhập từ sổ đăng ký" in html


def test_the_log_is_in_english_for_an_english_user(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    act(client, record_id, csrf, "verify")
    refresh()  # the test's app context outlives requests: forget the language the last one chose
    html = history_section(client.get(f"/review/records/{record_id}?lang=en").get_data(as_text=True))
    assert "sent the record in." in html
    assert "confirmed the record matches the register." in html
    assert "gửi hồ sơ" not in html
