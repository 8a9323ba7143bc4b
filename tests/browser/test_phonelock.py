"""A lost phone leaks nothing: storage read raw shows no personal value, the PIN opens it offline,
wrong PINs hand over to the password, a revoked phone keeps only its outbox, sign-out never loses
unsent records. Screenshots: FIELDAPP_SCREENSHOTS=docs/screenshots."""

import base64
import os
import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from fieldapp.accounts.models import Device, Role, User
from fieldapp.extensions import db
from fieldapp.files import LocalFolder
from fieldapp.timeutil import utcnow
from tests.browser import flows
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.support.builders import Builders, household_data

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("FIELDAPP_SCREENSHOTS")
HEAD = "Giàng A Páo"  # flows.add_household's head, with ID number 038 080 001 234
PERSONAL_ID = "038080001234"

# Every byte the page can reach at rest: IndexedDB (all databases, stores, keys and values, blobs
# included), Cache Storage (every cached body), localStorage and sessionStorage.
DUMP_STORAGE = """async () => {
  const parts = [];
  const enc = new TextEncoder();
  const walk = async (v) => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') return void parts.push(enc.encode(v));
    if (typeof v !== 'object') return void parts.push(enc.encode(String(v)));
    if (v instanceof Blob) return void parts.push(new Uint8Array(await v.arrayBuffer()));
    if (v instanceof ArrayBuffer) return void parts.push(new Uint8Array(v));
    if (ArrayBuffer.isView(v)) return void parts.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    for (const [key, value] of Object.entries(v)) { parts.push(enc.encode(key)); await walk(value); }
  };
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error);
    });
    for (const name of db.objectStoreNames) {
      const [keys, values] = await new Promise((ok) => {
        const tx = db.transaction(name); const s = tx.objectStore(name);
        const k = s.getAllKeys(); const v = s.getAll();
        tx.oncomplete = () => ok([k.result, v.result]);
      });
      await walk(keys); await walk(values);
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      parts.push(enc.encode(request.url));
      parts.push(new Uint8Array(await (await cache.match(request)).arrayBuffer()));
    }
  }
  for (const store of [localStorage, sessionStorage]) {
    for (let i = 0; i < store.length; i++) parts.push(enc.encode(store.key(i) + store.getItem(store.key(i))));
  }
  const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
  let text = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) text += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(text);
}"""

RAW = """([store, key]) => new Promise((ok) => {
  const open = indexedDB.open('fieldapp');
  open.onsuccess = () => {
    const tx = open.result.transaction(store); const s = tx.objectStore(store);
    const q = key === null ? s.count() : s.get(key);
    tx.oncomplete = () => { open.result.close(); ok(q.result === undefined ? null : q.result); };
  };
})"""


def dump(page: Page) -> bytes:
    return base64.b64decode(page.evaluate(DUMP_STORAGE))


def raw(page: Page, store: str, key: str | None = None) -> Any:
    """A value as IndexedDB holds it (sealed or not); with no key, how many rows the store has."""
    return page.evaluate(RAW, [store, key])


def readable(data: bytes, text: str) -> bool:
    forms = {unicodedata.normalize(f, text).encode() for f in ("NFC", "NFD")}
    return any(form in data for form in forms)


def test_nothing_personal_is_readable_in_storage(live, phone, tmp_path: Path) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    phone.context.set_offline(True)
    flows.add_household(page, HEAD, photo=flows.photo_file(tmp_path))
    stored = dump(page)
    assert readable(stored, user["username"])  # the reader sees what is kept in clear (the account)
    for secret in (HEAD, "Giàng", PERSONAL_ID, "038 080 001 234", "1980-03-15"):
        assert not readable(stored, secret), secret
    assert b"JFIF" not in stored and b"Exif" not in stored  # no JPEG (photo or thumbnail) in clear

    go_online(phone, page)
    with live.app.app_context():
        (attachment,) = flows.attachments_of(user["id"])
        photo = LocalFolder(live.app.config["UPLOAD_DIR"]).object_path(attachment.sha256).read_bytes()
        db.session.remove()
    # windows of the photo's own bytes (not runs of zeros that any cached icon has too)
    windows = [photo[i : i + 32] for i in range(0, len(photo) - 32, 97) if len(set(photo[i : i + 32])) >= 16]
    assert len(windows) > 40 and not any(window in stored for window in windows)
    synced = dump(page)  # the synced copy of the record is sealed too
    assert not readable(synced, HEAD) and not readable(synced, PERSONAL_ID)


def go_online(phone, page: Page) -> None:
    phone.context.set_offline(False)
    flows.wait_synced(page)


def test_reload_offline_unlock_with_the_pin_and_sync(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    phone.context.set_offline(True)
    flows.add_household(page, "Thào A Lử")
    page.reload()
    page.wait_for_selector("#unlock")
    assert "Thào" not in page.inner_text("body")  # nothing shown before the PIN
    assert flows.outbox(page) == 1  # but the counter is: it is not personal
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "field-pin.png"))
    page.fill("#unlock input[name=pin]", "135790")
    page.click("#unlock button[type=submit]")
    page.wait_for_selector("#unlock .error:not([hidden])")
    assert "4" in page.inner_text("#unlock .error")  # tries left
    flows.unlock(page)
    page.click("#records-link")
    assert "Thào A Lử" in page.inner_text("#records")
    go_online(phone, page)
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == {"Thào A Lử": 1}


def test_wrong_pins_hand_over_to_the_password_and_nothing_unsent_is_lost(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    phone.context.set_offline(True)
    flows.add_household(page, "Sùng A Chứ")
    flows.add_household(page, "Hờ Thị Dua")
    page.reload()
    for _ in range(5):
        page.fill("#unlock input[name=pin]", "000000")
        page.click("#unlock button[type=submit]")
        page.wait_for_selector("#unlock .error:not([hidden]), #login")
    page.wait_for_selector("#login #lock-reason")
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "field-locked-out.png"))
    assert raw(page, "kv", "lock")["pin"] is None  # the PIN opens nothing any more, not even the right one
    page.reload()
    page.wait_for_selector("#login #lock-reason")  # a restart does not bring the PIN back

    page.fill("input[name=password]", user["password"])
    page.click("#login button[type=submit]")
    page.wait_for_selector("#login .error:not([hidden])")
    assert "mạng" in page.inner_text("#login .error")  # offline: the password needs the server
    assert raw(page, "outbox") == 2

    phone.context.set_offline(False)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#pin-setup")  # the server's device key opened the data; now a new PIN
    page.fill("#pin-setup input[name=pin]", "123456")
    page.fill("#pin-setup input[name=pin2]", "123456")
    page.click("#pin-setup button[type=submit]")
    page.wait_for_selector("#pin-setup .error:not([hidden])")  # too easy to guess
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "field-pin-setup.png"))
    page.fill("#pin-setup input[name=pin]", "482915")
    page.fill("#pin-setup input[name=pin2]", "482915")
    page.click("#pin-setup button[type=submit]")
    flows.wait_synced(page)
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == {"Sùng A Chứ": 1, "Hờ Thị Dua": 1}
    page.reload()
    flows.unlock(page, "482915")


def revoke_on_the_web(live, playwright, device_id: int, reason: str) -> None:
    admin = live.user(Role.ADMIN, None)
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page.goto(f"{live.url}/login")
        page.fill("input[name=username]", admin["username"])
        page.fill("input[name=password]", admin["password"])
        page.click("main button[type=submit]")
        page.goto(f"{live.url}/devices/")
        row = page.locator(f"#device-{device_id}")
        assert row.locator(".waiting").inner_text() == "1"  # what the phone said at its last sync
        row.locator("summary").click()
        row.locator("input[name=reason]").fill(reason)
        if SCREENSHOTS:
            page.screenshot(path=str(Path(SCREENSHOTS) / "devices.png"))
        row.locator("button.danger").click()
        page.wait_for_selector(f"#device-{device_id}[data-state=revoked]")
        assert reason in page.locator(f"#device-{device_id}").inner_text()
    finally:
        browser.close()


def test_revoked_phone_clears_synced_copies_keeps_the_outbox_and_sends_it_after_login(
    live, phone, playwright
) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    flows.add_household(page, "Lò Văn Pản")
    flows.wait_synced(page)
    assert raw(page, "records") == 1
    phone.context.set_offline(True)
    flows.add_household(page, "Mùa A Vư")
    old_device = raw(page, "kv", "device_id")
    with live.app.app_context():  # the phone last reported at a sync with one record waiting
        db.session.get(Device, old_device).waiting = 1
        db.session.commit()
    revoke_on_the_web(live, playwright, old_device, "Mất máy ở chợ phiên")

    phone.context.set_offline(False)  # the sync starts when the network returns
    page.wait_for_selector("#login #lock-reason")
    assert "thu hồi" in page.inner_text("#lock-reason")
    assert raw(page, "records") == 0  # synced copies gone
    assert raw(page, "outbox") == 1  # unsent record kept, still sealed
    assert raw(page, "kv", "token") is None

    flows.log_in(page, user)
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == {"Lò Văn Pản": 1, "Mùa A Vư": 1}
        new_device = raw(page, "kv", "device_id")
        assert new_device != old_device and not db.session.get(Device, new_device).is_revoked
        assert db.session.get(Device, old_device).is_revoked
        db.session.remove()


def test_sign_out_is_refused_while_records_are_unsent_until_they_are_exported(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    phone.context.set_offline(True)
    flows.add_household(page, "Vàng A Sính")
    page.click("#sign-out")
    page.wait_for_selector("#sign-out-status:not([hidden])")
    assert "1" in page.inner_text("#sign-out-status")
    page.click("#sign-out")  # refused again: no second step while unsent
    assert raw(page, "outbox") == 1 and page.locator("#new-household").count() == 1

    with page.expect_download() as download:
        page.click("#export")
    assert download.value.suggested_filename.endswith(".json")
    page.click("#sign-out")
    page.wait_for_selector("#sign-out[data-confirm]")
    page.click("#sign-out")
    page.wait_for_selector("#login")
    assert raw(page, "outbox") == 0 and raw(page, "kv", "lock") is None  # the phone is cleared
    assert page.input_value("input[name=username]") == ""  # nothing of the worker left


def test_sign_out_online_ends_the_token(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    device_id = raw(page, "kv", "device_id")
    page.click("#sign-out")
    page.click("#sign-out[data-confirm]")
    page.wait_for_selector("#login")
    with live.app.app_context():
        assert db.session.get(Device, device_id).is_revoked
        db.session.remove()


def test_idle_time_locks_the_app_and_keeps_unsaved_input(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    page.clock.install()
    flows.first_login(page, live.url, user)
    page.click("#new-household")
    page.fill("[data-key=village]", "Bản Sài Khao")
    page.clock.fast_forward("06:00")  # the server's setting: lock after 5 idle minutes
    page.wait_for_selector("#unlock")
    assert page.evaluate("document.getElementById('view').inert")
    flows.unlock(page)
    assert page.input_value("[data-key=village]") == "Bản Sài Khao"


SET_LOCK_END = """days => new Promise((ok) => {
  const open = indexedDB.open('fieldapp');
  open.onsuccess = () => {
    const tx = open.result.transaction('kv', 'readwrite'); const kv = tx.objectStore('kv');
    const q = kv.get('lock');
    q.onsuccess = () => {
      q.result.expires_at = new Date(Date.now() + days * 86400000).toISOString();
      kv.put(q.result, 'lock');
    };
    tx.oncomplete = () => { open.result.close(); ok(); };
  };
})"""


def test_the_phone_warns_before_its_token_ends_and_renews_at_a_password_login(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    assert page.locator("#renew").count() == 0  # 90 days ahead: nothing to say
    device_id = raw(page, "kv", "device_id")
    page.evaluate(SET_LOCK_END, 3)
    flows.open_app(page, live.url)
    assert "3" in page.inner_text("#renew")
    if SCREENSHOTS:
        page.locator("#renew").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SCREENSHOTS) / "field-renew.png"))
    page.click("#renew button")
    flows.log_in(page, user)  # unlocked: no new PIN, the same device with a new token
    assert raw(page, "kv", "device_id") == device_id
    page.wait_for_selector("#new-household")
    assert page.locator("#renew").count() == 0
    with live.app.app_context():
        assert db.session.get(Device, device_id).token_ends_at > utcnow() + timedelta(days=89)
        db.session.remove()


SEED_V1 = """([token, user, record]) => new Promise((ok) => {
  const open = indexedDB.open('fieldapp', 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore('kv');
    db.createObjectStore('outbox', { keyPath: 'id' });
    db.createObjectStore('photos', { keyPath: 'sha256' });
    db.createObjectStore('records', { keyPath: 'id' });
  };
  open.onsuccess = () => {
    const tx = open.result.transaction(['kv', 'outbox'], 'readwrite');
    tx.objectStore('kv').put(token, 'token');
    tx.objectStore('kv').put(user, 'user');
    tx.objectStore('kv').put([], 'pool');
    tx.objectStore('outbox').put(record);
    tx.oncomplete = () => { open.result.close(); ok(); };
  };
})"""


def test_a_phone_updated_from_the_clear_text_version_keeps_and_seals_its_outbox(live, phone) -> None:
    user = live.user()
    with live.app.app_context():
        token = Builders(live.app).token(db.session.get(User, user["id"]))
    record = {
        "id": "6f1c1b6e-0000-4000-8000-000000000012",
        "type": "household",
        "captured_at": "2026-11-28T03:00:00.000Z",
        "data": household_data(),
        "attachments": [],
        "user_id": user["id"],
        "receipt_code": None,
        "base_version": None,
    }
    page = phone.open().new_page()
    page.goto(f"{live.url}/healthz")
    page.evaluate(SEED_V1, [token, {"id": user["id"], "username": user["username"]}, record])
    assert readable(dump(page), HEAD)  # what the old version left: in clear
    flows.open_app(page, live.url)
    assert "nâng cấp" in page.inner_text("#login #lock-reason")
    assert raw(page, "outbox") == 1
    flows.log_in(page, user)
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == {HEAD: 1}
        db.session.remove()
    stored = dump(page)
    assert not readable(stored, HEAD) and not readable(stored, PERSONAL_ID) and token.encode() not in stored
