"""The registry's screens on a 360 px phone, as tests/browser/test_accessibility.py holds the others: no
serious or critical axe-core finding, one heading, every control at least 44 px to a finger, no internal
code or English word on a Vietnamese screen. One phone visits them all once for the module."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import a11y, flows
from tests.browser.conftest import Phone
from tests.browser.registry_phone import (
    PAO,
    THANG,
    fill_person,
    open_household,
    open_households,
    seed,
    worker,
)

pytestmark = pytest.mark.browser

SCREENS = ["list", "search", "village", "household", "chooser", "door check", "conflict"]
#: what a Vietnamese screen never shows: the stored codes of sex, relationship, status, state, and dates
CODES = ("male", "female", "head", "spouse", "present", "moved", "died", "submitted", "1980-03-15")


@pytest.fixture(scope="module")
def registry_screens(live, playwright, tmp_path_factory) -> Iterator[dict[str, dict[str, Any]]]:
    phone = Phone(playwright, tmp_path_factory.mktemp("a11y-phone") / "profile")
    page = phone.open().new_page()
    screens: dict[str, dict[str, Any]] = {}

    def look(name: str) -> None:
        text = page.inner_text("#view")
        screens[name] = {
            "axe": a11y.severe_violations(page),
            "tap": a11y.small_tap_targets(page),
            "h1": page.locator("h1").all_inner_texts(),
            "codes": [code for code in CODES if f" {code}" in f" {text}".replace("\n", " ")],
        }

    user = worker(live, "Bản Na Hú")
    (pao, _) = seed(live, user, [PAO, THANG], "Bản Na Hú")
    flows.first_login(page, live.url, user)
    open_households(page)
    look("list")
    page.fill("#registry-search", "nguyen")
    page.wait_for_function("document.body.dataset.searched === 'nguyen'")
    look("search")
    page.fill("#registry-search", "")
    page.click("#villages a")
    page.wait_for_selector("#village-households")
    look("village")
    open_households(page)
    open_household(page, "Lò Văn Páo")
    look("household")
    page.click("#follow-death")
    page.wait_for_selector("#choose-member")
    look("chooser")
    page.evaluate("location.hash = '#new/household'")
    page.wait_for_selector("body[data-form=household]")
    fill_person(page.locator("[data-item]").first, "Lò Văn Páo", "male", "1980", "03")
    page.fill("[data-key=village]", "Bản Na Hú")
    page.click("#save")
    page.wait_for_selector("#door-check")
    look("door check")
    page.click("#door-back")
    head = {**PAO[0], "status": "moved"}
    overtaken = {"id": pao["id"], "type": "household", "captured_at": "2026-01-02T03:04Z", "base_version": 1}
    overtaken |= {"data": {"village": "Bản Na Hú", "members": [head]}, "problem": "conflict", "errors": {}}
    page.evaluate(  # a household update the office overtook, as a push leaves it in the outbox
        """async (record) => {
            const store = await import(document.querySelector('link[href*="/store."]').href);
            await store.put('outbox', { ...record, user_id: (await store.kv.get('user')).id });
        }""",
        overtaken,
    )
    page.evaluate(f"location.hash = '#conflict/{pao['id']}'")
    page.wait_for_selector("#conflict-mine")
    look("conflict")
    phone.close()
    yield screens


@pytest.mark.parametrize("screen", SCREENS)
def test_every_registry_screen_passes_axe(registry_screens, screen) -> None:
    assert registry_screens[screen]["axe"] == []


@pytest.mark.parametrize("screen", SCREENS)
def test_every_registry_screen_has_one_heading(registry_screens, screen) -> None:
    (heading,) = registry_screens[screen]["h1"]
    assert heading.strip()


@pytest.mark.parametrize("screen", SCREENS)
def test_every_registry_control_is_44_px_to_a_finger(registry_screens, screen) -> None:
    assert registry_screens[screen]["tap"] == []


@pytest.mark.parametrize("screen", SCREENS)
def test_registry_screens_show_words_not_codes(registry_screens, screen) -> None:
    assert registry_screens[screen]["codes"] == []
