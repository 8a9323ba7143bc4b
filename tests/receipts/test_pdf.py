"""Receipt PDFs: the QR leads to the status page, Vietnamese survives in the text layer, area scoping."""

import re

import pytest

from fieldapp.accounts.models import Role
from fieldapp.receipts.codes import display_code
from tests.receipts.conftest import blank_mm_below_the_content, push_household, read_pdf, sign_in
from tests.support.builders import MUONG_LAT, THANH_HOA, TRUNG_LY

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def assert_receipt_of(response, code: str, name: str, other_name: str) -> None:
    """The body is the receipt of that record: its code, its QR and its household's name, no other's."""
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    [page] = read_pdf(response.get_data())
    # the code may wrap at its hyphen when its letters are wide (WEJ..M): read it without line breaks
    assert display_code(code) in "".join(page.text.split())
    assert page.qr == [f"http://fieldapp.test/r/{code}"]
    assert name in page.text
    assert other_name not in page.text


def test_an_a5_receipt_has_a_qr_to_the_status_page_and_intact_vietnamese(
    client, make, collector_token, clerk
):
    code = push_household(make, collector_token, head="Nguyễn Thị Hoà")["receipt_code"]
    sign_in(client, clerk)
    response = client.get(f"/receipts/{code}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    [page] = read_pdf(response.get_data())
    assert page.qr == [f"http://fieldapp.test/r/{code}"]
    assert round(page.width_mm) == 148
    for text in (
        "Nguyễn Thị Hoà",
        "Thanh Hóa",
        "Xã Mường Lát",
        "GIẤY BIÊN NHẬN",
        "Bản Pù Toong",
        display_code(code),
    ):
        assert text in page.text
    assert "Khi đến xã, mang theo:" in page.text
    assert "Căn cước" in page.text


@pytest.mark.parametrize("paper", ["a5", "thermal"])
def test_a_unit_is_named_once_with_its_type(client, make, collector_token, clerk, paper):
    code = push_household(make, collector_token)["receipt_code"]
    sign_in(client, clerk)
    [page] = read_pdf(client.get(f"/receipts/{code}.pdf?format={paper}").get_data())
    assert "Bản Pù Toong, Xã Mường Lát, Tỉnh Thanh Hóa" in " ".join(page.text.split())
    assert not re.search(r"(Xã|Thôn, bản|Tỉnh):\s*(Xã|Bản|Tỉnh) ", page.text)  # not "Xã: Xã Mường Lát"


def test_the_qr_opens_the_public_status_page(client, make, collector_token, clerk):
    code = push_household(make, collector_token)["receipt_code"]
    sign_in(client, clerk)
    [page] = read_pdf(client.get(f"/receipts/{code}.pdf").get_data())
    path = page.qr[0].removeprefix("http://fieldapp.test")
    status = make.client.get(path)
    assert status.status_code == 200
    assert "Đã tiếp nhận" in status.get_data(as_text=True)


def test_a_thermal_receipt_is_80_mm_wide(client, make, collector_token, clerk):
    code = push_household(make, collector_token)["receipt_code"]
    sign_in(client, clerk)
    [page] = read_pdf(client.get(f"/receipts/{code}.pdf?format=thermal").get_data())
    assert round(page.width_mm) == 80
    assert page.qr == [f"http://fieldapp.test/r/{code}"]
    assert "Mường Lát" in page.text


def test_a_thermal_receipt_ends_where_its_content_ends(client, make, collector_token, clerk):
    from fieldapp.extensions import db
    from fieldapp.receipts import services

    code = push_household(make, collector_token, head="Lò Văn A")["receipt_code"]
    sign_in(client, clerk)
    ((short_height, short_blank),) = blank_mm_below_the_content(
        client.get(f"/receipts/{code}.pdf?format=thermal").get_data()
    )
    assert short_blank < 6  # the roll's 3 mm margin and a little: no blank third of a page
    assert 90 < short_height < 200

    address = "Bản Pù Toong, xã Mường Lát, tỉnh Thanh Hóa; " * 4
    services.set_office(MUONG_LAT, address=address, phone="0237 3 888 999", hours="7 giờ - 17 giờ")
    db.session.commit()
    body = client.get(f"/receipts/{code}.pdf?format=thermal").get_data()
    ((long_height, long_blank),) = blank_mm_below_the_content(body)
    assert long_blank < 6 and long_height > short_height + 10  # more to say, a longer page, whole
    [page] = read_pdf(body)
    assert "7 giờ - 17 giờ" in page.text and page.qr == [f"http://fieldapp.test/r/{code}"]


def test_the_receipt_font_is_the_shipped_vietnamese_font(client, make, collector_token, clerk):
    code = push_household(make, collector_token, head="Đặng Thị Ượng")["receipt_code"]
    sign_in(client, clerk)
    [page] = read_pdf(client.get(f"/receipts/{code}.pdf").get_data())
    # every letter drawn with the shipped font: no fallback was needed for any Vietnamese letter
    assert page.fonts == {"Receipt-Sans", "Receipt-Sans-Bold"}
    assert "Đặng Thị Ượng" in page.text


def test_the_status_link_uses_the_request_host_without_public_base_url(app, client, make, collector_token):
    app.config["PUBLIC_BASE_URL"] = ""
    code = push_household(make, collector_token)["receipt_code"]
    response = client.get(
        f"/receipts/{code}.pdf", base_url="https://xa.example", headers=make.headers(collector_token)
    )
    assert read_pdf(response.get_data())[0].qr == [f"https://xa.example/r/{code}"]


def test_a_collector_prints_their_own_receipt_with_a_bearer_token(client, make, collector_token):
    code = push_household(make, collector_token, head="Lò Văn Pọm")["receipt_code"]
    push_household(make, collector_token, head="Hà Thị Nọi")
    response = client.get(f"/receipts/{code}.pdf", headers=make.headers(collector_token))
    assert_receipt_of(response, code, "Lò Văn Pọm", other_name="Hà Thị Nọi")


def test_another_collector_of_the_commune_gets_404(client, make, collector_token):
    code = push_household(make, collector_token)["receipt_code"]
    other = make.collector_token()
    assert client.get(f"/receipts/{code}.pdf", headers=make.headers(other)).status_code == 404


def test_staff_of_another_commune_get_404_and_the_province_sees_it(client, make, collector_token):
    code = push_household(make, collector_token, head="Lò Văn Pọm")["receipt_code"]
    push_household(make, collector_token, head="Hà Thị Nọi")
    sign_in(client, make.user(Role.CLERK, TRUNG_LY))
    refused = client.get(f"/receipts/{code}.pdf")
    assert refused.status_code == 404
    assert refused.mimetype != "application/pdf" and "Lò Văn Pọm" not in refused.get_data(as_text=True)
    sign_in(client, make.user(Role.MANAGER, THANH_HOA))
    assert_receipt_of(client.get(f"/receipts/{code}.pdf"), code, "Lò Văn Pọm", other_name="Hà Thị Nọi")


def test_printing_needs_a_signed_in_user(client, make, collector_token):
    code = push_household(make, collector_token)["receipt_code"]
    anonymous = client.get(f"/receipts/{code}.pdf")
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]
    assert client.get(f"/receipts/{code}.pdf", headers=make.headers("not-a-token")).status_code == 401


def test_unknown_codes_and_formats_are_refused(client, make, collector_token, clerk):
    code = push_household(make, collector_token)["receipt_code"]
    sign_in(client, clerk)
    assert client.get("/receipts/ABCDE23456.pdf").status_code == 404
    wrong_format = client.get(f"/receipts/{code}.pdf?format=a4", headers={"Accept": "application/json"})
    assert wrong_format.status_code == 422
    assert wrong_format.get_json()["errors"] == {"format": ["Khổ giấy là a5 hoặc thermal."]}
