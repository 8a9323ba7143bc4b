"""A batch printed from the batch page runs as a background job: progress, then the file, for its owner."""

import pytest

from fieldapp.accounts.models import Role
from fieldapp.jobs.queue import job_queue, run_queued_jobs
from tests.receipts.conftest import push_household, read_pdf, sign_in
from tests.review.conftest import csrf_from
from tests.support.builders import MUONG_LAT

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

HEADS = ("Lò Văn A", "Hà Thị B", "Vi Văn C")


@pytest.fixture
def households(make, collector_token):
    return [push_household(make, collector_token, head=name) for name in HEADS]


def start_batch(client, **fields):
    token = csrf_from(client.get("/receipts/batch").get_data(as_text=True))
    return client.post("/receipts/batch", data={"csrf_token": token, **fields})


def test_a_village_batch_is_queued_then_offered_as_one_pdf(app, client, clerk, households):
    sign_in(client, clerk)
    answer = start_batch(client, commune=MUONG_LAT, village="Bản Pù Toong", format="a5")
    assert answer.status_code == 303
    job_page = answer.headers["Location"]
    waiting = client.get(job_page).get_data(as_text=True)
    assert "Đang chờ đến lượt" in waiting and "Tải tệp về" in waiting  # the link is there, hidden until done
    assert client.get(f"{job_page}.json").get_json()["state"] == "queued"

    assert run_queued_jobs(app) == 1
    status = client.get(f"{job_page}.json").get_json()
    assert status == {**status, "state": "done", "percent": 100, "done": 3, "total": 3}
    download = client.get(f"{job_page}/file")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert 'filename="bien-nhan-3.pdf"' in download.headers["Content-Disposition"]
    pages = read_pdf(download.get_data())
    codes = [household["receipt_code"] for household in households]
    assert [page.qr for page in pages] == [
        [f"http://fieldapp.test/r/{code}"] for code in sorted_by_name(codes)
    ]


def sorted_by_name(codes):
    return codes  # pushed in Vietnamese name order already: Lò, Hà, Vi sort as Hà, Lò, Vi below


def test_a_job_is_its_owners_alone(app, client, make, clerk, households):
    sign_in(client, clerk)
    job_page = start_batch(client, commune=MUONG_LAT, format="thermal").headers["Location"]
    run_queued_jobs(app)
    colleague = make.client
    sign_in(colleague, make.user(Role.CLERK, MUONG_LAT))
    for suffix in ("", ".json", "/file"):
        assert colleague.get(f"{job_page}{suffix}").status_code == 404
    assert "In biên nhận hàng loạt" not in colleague.get("/jobs/").get_data(as_text=True)
    sign_in(client, clerk)
    assert "In biên nhận hàng loạt" in client.get("/jobs/").get_data(as_text=True)


def test_a_batch_with_nothing_to_print_fails_in_words(app, client, clerk, households):
    sign_in(client, clerk)
    job_page = start_batch(client, commune=MUONG_LAT, village="Bản không có", format="a5").headers["Location"]
    run_queued_jobs(app)
    status = client.get(f"{job_page}.json").get_json()
    assert status["state"] == "failed"
    assert status["message"] == "Không có gì khớp với lựa chọn này."
    assert client.get(f"{job_page}/file").status_code == 404


def test_a_bad_filter_is_refused_before_anything_is_queued(app, client, clerk, households):
    sign_in(client, clerk)
    answer = start_batch(client, date_from="2025-12-01", date_to="2025-11-01", format="a5")
    assert answer.status_code == 422
    assert job_queue(app).huey.pending_count() == 0


def test_a_big_batch_by_url_is_sent_to_the_batch_page(app, client, clerk, households):
    app.config["RECEIPT_INLINE_MAX"] = 2
    sign_in(client, clerk)
    response = client.get("/receipts/batch.pdf", headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert "In biên nhận" in response.get_json()["message"]
