"""Batch printing: every receipt of a village (or of a queue filter) in one PDF, a page per receipt."""

import pytest

from fieldapp.accounts.models import Role
from fieldapp.records.states import Action
from tests.receipts.conftest import blank_mm_below_the_content, move, push_household, read_pdf, sign_in
from tests.support.builders import TRUNG_LY

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def village_codes(make, collector_token) -> dict[str, list[dict]]:
    return {
        "Bản Pù Toong": [
            push_household(make, collector_token, head=n) for n in ("Lò Văn A", "Hà Thị B", "Vi Văn C")
        ],
        "Bản Lát": [push_household(make, collector_token, head="Cầm Thị D", village="Bản Lát")],
    }


def test_a_village_prints_as_one_pdf_with_a_page_per_receipt(client, clerk, village_codes):
    sign_in(client, clerk)
    response = client.get("/receipts/batch.pdf", query_string={"commune": "14845", "village": "Bản Pù Toong"})
    assert response.status_code == 200
    pages = read_pdf(response.get_data())
    expected = {f"http://fieldapp.test/r/{a['receipt_code']}" for a in village_codes["Bản Pù Toong"]}
    assert len(pages) == 3
    assert {qr for page in pages for qr in page.qr} == expected
    assert all(len(page.qr) == 1 and "Bản Pù Toong" in page.text for page in pages)


def test_a_thermal_batch_cuts_each_receipt_where_it_ends(client, clerk, village_codes):
    sign_in(client, clerk)
    query = {"commune": "14845", "village": "Bản Pù Toong", "format": "thermal"}
    pages = blank_mm_below_the_content(client.get("/receipts/batch.pdf", query_string=query).get_data())
    assert len(pages) == 3
    assert all(height < 200 and blank < 6 for height, blank in pages), pages


def test_the_queue_filter_narrows_the_batch(client, clerk, village_codes):
    returned = village_codes["Bản Pù Toong"][1]
    move(returned["id"], clerk, Action.START, Action.RETURN, comment="Thiếu giấy tờ")
    sign_in(client, clerk)
    response = client.get("/receipts/batch.pdf", query_string={"state": "returned", "format": "thermal"})
    [page] = read_pdf(response.get_data())
    assert page.qr == [f"http://fieldapp.test/r/{returned['receipt_code']}"]
    assert round(page.width_mm) == 80


def test_the_batch_page_lists_the_villages_to_print(client, clerk, village_codes):
    sign_in(client, clerk)
    page = client.get("/receipts/batch").get_data(as_text=True)
    assert "Bản Pù Toong" in page and "Bản Lát" in page
    assert 'name="village" value="Bản Lát"' in page and 'action="/receipts/batch"' in page


def test_another_communes_clerk_prints_nothing_of_ours(client, make, village_codes):
    sign_in(client, make.user(Role.CLERK, TRUNG_LY))
    assert client.get("/receipts/batch.pdf", query_string={"commune": "14845"}).status_code == 404
    assert "Bản Pù Toong" not in client.get("/receipts/batch").get_data(as_text=True)


def test_a_batch_over_the_limit_asks_to_narrow_it(app, client, clerk, village_codes):
    app.config["RECEIPT_BATCH_MAX"] = 2
    sign_in(client, clerk)
    response = client.get("/receipts/batch.pdf", headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert "Quá 2 biên nhận" in response.get_json()["message"]


def test_dates_filter_on_the_day_of_the_visit_in_vietnam(client, clerk, village_codes):
    sign_in(client, clerk)
    # the builders capture at 2025-11-20 09:30 +07:00
    same_day = client.get(
        "/receipts/batch.pdf", query_string={"date_from": "2025-11-20", "date_to": "2025-11-20"}
    )
    assert len(read_pdf(same_day.get_data())) == 4
    next_day = client.get("/receipts/batch.pdf", query_string={"date_from": "2025-11-21"})
    assert next_day.status_code == 404
    backwards = client.get(
        "/receipts/batch.pdf",
        query_string={"date_from": "2025-11-21", "date_to": "2025-11-20"},
        headers={"Accept": "application/json"},
    )
    assert backwards.status_code == 422


def test_a_big_batch_rendered_in_two_processes_is_one_pdf_in_order(app, client, clerk, village_codes):
    sign_in(client, clerk)
    query = {"village": "Bản Pù Toong"}
    one_process = read_pdf(client.get("/receipts/batch.pdf", query_string=query).get_data())
    app.config.update(RECEIPT_RENDER_PROCESSES=2, RECEIPT_PARALLEL_MIN=2)
    two_processes = read_pdf(client.get("/receipts/batch.pdf", query_string=query).get_data())
    assert len(two_processes) == 3
    assert [page.qr for page in two_processes] == [page.qr for page in one_process]
    assert [page.text for page in two_processes] == [page.text for page in one_process]
    assert all(page.fonts == {"Receipt-Sans", "Receipt-Sans-Bold"} for page in two_processes)
