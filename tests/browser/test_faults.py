"""Lost answers, expired sessions and app updates never cost a record nor double one."""

import gzip
import json
import re

import pytest
from playwright.sync_api import Route

from fieldapp.extensions import db
from fieldapp.field.views import rebuild
from tests.browser import flows

pytestmark = pytest.mark.browser


def test_answer_lost_after_the_server_stored_the_batch_is_not_stored_twice(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    phone.context.set_offline(True)
    flows.add_household(page, "Giàng A Páo")
    flows.add_household(page, "Vàng Thị Mua")
    stored = []

    def store_then_drop(route: Route) -> None:
        response = route.fetch()  # the server stores the batch ...
        stored.append(response.status)
        route.abort("connectionreset")  # ... and the phone never hears the answer

    phone.context.route("**/api/v1/sync/push", store_then_drop)
    phone.context.set_offline(False)
    page.wait_for_function("document.body.dataset.sync === 'retry'")
    assert stored == [200]
    assert flows.outbox(page) == 2
    with live.app.app_context():
        assert flows.record_count(user["id"]) == 2

    phone.context.unroute("**/api/v1/sync/push")
    page.click("#sync")
    flows.wait_synced(page)
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == {"Giàng A Páo": 1, "Vàng Thị Mua": 1}


def test_session_expired_while_offline_keeps_the_outbox(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    phone.context.set_offline(True)
    flows.add_household(page, "Thào A Lử")
    with live.app.app_context():
        flows.expire_devices(user["id"])

    phone.context.set_offline(False)
    page.wait_for_selector("#login")
    assert page.evaluate("document.body.dataset.sync") == "login"
    assert flows.outbox(page) == 1
    flows.log_in(page, user)
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == {"Thào A Lử": 1}


def test_new_version_deployed_while_records_wait_offline(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    old_caches = page.evaluate("caches.keys()")
    phone.context.set_offline(True)
    flows.add_household(page, "Sùng A Chứ")
    flows.add_household(page, "Hờ Thị Dua")

    css = live.source / "css" / "field.css"
    original = css.read_text()
    css.write_text(original + "\n.deployed{color:inherit}\n")
    try:
        rebuild(live.app)
        page.reload()
        flows.unlock(page)
        page.click("#new-household")
        page.wait_for_selector("body[data-form=household]")
        assert flows.outbox(page) == 2

        phone.context.set_offline(False)
        new_version = re.search(r'VERSION = "(\w+)"', page.request.get(f"{live.url}/sw.js").text()).group(1)
        page.reload()  # the next start: the new version takes over, the outbox goes out
        flows.unlock(page)
        page.wait_for_function(
            "v => caches.keys().then(k => k.length === 1 && k[0] === 'field-' + v)", arg=new_version
        )
        flows.wait_synced(page)
    finally:
        css.write_text(original)
        rebuild(live.app)
    assert old_caches != [f"field-{new_version}"]
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == {"Sùng A Chứ": 1, "Hờ Thị Dua": 1}
        db.session.remove()


def test_an_update_waits_while_a_form_has_unsaved_input(live, phone) -> None:
    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    page.click("#new-household")
    page.fill("[data-key=full_name]", "Mùa A Vư")
    css = live.source / "css" / "field.css"
    original = css.read_text()
    css.write_text(original + "\n.deployed-again{color:inherit}\n")
    try:
        rebuild(live.app)
        page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
        page.wait_for_function("navigator.serviceWorker.getRegistration().then(r => !!r.waiting)")
        assert page.input_value("[data-key=full_name]") == "Mùa A Vư"  # not reloaded under the worker's hands
        assert len(page.evaluate("caches.keys()")) == 2  # the old version still serves this page

        page.fill("[data-key=village]", "Bản Sài Khao")
        page.select_option("[data-key=sex]", "male")
        page.fill("[data-key=date_of_birth]", "1990")
        page.select_option("[data-key=ethnicity]", "08")
        page.click("#save")  # saved: now it is safe, the new version takes over and the old cache goes
        page.wait_for_function("caches.keys().then(k => k.length === 1)")
        flows.unlock(page)  # the new version is a new start: the PIN again
        flows.wait_synced(page)
    finally:
        css.write_text(original)
        rebuild(live.app)
    with live.app.app_context():
        assert flows.count_by_head(user["id"]) == {"Mùa A Vư": 1}
        db.session.remove()


def test_two_tabs_never_send_the_same_records_together(live, phone) -> None:
    user = live.user()
    first = phone.open().new_page()
    flows.first_login(first, live.url, user)
    phone.context.set_offline(True)
    flows.add_household(first, "Lường Văn Xá")
    flows.add_household(first, "Hà Thị Cở")
    second = phone.context.new_page()
    flows.open_app(second, live.url)
    sent: list[str] = []

    def count_records(route: Route) -> None:
        sent.extend(r["id"] for r in json.loads(gzip.decompress(route.request.post_data_buffer))["records"])
        route.continue_()

    phone.context.route("**/api/v1/sync/push", count_records)
    phone.context.set_offline(False)  # both tabs hear 'online' and start a sync at the same moment
    flows.wait_synced(first)
    flows.wait_synced(second)
    assert len(sent) == len(set(sent)) == 2


def test_a_photo_upload_cut_off_resumes_where_the_server_stopped(live, phone, tmp_path) -> None:
    from PIL import Image

    user = live.user()
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    noisy = tmp_path / "so-dang-ky.jpg"
    Image.effect_noise((1800, 1400), 60).convert("RGB").save(noisy, quality=95)  # several upload parts
    phone.context.set_offline(True)
    flows.add_household(page, "Mùa A Tủa", photo=noisy)
    ranges: list[str] = []

    def cut_the_first_part(route: Route) -> None:
        if route.request.method == "PUT":
            ranges.append(route.request.headers["content-range"])
            if len(ranges) == 1:
                route.fetch()  # the server keeps the first part ...
                route.abort("connectionreset")  # ... the phone loses the connection
                return
        route.continue_()

    phone.context.route("**/api/v1/attachments/*", cut_the_first_part)
    phone.context.set_offline(False)
    page.wait_for_function("document.body.dataset.sync === 'retry'")
    page.click("#sync")
    flows.wait_synced(page)
    first_end = int(re.match(r"bytes 0-(\d+)/", ranges[0]).group(1))
    assert ranges[1].startswith(f"bytes {first_end + 1}-")  # resumed, not started again from zero
    with live.app.app_context():
        (attachment,) = flows.attachments_of(user["id"])
        assert attachment.complete and attachment.size == int(ranges[0].rsplit("/", 1)[1])
        db.session.remove()
