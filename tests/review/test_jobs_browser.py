"""In a real browser at the office's 1366x768: the queue's export button leads to the job page, which
offers the file once the worker is done; the answers import's page shows what was transferred, or which
rows were refused and why. The test runs the queued jobs where the worker would.

Screenshots: FIELDAPP_SCREENSHOTS=<folder> keeps the pages as PNGs."""

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.jobs.queue import run_queued_jobs
from fieldapp.records.models import Record
from fieldapp.records.services import transition
from fieldapp.records.states import Action
from tests.support.builders import Builders, household_data, item
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.live import office_app, serving, sign_in, watch

pytestmark = pytest.mark.browser
OFFICE = {"width": 1366, "height": 768}
SCREENSHOTS = os.environ.get("FIELDAPP_SCREENSHOTS")
CLERK = "canbo.muonglat"
HEADER = "Mã biên nhận,Số đăng ký,Ngày đăng ký\n"


@pytest.fixture
def desk(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[object, str, list[str]]]:
    """A live server with three households of Mường Lát, the first one verified; yields the app, its URL,
    and the verified record's id and receipt code."""
    app = office_app(sqlite_template, tmp_path)
    with app.app_context():
        make = Builders(app)
        clerk = make.user(Role.CLERK, username=CLERK)
        villages = ("Bản Pù Toong", "Bản Lát", "Bản Ón")
        records = [item("household", data=household_data(village=v)) for v in villages]
        assert make.push(make.collector_token(), records).status_code == 200
        first = db.session.get(Record, records[0]["id"])
        for action in (Action.START, Action.VERIFY):
            transition(first, action, clerk)
        db.session.commit()
        verified = [first.id, first.receipt_code]
    with serving(app) as url:
        yield app, url, verified


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=True)


def run_jobs(app) -> None:
    with app.app_context():
        assert run_queued_jobs(app) == 1


@pytest.fixture
def office_page(desk) -> Iterator[tuple[object, object, str, list[str], list[str]]]:
    from playwright.sync_api import sync_playwright

    app, url, verified = desk
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(viewport=OFFICE, locale="vi-VN", accept_downloads=True).new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        watch(page, problems)
        sign_in(page, url, CLERK, "/review/")
        yield app, page, url, verified, problems
        browser.close()
    assert problems == []


def test_clicking_export_leads_to_the_job_page_which_offers_the_file(office_page):
    app, page, url, _verified, _problems = office_page
    page.goto(f"{url}/review/?state=all&village=Bản+Lát")
    shoot(page, "queue.png")
    page.get_by_role("button", name="Xuất Excel").click()
    page.wait_for_url("**/jobs/*")
    assert page.inner_text("h1") == "Xuất danh sách hồ sơ"
    assert "Đang chờ đến lượt" in page.inner_text("#job-message")
    assert page.locator(".job-file").is_hidden()
    shoot(page, "job-export-waiting.png")

    run_jobs(app)
    link = page.get_by_role("link", name="Tải tệp về")
    link.wait_for(state="visible")  # the page asks every two seconds and shows the link when done
    assert page.inner_text("#job-message") == "Xong. Tệp đã sẵn sàng."
    assert page.locator("progress").get_attribute("value") == "100"
    shoot(page, "job-export-done.png")
    with page.expect_download() as waiting:
        link.click()
    download = waiting.value
    assert download.suggested_filename.startswith("ho-so-") and download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    villages = {row[13] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert villages == {"Bản Lát"} and sheet.max_row == 4  # the header, then the household's three people

    page.goto(f"{url}/jobs/")
    assert "Xuất danh sách hồ sơ" in page.inner_text("main")
    shoot(page, "jobs-list.png")


def test_an_old_export_link_asks_before_it_exports(office_page):
    app, page, url, _verified, _problems = office_page
    page.goto(f"{url}/review/export.csv?state=all&from=2025-01-01")
    assert "01/01/2025" in page.inner_text(".selection") and page.inner_text("#export-count") == "3"
    shoot(page, "export-confirm.png")
    page.get_by_role("button", name="Chuẩn bị tệp").click()
    page.wait_for_url("**/jobs/*")
    run_jobs(app)
    page.get_by_role("link", name="Tải tệp về").wait_for(state="visible")


def import_answers(page, url: str, text: str) -> None:
    page.goto(f"{url}/review/handoff")
    upload = {"name": "ket-qua.csv", "mimeType": "text/csv", "buffer": text.encode()}
    assert page.inner_text("#import-file-state") == "Chưa chọn tệp"  # the page's words, not the browser's
    page.set_input_files("#import-file", upload)
    assert page.inner_text("#import-file-state") == "ket-qua.csv"
    page.get_by_role("button", name="Nhập tệp").click()
    page.wait_for_url("**/jobs/*")


def test_the_answers_import_shows_what_was_transferred(office_page):
    app, page, url, (record_id, code), _problems = office_page
    page.goto(f"{url}/review/handoff")
    shoot(page, "handoff.png")
    import_answers(page, url, f"{HEADER}{code[:5]}-{code[5:]},12/2025,03/01/2025\n")
    assert page.inner_text("h1") == "Nhập kết quả từ hệ thống hộ tịch"
    run_jobs(app)
    result = page.locator("#import-result")
    result.wait_for()  # the page reloads with the outcome when the job is done
    assert result.inner_text() == "Đã đánh dấu 1 hồ sơ là đã chuyển; 0 hồ sơ đã có sẵn số, không đổi."
    shoot(page, "job-import-done.png")
    with app.app_context():
        assert db.session.get(Record, record_id).registration_number == "12/2025"


def test_the_answers_import_lists_refused_rows_and_offers_them_as_a_file(office_page):
    app, page, url, (record_id, _code), _problems = office_page
    import_answers(page, url, f"{HEADER}{record_id},12/2025,31/02/2025\nKHONG-CO,13/2025,03/01/2025\n")
    run_jobs(app)
    page.locator("#import-errors").wait_for()
    assert "Chưa nhập gì: 2 trong 2 dòng bị từ chối" in page.inner_text("#import-errors")
    rows = page.locator("table.refusals tbody tr")
    assert rows.count() == 2
    assert "Ngày 31 không hợp lệ: tháng 2 năm 2025 có 28 ngày" in rows.nth(0).inner_text()
    shoot(page, "job-import-refused.png")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Tải danh sách dòng bị từ chối (CSV)").click()
    listed = Path(waiting.value.path()).read_text(encoding="utf-8-sig")
    assert "KHONG-CO" in listed and "không tìm thấy hồ sơ" in listed


def test_a_file_that_is_not_the_answers_fails_in_words(office_page):
    app, page, url, _verified, _problems = office_page
    import_answers(page, url, "ho_ten,so,ngay\nA,1,02/01/2025\n")
    run_jobs(app)
    message = page.locator("#job-message")
    message.filter(has_text="Tệp không theo mẫu").wait_for()
    assert message.inner_text().startswith("Tệp không theo mẫu trả về của hệ thống hộ tịch")
    shoot(page, "job-import-failed.png")
