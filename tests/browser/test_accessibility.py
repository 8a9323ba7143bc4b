"""Accessibility, kept so: axe-core finds no serious or critical violation on any page a role reaches
(office pages as clerk, manager and admin; the phone's login, home, forms, records and receipt; the
public /r pages), phone and /r controls are at least 44 px to a finger at 360 px, every office page
starts with a skip link, and the progress charts stay readable on a phone.

One demo data set and one browser for the module: each role's pages are opened once."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import select

from fieldapp import create_app
from fieldapp.demo import PASSWORD
from fieldapp.extensions import db
from tests.browser import a11y, flows
from tests.browser.conftest import PHONE, serving
from tests.support import databases
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

OFFICE = {"width": 1366, "height": 768}
DEMO_PASSWORD = PASSWORD
#: the demo's users: a clerk of Mường Lát, the province office's manager, the administrator
OFFICE_USERS = {"clerk": "canbo1", "manager": "quanly", "admin": "admin"}


@dataclass
class DemoSite:
    app: Flask
    url: str
    receipt_code: str


@pytest.fixture(scope="module")
def site(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    work = tmp_path_factory.mktemp("a11y")
    config = databases.base_config(databases.sqlite_copy(sqlite_template, work / "demo.sqlite3"), work)
    config.update(
        FIELD_BUILD_DIR=str(work / "field-build"),
        LOGIN_RATE_LIMIT="1000 per minute",
        PUBLIC_LOOKUP_RATE_LIMIT="1000 per minute",
        PUBLIC_BASE_URL="",
    )
    app = create_app(config)
    with app.app_context():
        code = _load_demo()
    with serving(app) as url:
        yield DemoSite(app, url, code)


def _load_demo() -> str:
    """The demo data set, small, with a register book and a duplicate pair so that their pages exist;
    returns a receipt code of Mường Lát."""
    from fieldapp.accounts.models import User
    from fieldapp.demo import load_demo
    from fieldapp.records import services as records
    from fieldapp.records.models import Record, RecordType
    from fieldapp.records.states import Action, State
    from fieldapp.review import books
    from fieldapp.review.models import DuplicatePair

    load_demo(records=24, hash_method="pbkdf2:sha256:1000", campaign_scale=0.01)
    clerk = db.session.scalar(select(User).where(User.username == "canbo1"))
    collector = db.session.scalar(select(User).where(User.username == "thuthap1"))
    books.create_book(clerk, {"type": "birth", "year": 2001, "book_number": "01", "entries_total": 120})
    first, second = db.session.scalars(
        select(Record).where(Record.commune_code == clerk.area_code).order_by(Record.id).limit(2)
    )
    db.session.add(
        DuplicatePair(
            record_a=first.id,
            record_b=second.id,
            commune_code=first.commune_code,
            province_code=first.province_code,
            reason="personal_id",
            score=100.0,
        )
    )
    # a household the clerk has started to review: the collector's phone hears of it in a pull, without
    # its data (only a record returned for correction comes back whole)
    household = db.session.scalar(
        select(Record).where(
            Record.captured_by_id == collector.id,
            Record.type == RecordType.HOUSEHOLD,
            Record.state == State.SUBMITTED,
            Record.receipt_code.is_not(None),
        )
    )
    records.transition(household, Action.START, clerk)
    db.session.commit()
    return first.receipt_code


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def new_page(browser: Browser, viewport: dict, **options) -> Page:
    page = browser.new_context(viewport=viewport, locale="vi-VN", **options).new_page()
    page.set_default_timeout(20_000)
    return page


def failed_requests(page: Page) -> list[str]:
    """Filled as the page loads: every answer of 400 and above (a missing favicon is one on every page)."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return failed


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


# ---- office pages ---------------------------------------------------------------------------------


SKIP_LINK_JS = """() => {
  const focusable = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea');
  const target = document.querySelector('main#main');
  return focusable && focusable.matches('a.skip[href="#main"]') && target !== null;
}"""


def office_page_problems(page: Page, contrast: bool = True) -> list[str]:
    problems = a11y.severe_violations(page, contrast=contrast)
    if not page.evaluate(SKIP_LINK_JS):
        problems.append("no skip link to #main before the menu")
    problems += [f"unit type said twice: {text!r}" for text in a11y.doubled_unit_types(page)]
    return problems


@pytest.fixture(scope="module")
def contrast_done() -> set[str]:
    """Endpoints whose colours axe checked already, in this module."""
    return set()


@pytest.mark.parametrize("role", list(OFFICE_USERS))
def test_every_office_page_a_role_reaches_passes_axe(site, browser, contrast_done, role):
    page = new_page(browser, OFFICE)
    failed = failed_requests(page)
    look = a11y.look_at_every_page
    signed_out = a11y.Crawl(site.app, site.url)
    problems = look(signed_out, page, f"{site.url}/login", office_page_problems, contrast_done)
    sign_in(page, site.url, OFFICE_USERS[role])
    crawl = a11y.Crawl(site.app, site.url)
    problems += look(crawl, page, f"{site.url}/", office_page_problems, contrast_done)
    page.goto(f"{site.url}/review/records/no-such-record")  # the error page has the layout too
    problems += [f"error page: {p}" for p in office_page_problems(page, contrast=role == "clerk")]
    page.context.close()
    assert len(crawl.seen) >= 8, crawl.seen  # the crawl really went round the menu
    assert problems == []
    assert [f for f in failed if "no-such-record" not in f] == []


def test_the_skip_link_is_the_first_tab_and_leads_into_the_page(site, browser):
    page = new_page(browser, OFFICE)
    sign_in(page, site.url, OFFICE_USERS["clerk"])
    page.goto(f"{site.url}/review/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] >= 24  # shown once it has the focus
    assert skip.inner_text() == "Chuyển đến nội dung chính"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert page.evaluate("!document.querySelector('header').contains(document.activeElement)")
    page.context.close()


# ---- the phone ------------------------------------------------------------------------------------


FORMS = ("household", "birth", "death", "marriage")


@pytest.fixture(scope="module")
def phone_screens(site, browser) -> dict[str, dict[str, list[str]]]:
    """Every screen of the phone app, looked at once: its axe findings and its small tap targets."""
    page = new_page(browser, PHONE, bypass_csp=True)  # the steps wait on the app's state (flows)
    failed = failed_requests(page)
    screens: dict[str, dict[str, list[str]]] = {}

    def look(name: str) -> None:
        screens[name] = {
            "axe": a11y.severe_violations(page),
            "tap": a11y.small_tap_targets(page),
            "h1": page.locator("h1").all_inner_texts(),
        }

    flows.open_app(page, site.url)
    page.wait_for_selector("#login")
    look("login")
    flows.log_in(page, {"username": "thuthap1", "password": DEMO_PASSWORD})
    look("home")
    for form in FORMS:
        page.goto(f"{site.url}/field/#new/{form}")
        page.wait_for_selector(f"body[data-form={form}]")
        look(form)
    page.click("#save")  # nothing filled in: the form shows its errors
    page.wait_for_selector("[aria-invalid]")
    look("form with errors")
    page.goto(f"{site.url}/field/#records")
    page.wait_for_selector("#records li")
    look("records")
    # a household the phone knows from a pull only (no data on the phone), not one it saved itself
    page.locator("#records li[data-state=in_review] a[href^='#receipt/']").first.click()
    page.wait_for_selector("#receipt-code")
    look("receipt")
    screens["requests"] = {"failed": failed}
    page.context.close()
    return screens


FORM_SCREENS = (*FORMS, "form with errors")
PHONE_SCREENS = ["login", "home", *FORM_SCREENS, "records", "receipt"]


@pytest.mark.parametrize("screen", PHONE_SCREENS)
def test_every_phone_screen_passes_axe(phone_screens, screen):
    assert phone_screens[screen]["axe"] == []


@pytest.mark.parametrize("screen", PHONE_SCREENS)
def test_every_phone_screen_has_one_heading(phone_screens, screen):
    (heading,) = phone_screens[screen]["h1"]  # a screen reader's "what is this screen", home included
    assert heading.strip()


@pytest.mark.parametrize("screen", PHONE_SCREENS)
def test_every_phone_control_is_44_px_to_a_finger(phone_screens, screen):
    assert phone_screens[screen]["tap"] == []


def test_the_phone_app_asks_for_nothing_missing(phone_screens):
    assert phone_screens["requests"]["failed"] == []


# ---- the public status pages ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def public_pages(site, browser) -> dict[str, dict[str, list[str]]]:
    page = new_page(browser, PHONE)
    failed = failed_requests(page)
    found = {}
    for name, path in (
        ("lookup", "/r"),
        ("lookup, trailing slash", "/r/"),
        ("status", f"/r/{site.receipt_code}"),
        ("not found", "/r/ABCDE-FGHJK"),
    ):
        page.goto(site.url + path)
        found[name] = {
            "axe": a11y.severe_violations(page),
            "tap": a11y.small_tap_targets(page),
            "doubled": a11y.doubled_unit_types(page),
        }
    found["requests"] = {"failed": [f for f in failed if "ABCDE-FGHJK" not in f]}
    page.context.close()
    return found


PUBLIC_PAGES = ["lookup", "lookup, trailing slash", "status", "not found"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_passes_axe(public_pages, name):
    assert public_pages[name]["axe"] == [] and public_pages[name]["doubled"] == []


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_control_is_44_px_to_a_finger(public_pages, name):
    assert public_pages[name]["tap"] == []


def test_the_public_pages_ask_for_nothing_missing(public_pages):
    assert public_pages["requests"]["failed"] == []


# ---- progress on a phone --------------------------------------------------------------------------


def test_progress_charts_are_readable_on_a_phone(site, browser):
    page = new_page(browser, PHONE)
    sign_in(page, site.url, OFFICE_USERS["manager"])
    page.goto(f"{site.url}/progress/")
    sizes = page.eval_on_selector_all(
        ".series text", "texts => texts.map(t => parseFloat(getComputedStyle(t).fontSize) * t.getCTM().a)"
    )
    assert sizes and min(sizes) >= 11  # as drawn on the screen; a viewBox-scaled chart gave 5 px
    plot = page.locator(".series .plot").bounding_box()
    assert plot is not None and plot["x"] + plot["width"] <= PHONE["width"]  # it fits, no sideways scroll
    names = page.eval_on_selector_all("svg.bar[role=img]", "bars => bars.map(b => b.ariaLabel)")
    assert names and all(any(ch.isdigit() for ch in name) and " / " in name for name in names)
    page.context.close()
