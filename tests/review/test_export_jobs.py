"""The queue's export as a background job: the button posts the filters, the job page counts the rows
written, the file is its owner's (in the area it was asked in), and a failure is told in words."""

import csv
import io

import pytest
from flask import g

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.jobs import services as jobs
from fieldapp.jobs.models import Job
from fieldapp.jobs.queue import job_queue, run_queued_jobs
from fieldapp.review import exports
from tests.receipts.conftest import sign_in
from tests.review.conftest import csrf_from
from tests.support.builders import MUONG_LAT, TRUNG_LY, household_data
from tests.support.jobs import progress_reports, run_job


@pytest.fixture
def clerk(make):
    return make.user(Role.CLERK, MUONG_LAT, full_name="Cán bộ Mường Lát")


def csrf(client) -> str:
    g.pop("csrf_token", None)
    return csrf_from(client.get("/review/").get_data(as_text=True))


def ask(client, fmt: str = "csv", **filters: str):
    return client.post(f"/review/export.{fmt}", data={"csrf_token": csrf(client), **filters})


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]


def test_the_queue_button_posts_its_filters_and_the_job_counts_rows_written(
    app, client, office, clerk, monkeypatch
):
    for village in ("Bản Pù Toong", "Bản Pù Toong", "Bản Lát"):
        office.push("household", data=household_data(village=village))  # three people each
    sign_in(client, clerk)
    queue = client.get("/review/?state=all&village=Bản+Pù+Toong").get_data(as_text=True)
    form = queue.split('id="export-form"')[1].split("</form>")[0]
    assert 'name="village" value="Bản Pù Toong"' in form and 'name="state" value="all"' in form
    assert 'formaction="/review/export.csv"' in form

    reports = progress_reports(monkeypatch)
    monkeypatch.setattr(exports, "CHUNK", 1)  # a record a chunk: a report after each
    job_page = ask(client, "csv", state="all", village="Bản Pù Toong").headers["Location"]
    assert "Đang chờ đến lượt" in client.get(job_page).get_data(as_text=True)
    assert run_queued_jobs(app) == 1

    assert reports == [(0, 6), (3, 6), (6, 6)]  # rows written / rows in all
    status = client.get(f"{job_page}.json").get_json()
    assert (status["state"], status["done"], status["total"], status["percent"]) == ("done", 6, 6, 100)
    page = client.get(job_page).get_data(as_text=True)
    assert "Tệp đã sẵn sàng" in page and f'href="{job_page}/file"' in page
    rows = csv_rows(client.get(f"{job_page}/file").data)
    assert len(rows) == 6 and {row[13] for row in rows} == {"Bản Pù Toong"}


def test_the_old_address_shows_the_selection_and_asks_before_it_exports(app, client, office, clerk):
    office.push("household")
    sign_in(client, clerk)
    page = client.get("/review/export.xlsx?state=verified&type=household&from=2025-03-01&q=páo")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    selection = html.split('class="selection"')[1].split("</dl>")[0]
    for words in ("Xã Mường Lát", "Đã đối chiếu", "Hộ gia đình", "01/03/2025", "páo"):
        assert words in selection
    assert "2025-03-01" not in selection and "verified" not in selection and "household" not in selection
    assert 'id="export-count">0<' in selection  # nothing verified yet
    form = html.split('id="export-form"')[1].split("</form>")[0]
    assert 'action="/review/export.xlsx"' in html and 'name="csrf_token"' in form
    assert 'name="from" value="2025-03-01"' in form and 'name="q" value="páo"' in form
    assert db.session.query(Job).count() == 0 and job_queue(app).huey.pending_count() == 0
    assert client.get("/review/export.pdf").status_code == 404


def test_a_job_and_its_file_are_the_owners_and_only_in_the_area_asked_in(app, client, make, office, clerk):
    office.push("household")
    sign_in(client, clerk)
    job_page = run_job(app, ask(client, state="all"))
    assert client.get(f"{job_page}/file").status_code == 200
    sign_in(client, make.user(Role.CLERK, MUONG_LAT))  # a colleague of the same commune
    for suffix in ("", ".json", "/file"):
        assert client.get(f"{job_page}{suffix}").status_code == 404
    clerk.area_code = TRUNG_LY  # moved to another commune: yesterday's export is no longer theirs to read
    db.session.commit()
    sign_in(client, clerk)
    for suffix in ("", ".json", "/file"):
        assert client.get(f"{job_page}{suffix}").status_code == 404
    assert "Xuất danh sách hồ sơ" not in client.get("/jobs/").get_data(as_text=True)


def test_a_clerk_moved_before_the_job_ran_gets_no_file_and_is_told_why(app, client, office, clerk):
    office.push("household")
    sign_in(client, clerk)
    answer = ask(client, state="all")
    job = db.session.get(Job, answer.headers["Location"].rsplit("/", 1)[1])
    clerk.area_code = TRUNG_LY
    db.session.commit()
    run_queued_jobs(app)
    db.session.expire_all()
    assert job.state.value == "failed" and not job.filename
    with app.test_request_context():
        assert "địa bàn của bạn đã đổi" in jobs.failure_text(job)


def test_an_export_with_nothing_in_it_fails_in_words(app, client, clerk):
    sign_in(client, clerk)
    job_page = run_job(app, ask(client, "xlsx", state="all"))
    status = client.get(f"{job_page}.json").get_json()
    assert status["state"] == "failed" and status["message"] == "Không có gì khớp với lựa chọn này."
    assert client.get(f"{job_page}/file").status_code == 404


def test_an_unexpected_failure_is_told_in_words_never_as_a_trace(app, client, office, clerk, monkeypatch):
    office.push("household")

    def broken(*args, **kwargs):
        raise RuntimeError("disk quota exceeded in /srv/fieldapp")

    monkeypatch.setitem(exports.WRITERS, "csv", broken)
    sign_in(client, clerk)
    job_page = run_job(app, ask(client, state="all"))
    status = client.get(f"{job_page}.json").get_json()
    page = client.get(job_page).get_data(as_text=True)
    assert status["state"] == "failed"
    assert status["message"].startswith("Có lỗi không mong đợi; hãy chạy lại.")
    for text in (status["message"], page):
        assert "RuntimeError" not in text and "quota" not in text and "Traceback" not in text


def test_a_bad_format_is_not_found(client, clerk):
    sign_in(client, clerk)
    assert ask(client, "pdf").status_code == 404
