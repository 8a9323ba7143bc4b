"""Following up the area's households on the phone (issue 13), in a real browser: a birth added to a
known household with its parents filled in; a duplicate caught before it is saved, and what was typed
kept when the worker opens the household instead; a household update the office overtook; a death that
offers to mark the member died."""

from typing import Any

import pytest

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record
from tests.browser import flows
from tests.browser.registry_phone import (
    PAO,
    SHOTS,
    fill_person,
    logged_in,
    open_household,
    open_households,
)
from tests.support.builders import Builders

pytestmark = pytest.mark.browser


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
