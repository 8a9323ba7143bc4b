"""The area's households reach the phone (issue 13), in a real browser: downloaded sealed and found
offline without diacritics, by receipt code and by ID number; a cut download resumes from its cursor; a
revoked phone drops them; a download marked reset replaces them."""

import json
import re
from typing import Any

import pytest

from fieldapp.extensions import db
from tests.browser import flows
from tests.browser.registry_phone import (
    PAO,
    SHOTS,
    THANG,
    logged_in,
    open_households,
    search,
    seed,
    stored,
    worker,
)

pytestmark = pytest.mark.browser


def test_households_download_sealed_and_are_found_offline(live, phone) -> None:
    page, _, seeded = logged_in(live, phone, "Bản Pù Quăn", [PAO, THANG])
    rows = stored(page, "registry")
    assert {r["id"] for r in rows} == {s["id"] for s in seeded}
    assert {r["sealed"] for r in rows} == {1}
    assert "Thắng" not in json.dumps(rows, ensure_ascii=False) and "038075002468" not in json.dumps(rows)

    phone.context.set_offline(True)
    page.reload()
    flows.unlock(page)
    open_households(page)
    assert "Nguyễn Văn Thắng" in search(page, "nguyen van")
    assert search(page, "pang") == ["Lò Văn Páo"]  # a member who is not the head
    thang = next(s for s in seeded if s["head"] == "Nguyễn Văn Thắng")
    printed = f"{thang['code'][:5]}-{thang['code'][5:]}".lower()
    assert search(page, printed) == ["Nguyễn Văn Thắng"]
    assert search(page, "038 080 001") == ["Lò Văn Páo"]
    page.screenshot(path=str(SHOTS / "field-registry-search.png"), full_page=True)
    page.fill("#registry-search", "")
    page.click("#villages a:has-text('Bản Pù Quăn')")
    page.wait_for_selector("#village-households")
    heads = page.locator("#village-households .name").all_inner_texts()
    assert heads.index("Lò Văn Páo") < heads.index("Nguyễn Văn Thắng")  # Páo before Thắng: given names
    page.screenshot(path=str(SHOTS / "field-registry-village.png"), full_page=True)
    page.click("#village-households .name:text-is('Lò Văn Páo')")
    page.wait_for_selector("#household-head")
    members = page.locator("#members").inner_text()
    assert "Chủ hộ · Nam · sinh 15/03/1980 · Thái" in members
    assert "Đang ở" in members and "male" not in members and "head" not in members
    assert page.locator("#ownership").inner_text().startswith("Hộ do cán bộ khác thu thập: chỉ xem.")
    assert page.locator("#follow-household").count() == 0  # read-only: no update of someone else's household
    page.screenshot(path=str(SHOTS / "field-registry-household.png"), full_page=True)


def test_a_cut_download_resumes_from_the_stored_cursor(live, phone) -> None:
    office = live.user()
    seed(live, office, [PAO, THANG, PAO, THANG, PAO], "Bản Pha Khe")
    user = worker(live, "Bản Pha Khe")
    page = phone.open().new_page()
    asked: list[str] = []

    def small_pages(route: Any) -> None:
        url = route.request.url.replace("limit=500", "limit=2")
        asked.append(url)
        if len(asked) == 2:
            route.abort("connectionreset")  # the second page is lost on the way
        else:
            route.continue_(url=url)

    page.route("**/api/v1/sync/registry*", small_pages)
    flows.open_app(page, live.url)
    page.fill("input[name=username]", user["username"])
    page.fill("input[name=password]", user["password"])
    page.click("#login button[type=submit]")
    page.fill("#pin-setup input[name=pin]", flows.PIN)
    page.fill("#pin-setup input[name=pin2]", flows.PIN)
    page.click("#pin-setup button[type=submit]")
    page.wait_for_function("document.body.dataset.sync === 'retry'")
    assert len(stored(page, "registry")) == 2  # the first page stayed, with its cursor
    first_cursor = stored(page, "kv", "regCursor")
    page.click("#sync")
    flows.wait_synced(page)
    assert f"cursor={first_cursor}&" in asked[2]
    assert len(stored(page, "registry")) == 5


def test_a_revoked_phone_drops_the_households_and_gets_them_again_after_login(live, phone) -> None:
    from fieldapp.accounts.models import Device
    from fieldapp.accounts.services import revoke_device

    page, user, _ = logged_in(live, phone, "Bản Hua Pù", [PAO, THANG])
    assert len(stored(page, "registry")) == 2
    with live.app.app_context():
        revoke_device(db.session.get(Device, stored(page, "kv", "device_id")), None, "Mất máy")
        db.session.commit()
    page.click("#sync")
    page.wait_for_selector("#login #lock-reason")
    assert stored(page, "registry") == [] and stored(page, "kv", "regCursor") is None
    flows.log_in(page, user)
    assert len(stored(page, "registry")) == 2


def test_a_download_marked_reset_replaces_what_the_phone_held(live, phone) -> None:
    page, _, seeded = logged_in(live, phone, "Bản Mường Chanh", [PAO, THANG])
    assert len(stored(page, "registry")) == 2
    kept = seeded[0]["id"]

    def restored(route: Any) -> None:  # the server's database came back from a backup without one of them
        page_0 = route.fetch(url=re.sub(r"cursor=[^&]*", "cursor=0", route.request.url)).json()
        page_0["households"] = [h for h in page_0["households"] if h["id"] == kept]
        route.fulfill(json={**page_0, "reset": True, "total": 1})

    page.route("**/api/v1/sync/registry*", restored)
    page.click("#sync")
    flows.wait_synced(page)
    assert [row["id"] for row in stored(page, "registry")] == [kept]
    page.unroute("**/api/v1/sync/registry*")
    open_households(page)
    assert search(page, "nguyen van thang") == []
