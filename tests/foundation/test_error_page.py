"""An office error page is never a dead end and shows no internal names: the reason in Vietnamese, the
field's message without its key, and a way back (the page the user came from, on this site, or home)."""

import pytest

from fieldapp.accounts.models import Role
from tests.review.conftest import sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
BAD = "/receipts/batch.pdf?date_from=31/02/2024"
CAME_FROM = "http://localhost/receipts/batch"


def test_the_reason_is_shown_without_the_fields_internal_name(client, make):
    sign_in(client, make, Role.CLERK)
    response = client.get(BAD)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<h1>Dữ liệu chưa hợp lệ; xem chi tiết từng trường.</h1>" in html
    assert "<li>Ngày 31 không hợp lệ: tháng 2 năm 2024 có 29 ngày</li>" in html
    assert "date_from" not in html.split('<main id="main"', 1)[1]
    assert "<h1>422</h1>" not in html


@pytest.mark.parametrize(
    ("referrer", "link", "words"),
    [
        (None, 'href="/"', "« Về trang chủ"),
        (CAME_FROM, f'href="{CAME_FROM}"', "« Quay lại trang trước"),
        ("https://elsewhere.example/x", 'href="/"', "« Về trang chủ"),
    ],
)
def test_the_error_page_leads_back(client, make, referrer, link, words):
    sign_in(client, make, Role.CLERK)
    headers = {"Referer": referrer} if referrer else {}
    html = client.get(BAD, headers=headers).get_data(as_text=True)
    assert f'<a {link} id="back">{words}</a>' in html
