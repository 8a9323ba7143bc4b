"""A live office server with a clerk and a register book whose pages are scanned, for browser tests and
bench/keying_bench.py; and a Chromium page at the office PC's size, signed in."""

from flask import Flask
from playwright.sync_api import Browser, Page

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.progress.models import Period, Quota
from fieldapp.records.models import RecordType
from fieldapp.review import books
from fieldapp.review.models import RegisterBook
from tests.support.builders import MUONG_LAT, PASSWORD, Builders
from tests.support.live import office_app, serving  # noqa: F401  (used by the keying tests through this module)
from tests.support.register import Entry, scan_png

OFFICE = {"width": 1366, "height": 768}
PER_PAGE = 6


def seed_book(app: Flask, entries: list[Entry], quota: int = 120) -> tuple[str, int]:
    """A clerk of Mường Lát with a daily quota, and the 1985 birth register with every page scanned."""
    with app.app_context():
        make = Builders(app)
        clerk = make.user(Role.CLERK, MUONG_LAT, full_name="Phạm Thị Hằng")
        db.session.add(Quota(user_id=clerk.id, period=Period.DAY, amount=quota, updated_by_id=clerk.id))
        book = RegisterBook(
            province_code="38",
            commune_code=MUONG_LAT,
            type=RecordType.BIRTH,
            year=1985,
            book_number="01",
            entries_total=len(entries),
            created_by_id=clerk.id,
        )
        db.session.add(book)
        db.session.flush()
        for page in range(1, (len(entries) + PER_PAGE - 1) // PER_PAGE + 1):
            rows = entries[(page - 1) * PER_PAGE : page * PER_PAGE]
            body = scan_png(rows, page)
            books.upload_page(clerk, book, page, body, "image/png", app.config, 10 << 20)
        db.session.commit()
        return clerk.username, book.id


def signed_in_page(browser: Browser, url: str, username: str) -> Page:
    page = browser.new_page(viewport=OFFICE, locale="vi-VN")
    page.set_default_timeout(15_000)
    page.goto(f"{url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url, "the clerk could not sign in"
    return page


#: counts every mouse event the page sees, kept across page loads in sessionStorage
MOUSE_COUNTER = """
(() => {
  const count = () => {
    sessionStorage.setItem('mouse', String(Number(sessionStorage.getItem('mouse') || 0) + 1));
  };
  // a click from the keyboard (Enter on a button) has detail 0; a real mouse click does not
  const real = (e, type) => e.isTrusted && (type !== 'click' || e.detail !== 0);
  for (const type of ['mousedown', 'mouseup', 'click', 'mousemove', 'wheel', 'pointerdown']) {
    window.addEventListener(type, (e) => { if (real(e, type)) count(); }, true);
  }
})();
"""


def mouse_events(page: Page) -> int:
    return int(page.evaluate("Number(sessionStorage.getItem('mouse') || 0)"))
