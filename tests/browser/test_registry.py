"""The area's households on the phone (issue 13), in a real browser: downloaded sealed, found offline
without diacritics, by receipt code and by ID number; a birth added to a known household with its
parents filled in; a duplicate caught before it is saved; a household update the office overtook."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.browser import flows
from tests.support.builders import Builders, household_data, item, person

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

PAO = [
    {**person(full_name="Lò Văn Páo", date_of_birth="1980-03-15", ethnicity="03"), "relationship": "head"},
    {
        **person(
            full_name="Hà Thị Pâng",
            sex="female",
            date_of_birth="1983",
            ethnicity="03",
            personal_id="038183004322",
        ),
        "relationship": "spouse",
    },
]
THANG = [
    {
        **person(full_name="Nguyễn Văn Thắng", date_of_birth="1975", personal_id="038075002468"),
        "relationship": "head",
    }
]


def seed(
    live: Any, collector: dict[str, Any], households: list[list[dict[str, Any]]], village: str
) -> list[dict[str, Any]]:
    """Households of `village` pushed by `collector` (the sync API): their id, receipt code and head."""
    with live.app.app_context():
        make = Builders(live.app)
        token = make.token(db.session.get(User, collector["id"]))
        items = [
            item("household", data=household_data(village=village, members=members)) for members in households
        ]
        answer = make.push(token, items).get_json()["results"]
    assert {r["status"] for r in answer} == {"created"}
    return [
        {"id": r["id"], "code": r["receipt_code"], "head": members[0]["full_name"]}
        for r, members in zip(answer, households, strict=True)
    ]


def worker(live: Any, village: str) -> dict[str, Any]:
    """A collector assigned one village: the live server is shared, each test keeps to its own village."""
    return live.user(villages=[village])


def logged_in(live: Any, phone: Any, village: str, households: list, *, own: bool = False) -> tuple:
    """Households of `village` (another collector's, or the phone user's own), and a phone that has
    logged in and downloaded them: (page, user, seeded)."""
    user = worker(live, village)
    seeded = seed(live, user if own else live.user(), households, village)
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    return page, user, seeded


def fill_person(scope: Any, name: str, sex: str, born: str, ethnicity: str, pid: str | None = None) -> None:
    """A person's block of a form (a member, the deceased), by the fields' keys inside `scope`."""
    scope.locator("[data-key=full_name]").fill(name)
    scope.locator("[data-key=sex]").select_option(sex)
    scope.locator("[data-key=date_of_birth]").fill(born)
    scope.locator("[data-key=ethnicity]").select_option(ethnicity)
    if pid:
        scope.locator("[data-key=personal_id]").fill(pid)


def stored(page: Any, store: str, key: str | None = None) -> Any:
    """What IndexedDB holds, read the way someone with the phone's files would: a kv setting, or the rows
    of a store with their bytes left out (sealed boxes are bytes)."""
    return page.evaluate(
        """([store, key]) => new Promise((resolve, reject) => {
            const open = indexedDB.open('fieldapp');
            open.onsuccess = () => {
                const s = open.result.transaction(store).objectStore(store);
                const q = key === null ? s.getAll() : s.get(key);
                q.onsuccess = () => resolve(JSON.parse(JSON.stringify(q.result ?? null,
                    (k, v) => (v instanceof Uint8Array ? undefined : v))));
                q.onerror = () => reject(q.error);
            };
        })""",
        [store, key],
    )


def open_households(page: Any) -> None:
    """One tap from the home screen."""
    page.evaluate("location.hash = '#home'")
    page.click("#households-link")
    page.wait_for_selector("#villages li")


def search(page: Any, text: str) -> list[str]:
    page.fill("#registry-search", text)
    page.wait_for_function("(text) => document.body.dataset.searched === text", arg=text)
    return page.locator("#results .name").all_inner_texts()


def open_household(page: Any, head: str) -> None:
    page.fill("#registry-search", head)
    page.click(f"#results .name:text-is('{head}')")
    page.wait_for_selector("#household-head")


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


def test_a_birth_added_offline_to_a_known_household_syncs_with_its_household(live, phone) -> None:
    page, user, (pao,) = logged_in(live, phone, "Bản Sa Ná", [PAO])
    phone.context.set_offline(True)
    open_households(page)
    open_household(page, "Lò Văn Páo")
    page.click("#follow-birth")
    page.wait_for_selector("body[data-form=birth]")
    form = page.locator("#record-form")
    assert form.locator("[data-path='mother.full_name']").input_value() == "Hà Thị Pâng"
    assert form.locator("[data-path='father.full_name']").input_value() == "Lò Văn Páo"
    assert form.locator("[data-path='father.personal_id']").input_value() == "038080001234"
    assert form.locator("[data-path='village']").input_value() == "Bản Sa Ná"
    form.locator("[data-path='child.full_name']").fill("Lò Thị Mai")
    form.locator("[data-path='child.sex']").select_option("female")
    form.locator("[data-path='child.date_of_birth']").fill("02/03/2024")
    form.locator("[data-path='mother.full_name']").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "field-registry-birth.png"))
    page.click("#save")
    page.wait_for_selector("#household-head")
    assert flows.outbox(page) == 1
    assert "Khai sinh: Lò Thị Mai\n02/03/2024 · Chờ gửi" in page.inner_text("#events")

    flows.go_online(page)
    with live.app.app_context():
        (birth,) = [r for r in flows.records_of(user["id"]) if r.type.value == "birth"]
        assert birth.data["household_id"] == pao["id"]
        assert birth.data["mother"]["full_name"] == "Hà Thị Pâng"
        assert birth.data["child"]["full_name"] == "Lò Thị Mai"
    page.reload()
    flows.unlock(page)
    open_households(page)
    open_household(page, "Lò Văn Páo")
    events = page.inner_text("#events")  # the feed brought it back, in the office's state
    assert "Khai sinh: Lò Thị Mai\n02/03/2024 · Đã tiếp nhận" in events and "Chờ gửi" not in events


def test_a_duplicate_is_caught_at_the_door_and_the_choice_is_kept(live, phone) -> None:
    page, user, (pao,) = logged_in(live, phone, "Bản Xì Lồ", [PAO])
    phone.context.set_offline(True)
    page.click("#new-household")
    page.wait_for_selector("body[data-form=household]")
    form = page.locator("#record-form")
    form.locator("[data-key=village]").fill("Bản Mới")
    fill_person(form.locator("[data-item]").first, "Lò Văn Pao", "male", "1980", "03", "038080001234")
    page.click("#save")
    page.wait_for_selector("#door-check")
    check = page.locator("#door-check").inner_text()
    assert "Trùng số định danh 038080001234: Lò Văn Páo (Chủ hộ)" in check
    page.screenshot(path=str(SHOTS / "field-registry-door.png"))
    assert flows.outbox(page) == 0  # nothing saved while the worker decides
    page.click("#door-new")
    page.wait_for_selector("#receipt")
    flows.go_online(page)
    with live.app.app_context():
        (record,) = flows.records_of(user["id"])
        assert record.data["door_check"] == {"matches": [pao["id"]], "decision": "new"}


def test_the_door_opens_the_existing_household_instead_and_keeps_what_was_typed(live, phone) -> None:
    page, user, (pao,) = logged_in(live, phone, "Bản Lốc Há", [PAO])
    page.click("#new-death")
    page.wait_for_selector("body[data-form=death]")
    form = page.locator("#record-form")
    form.locator("[data-key=village]").fill("Bản Lốc Há")
    deceased = form.locator("fieldset", has=page.locator("[data-path='deceased.full_name']"))
    fill_person(deceased, "Lo van pao", "male", "1980", "03")
    form.locator("[data-path='date_of_death']").fill("12/05/2025")
    form.locator("[data-path='cause_of_death']").fill("Tai biến")
    page.click("#save")
    page.wait_for_selector("#door-check")
    assert "Cùng họ tên và năm sinh: Lò Văn Páo, 1980 (Chủ hộ)" in page.locator("#door-check").inner_text()
    page.click("#door-check .open-existing")
    page.wait_for_selector("#household-head")
    assert page.locator("#household-head").inner_text() == "Lò Văn Páo"
    assert flows.outbox(page) == 0
    assert "Hồ sơ đang nhập dở: Khai tử · Lo van pao" in page.inner_text("#typed")
    page.screenshot(path=str(SHOTS / "field-registry-typed-kept.png"))

    page.click("#typed-back")  # the worker looks at the new record again: everything is there
    page.wait_for_selector("body[data-form=death]")
    assert page.locator("[data-path='cause_of_death']").input_value() == "Tai biến"
    page.go_back()
    page.wait_for_selector("#typed-follow")
    page.click("#typed-follow")
    page.wait_for_selector("#choose-member")
    page.screenshot(path=str(SHOTS / "field-registry-choose-member.png"))
    page.click("#choose-member a:has-text('Lò Văn Páo')")
    page.wait_for_selector("body[data-form=death]")
    form = page.locator("#record-form")
    assert form.locator("[data-path='date_of_death']").input_value() == "12/05/2025"
    assert form.locator("[data-path='cause_of_death']").input_value() == "Tai biến"
    assert form.locator("[data-path='deceased.personal_id']").input_value() == "038080001234"
    assert form.locator("[data-path='deceased.full_name']").input_value() == "Lò Văn Páo"  # as registered
    page.click("#save")
    page.wait_for_selector("#household-head")
    assert page.locator("#typed").count() == 0  # saved: nothing is kept any more
    flows.wait_synced(page)
    with live.app.app_context():
        (death,) = flows.records_of(user["id"])
        assert death.data["household_id"] == pao["id"]
        assert death.data["deceased"]["personal_id"] == "038080001234"
        assert death.data["cause_of_death"] == "Tai biến"
        existing = {"matches": [pao["id"]], "decision": "existing", "chosen": pao["id"]}
        assert death.data["door_check"] == existing


def office_edit(live: Any, record_id: str, typed: dict[str, str]) -> int:
    """A clerk corrects the household on the record page (the review service behind it)."""
    from fieldapp.review.editing import edit_record

    with live.app.app_context():
        clerk = Builders(live.app).user(Role.CLERK)
        record = db.session.get(Record, record_id)
        edit_record(record, clerk, typed, record.version)
        db.session.commit()
        return record.version


def test_an_update_the_office_overtook_shows_both_sides_and_overwrites_nothing(live, phone) -> None:
    page, _, (pao,) = logged_in(live, phone, "Bản Nà Sài", [PAO], own=True)
    phone.context.set_offline(True)
    office_version = office_edit(live, pao["id"], {"members.0.full_name": "Lò Văn Pào"})
    open_households(page)
    open_household(page, "Lò Văn Páo")
    assert "Hộ do bạn thu thập." in page.locator("#ownership").inner_text()
    page.click("#follow-household")
    page.wait_for_selector("body[data-form=household]")
    spouse = page.locator("[data-item]").nth(1)
    assert spouse.locator("[data-key=full_name]").input_value() == "Hà Thị Pâng"
    spouse.locator("[data-key=status]").select_option("moved")
    page.click("#save")
    page.wait_for_selector("#household-head")

    phone.context.set_offline(False)
    page.wait_for_function("document.body.dataset.sync === 'done'")
    page.wait_for_selector("#conflict-banner")
    page.click("#conflict-banner a")
    page.wait_for_selector("#conflict-theirs")
    mine = page.locator("#conflict-mine").inner_text()
    theirs = page.locator("#conflict-theirs").inner_text()
    assert "Lò Văn Páo" in mine and "Đã chuyển đi" in mine
    assert "Lò Văn Pào" in theirs and "Đã chuyển đi" not in theirs
    assert f"phiên bản {office_version}" in page.locator("h2").all_inner_texts()[1]
    page.screenshot(path=str(SHOTS / "field-registry-conflict.png"), full_page=True)
    with live.app.app_context():
        record = db.session.get(Record, pao["id"])
        assert record.version == office_version
        assert record.data["members"][0]["full_name"] == "Lò Văn Pào"
        assert "status" not in record.data["members"][1]


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


def test_a_death_in_the_workers_own_household_offers_to_mark_the_member_died(live, phone) -> None:
    page, user, (pao,) = logged_in(live, phone, "Bản Kéo Hượn", [PAO], own=True)
    phone.context.set_offline(True)
    open_households(page)
    open_household(page, "Lò Văn Páo")
    page.click("#follow-death")
    page.click("#choose-member a:has-text('Hà Thị Pâng')")
    page.wait_for_selector("body[data-form=death]")
    assert page.input_value("[data-path='deceased.personal_id']") == "038183004322"
    page.fill("[data-path='date_of_death']", "03/2025")
    page.click("#save")
    page.wait_for_selector("#offer")
    assert "Đánh dấu Hà Thị Pâng là «Đã mất»" in page.inner_text("#offer")
    page.screenshot(path=str(SHOTS / "field-registry-offer.png"))
    page.click("#offer-yes")
    page.wait_for_selector("body[data-form=household]")
    assert page.locator("[data-item]").nth(1).locator("[data-key=status]").input_value() == "died"
    page.click("#save")
    page.wait_for_selector("#pending-update")
    page.click("#follow-household")  # the update waiting to be sent is edited further, not replaced
    page.wait_for_selector("body[data-form=household]")
    assert page.locator("[data-item]").nth(1).locator("[data-key=status]").input_value() == "died"
    page.fill("[data-key=address]", "Số 7")
    page.click("#save")
    page.wait_for_selector("#household-head")
    flows.go_online(page)
    with live.app.app_context():
        household = db.session.get(Record, pao["id"])
        assert household.version == 2 and household.data["members"][1]["status"] == "died"
        assert household.data["address"] == "Số 7"
        (death,) = [r for r in flows.records_of(user["id"]) if r.type.value == "death"]
        assert death.data["household_id"] == pao["id"] and death.data["date_of_death"] == "2025-03"


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
