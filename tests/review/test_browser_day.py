"""A clerk's day in Chromium at 1366x768: the history after a resubmission, undo of a verify by key,
shortcuts switched off for good, and the bulk import of the national system's answers."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import func, select
from werkzeug.serving import make_server

from fieldapp import create_app
from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.jobs.queue import run_queued_jobs
from fieldapp.records.models import Record
from fieldapp.records.states import Action
from tests.support import databases
from tests.support.builders import PASSWORD, Builders, household_data, item
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser
OFFICE = {"width": 1366, "height": 768}
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass
class Office:
    app: Flask
    url: str
    clerk: str
    records: list[str]


@pytest.fixture
def office(sqlite_template: Path, tmp_path: Path) -> Iterator[Office]:
    """A clerk of Mường Lát; a household returned and corrected on the phone, two births verified."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    database = databases.sqlite_copy(sqlite_template, tmp_path / "live.sqlite3")
    config = databases.base_config(database, tmp_path)
    config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    app = create_app(config)
    with app.app_context(), app.test_request_context():
        records = _seed(Builders(app))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Office(app, f"http://127.0.0.1:{server.server_port}", "canbo.muonglat", records)
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


def _seed(make: Builders) -> list[str]:
    from fieldapp.records.services import transition
    from tests.review.conftest import newborn

    clerk = make.user(Role.CLERK, username="canbo.muonglat", full_name="Hà Thị Lan")
    collector = make.user(Role.COLLECTOR, full_name="Lò Văn Thắng")
    token = make.token(collector)
    household = item("household")
    births = [item("birth", data=newborn(name)) for name in ("Lò Thị Ún", "Lò Văn Pọm")]
    make.push(token, [household, *births])
    record = db.session.get(Record, household["id"])
    transition(record, Action.START, clerk)
    transition(record, Action.RETURN, clerk, comment="Ngày sinh của vợ chưa khớp sổ hộ khẩu")
    for birth in births:
        for action in (Action.START, Action.VERIFY):
            transition(db.session.get(Record, birth["id"]), action, clerk)
    db.session.commit()
    data = household_data()
    data["members"][1]["date_of_birth"] = "1983-08-12"
    make.push(token, [{**household, "data": data, "base_version": 1}])
    return [household["id"], *(b["id"] for b in births)]


def signed_in(pw, office: Office) -> Page:
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    page = browser.new_page(locale="vi-VN", viewport=OFFICE)
    page.set_default_timeout(15_000)
    page.goto(f"{office.url}/login?next=/review/")
    page.fill("input[name=username]", office.clerk)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/review/")
    return page


def test_history_shows_what_the_collector_changed(office):
    with sync_playwright() as pw:
        page = signed_in(pw, office)
        page.goto(f"{office.url}/review/records/{office.records[0]}")
        history = page.locator("section.history")
        change = history.locator("li[data-version='2'] tr", has_text="Thành viên 2 · Ngày, tháng, năm sinh")
        assert change.locator("td.old").inner_text() == "1983"
        assert change.locator("td.new").inner_text() == "12/08/1983"
        assert "Cán bộ thu thập sửa và gửi lại" in history.locator("li[data-version='2']").inner_text()
        trail = page.locator("#trail").inner_text()
        assert "Hà Thị Lan trả lại hồ sơ để cán bộ thu thập bổ sung. Lý do: Ngày sinh của vợ" in trail
        assert "record." not in trail and "in_review" not in trail
        history.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "review-record-history.png"), full_page=True)


def test_v_verifies_and_the_toast_undoes_it(office):
    with sync_playwright() as pw:
        page = signed_in(pw, office)
        page.goto(f"{office.url}/review/records/{office.records[0]}")
        page.keyboard.press("v")
        page.wait_for_selector("#record-state:has-text('Đã đối chiếu')")
        toast = page.locator("#undo-toast")
        assert toast.is_visible() and "Hoàn tác" in toast.inner_text()
        page.screenshot(path=str(SHOTS / "review-undo-toast.png"))
        toast.locator("button").click()
        page.wait_for_selector("#record-state:has-text('Đang rà soát')")
        assert "Đã hoàn tác" in page.inner_text("main")
        page.wait_for_selector("body[data-shortcuts=on]")  # the reloaded page listens: a key now counts
        page.keyboard.press("v")
        page.wait_for_selector("#undo-toast")
        page.wait_for_selector("#undo-toast", state="hidden", timeout=13_000)  # gone after 10 seconds
    with office.app.app_context():
        assert db.session.get(Record, office.records[0]).state.value == "verified"
        db.session.remove()


def test_single_key_shortcuts_can_be_switched_off_for_good(office):
    with sync_playwright() as pw:
        page = signed_in(pw, office)
        page.goto(f"{office.url}/review/records/{office.records[0]}")
        page.uncheck("#shortcuts-toggle")
        page.reload()
        assert not page.is_checked("#shortcuts-toggle")
        page.keyboard.press("v")
        page.wait_for_timeout(700)
        assert "Đã tiếp nhận" in page.inner_text("#record-state")
    with office.app.app_context():
        assert db.session.get(Record, office.records[0]).state.value == "submitted"
        db.session.remove()


def _run_import_job(page: Page, office: Office) -> None:
    """Run the queued import where the worker would, once the job page is shown."""
    page.wait_for_url("**/jobs/*")
    with office.app.app_context():
        assert run_queued_jobs(office.app) == 1
        db.session.remove()


def transferred(office: Office) -> int:
    with office.app.app_context():
        n = db.session.scalar(select(func.count()).where(Record.state == "transferred"))
        db.session.remove()
        return n


def test_bulk_transfer_with_one_bad_row_changes_nothing_and_names_the_row(office, tmp_path):
    _household, first, second = office.records
    header = f"Mã hồ sơ,Số đăng ký,Ngày đăng ký\n{first},15/2024,03/01/2024\n"
    bad = tmp_path / "ket-qua.csv"
    bad.write_text(f"{header}{second},16/2024,31/13/2024\n")
    good = tmp_path / "ket-qua-sua.csv"
    good.write_text(f"{header}{second},16/2024,03/01/2024\n")
    with sync_playwright() as pw:
        page = signed_in(pw, office)
        page.click("nav >> text=Chuyển hệ thống")
        page.set_input_files("#import-file", str(bad))
        page.click("#import-form button[type=submit]")
        _run_import_job(page, office)
        errors = page.locator("#import-errors")
        errors.wait_for()  # the job page reloads with the outcome once the worker is done
        assert "Chưa nhập gì: 1 trong 2 dòng bị từ chối" in errors.inner_text()
        refusal = page.locator("table.refusals tbody tr").first.inner_text()
        assert "3" in refusal and "ngày đăng ký: Tháng 13 không hợp lệ: tháng phải từ 1 đến 12." in refusal
        assert transferred(office) == 0
        page.screenshot(path=str(SHOTS / "review-transfer-import.png"), full_page=True)
        page.click("#job-back")  # back to the hand-off page to send the corrected file
        page.set_input_files("#import-file", str(good))
        page.click("#import-form button[type=submit]")
        _run_import_job(page, office)
        result = page.locator("#import-result")
        result.wait_for()
        assert "Đã đánh dấu 2 hồ sơ là đã chuyển" in result.inner_text()
        assert transferred(office) == 2
