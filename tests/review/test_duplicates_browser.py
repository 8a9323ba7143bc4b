"""In a real browser at the office's 1366x768: a pair across two communes, proposed by one commune's
clerk and settled by the province's justice office, which covers both communes."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record
from fieldapp.review.models import DuplicatePair, PairStatus, RecordMerge
from tests.support.builders import THANH_HOA, TRUNG_LY, Builders, household_data, item
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.live import office_app, serving, sign_in, watch

pytestmark = pytest.mark.browser
OFFICE = {"width": 1366, "height": 768}


@pytest.fixture
def pair_server(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[str, dict]]:
    """A live server holding one head of household collected in Mường Lát and again in Trung Lý."""
    app = office_app(sqlite_template, tmp_path)
    with app.app_context():
        make = Builders(app)
        make.user(Role.CLERK, username="canbo.muonglat")
        make.user(Role.CLERK, THANH_HOA, username="sotuphap.thanhhoa")
        mine, theirs = item("household"), item("household", data=household_data(TRUNG_LY))
        assert make.push(make.collector_token(), [mine]).status_code == 200
        assert make.push(make.collector_token(TRUNG_LY), [theirs]).status_code == 200
        codes = {r.id: r.receipt_code for r in db.session.scalars(select(Record))}
        facts = {"app": app, "mine": mine["id"], "theirs": theirs["id"], "codes": codes}
    with serving(app) as url:
        yield url, facts


def open_desk(browser, url: str, username: str, problems: list[str]):
    """A signed-in office browser at 1366x768, on the duplicates list."""
    page = browser.new_context(viewport=OFFICE, locale="vi-VN").new_page()
    page.set_default_timeout(15_000)
    watch(page, problems)
    sign_in(page, url, username, "/review/duplicates")
    return page


def test_a_cross_commune_pair_is_proposed_by_a_clerk_and_settled_by_the_province(pair_server, tmp_path):
    from playwright.sync_api import sync_playwright

    url, facts = pair_server
    code = facts["codes"][facts["mine"]]
    shown = f"{code[:5]}-{code[5:]}"
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)

        clerk = open_desk(browser, url, "canbo.muonglat", problems)
        assert "Cần bạn xử lý" in clerk.inner_text("main")
        clerk.screenshot(path=str(tmp_path / "1-clerk-list.png"), full_page=True)
        clerk.click("table.pairs a")
        status = clerk.inner_text("#pair-status")
        assert "bạn đề nghị trước" in status
        assert "Hồ sơ ở xã khác" in clerk.inner_text("main")
        assert facts["codes"][facts["theirs"]][:5] not in clerk.content()
        clerk.screenshot(path=str(tmp_path / "2-clerk-pair.png"), full_page=True)
        clerk.click("button:has-text('giữ hồ sơ của xã bạn')")
        clerk.wait_for_url("**/review/duplicates")
        assert "Đang chờ xã kia" in clerk.inner_text("main")
        assert "Đang chờ cán bộ hộ tịch của xã kia đồng ý" in clerk.inner_text("main")
        clerk.screenshot(path=str(tmp_path / "3-clerk-waiting.png"), full_page=True)

        office = open_desk(browser, url, "sotuphap.thanhhoa", problems)
        office.click("table.pairs a")
        assert "Một xã đã đề nghị: cùng một người, giữ hồ sơ " + shown in office.inner_text("#pair-status")
        assert office.inner_text("main").count("Giàng A Páo") >= 2
        office.screenshot(path=str(tmp_path / "4-province-pair.png"), full_page=True)
        office.click(f"button:has-text('Trùng: giữ hồ sơ {shown}')")
        office.wait_for_url("**/review/duplicates")
        assert "Đã gộp hai hồ sơ" in office.inner_text("main")
        office.screenshot(path=str(tmp_path / "5-province-done.png"), full_page=True)

        clerk.goto(f"{url}/review/duplicates")
        assert "Không có cặp hồ sơ nào cần xem." in clerk.inner_text("main")
        browser.close()
    assert problems == []
    with facts["app"].app_context():
        pair = db.session.scalars(select(DuplicatePair)).one()
        assert pair.status is PairStatus.DUPLICATE
        assert db.session.get(RecordMerge, facts["theirs"]).into_id == facts["mine"]
