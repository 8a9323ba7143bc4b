"""The record page in words for what the phone's registry adds: the worker's duplicate check at the door,
the household an event follows up, a member who moved away or died; links only to records the clerk may
open, never an id or a code."""

import re

import pytest

from tests.review.conftest import sign_in
from tests.support.builders import TRUNG_LY, birth_data, household_data, item

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def visible_text(html: str) -> str:
    """The page as read: tags, attributes and scripts left out."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def page(client, record_id):
    response = client.get(f"/review/records/{record_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def named(office, name, commune=None, token=None, **extra):
    data = household_data(commune, **extra) if commune else household_data(**extra)
    data["members"][0]["full_name"] = name
    return office.push("household", token=token, data=data)


def test_the_door_check_is_a_sentence_with_links_to_the_records_the_clerk_may_open(client, make, office):
    seen = named(office, "Giàng A Páo")
    elsewhere = named(office, "Giàng A Pao", commune=TRUNG_LY, token=make.collector_token(TRUNG_LY))
    check = {"matches": [seen, elsewhere], "decision": "new"}
    record_id = named(office, "Giàng A Páo", door_check=check)
    sign_in(client, make)
    html = page(client, record_id)
    text = visible_text(html)
    assert "Khi nhập, cán bộ đã thấy 2 hộ có thể trùng và vẫn tạo hộ mới." in text
    assert f'href="/review/records/{seen}"' in html
    assert elsewhere not in html  # another commune's record: counted, not linked, not named
    assert "1 hồ sơ trong số đó thuộc xã khác hoặc chưa được gửi lên" in text
    assert not UUID.search(text) and "existing" not in text and " new" not in text


def test_choosing_the_existing_record_names_it(client, make, office):
    chosen = named(office, "Giàng A Páo")
    check = {"matches": [chosen], "decision": "existing", "chosen": chosen}
    born = office.push("birth", data=birth_data(household_id=chosen, door_check=check))
    sign_in(client, make)
    html = page(client, born)
    text = visible_text(html)
    assert "Khi nhập, cán bộ đã thấy 1 hồ sơ có thể trùng và chọn hồ sơ đã có." in text
    assert "Hồ sơ được chọn:" in text and "Thuộc hộ:" in text
    assert html.count(f'href="/review/records/{chosen}"') == 3  # chosen, in the list, its household


def test_a_household_lists_the_events_that_follow_it_up(client, make, office):
    home = named(office, "Giàng A Páo")
    born = office.push("birth", data=birth_data(household_id=home))
    sign_in(client, make)
    html = page(client, home)
    assert f'href="/review/records/{born}"' in html
    assert "Khai sinh:" in visible_text(html) and "Lò Thị Ún" in html


def test_an_event_of_a_household_the_clerk_cannot_open_says_so_without_the_id(client, make, office):
    unsent = item()["id"]
    born = office.push("birth", data=birth_data(household_id=unsent))
    sign_in(client, make)
    text = visible_text(page(client, born))
    assert "Thuộc một hộ chưa được gửi lên hoặc ở ngoài địa bàn của bạn." in text
    assert unsent not in text


def test_member_status_shows_in_words_in_the_editor_and_the_history(client, make, office):
    record_id = office.push("household")
    csrf = sign_in(client, make)
    html = page(client, record_id)
    select = re.search(r'<select id="f-members-1-status".*?</select>', html, re.S).group(0)
    assert '<option value="present" selected>Đang ở</option>' in select
    assert "Đã chuyển đi" in select and "Đã mất" in select
    form = {
        "csrf_token": csrf,
        "version": "1",
        "f:members.1.status": "moved",
        "f:members.0.status": "present",
    }
    assert client.post(f"/review/records/{record_id}/edit", data=form).status_code == 302
    html = page(client, record_id)
    history = html[html.index('id="versions"') :]
    row = re.search(r"<tr><th scope=\"row\">Thành viên 2 · Tình trạng</th>(.*?)</tr>", history).group(1)
    assert 'class="old">Đang ở' in row
    assert 'class="new">Đã chuyển đi' in row
    assert "Thành viên 1 · Tình trạng" not in history  # "present" typed over nothing is no change
    assert "moved" not in visible_text(history)


def test_a_collectors_new_link_shows_in_the_history_in_words(client, make, office):
    home = named(office, "Giàng A Páo")
    born = item("birth")
    make.push(office.collector_token, [born])
    relinked = item("birth", id=born["id"], data=birth_data(household_id=home), base_version=1)
    assert make.push(office.collector_token, [relinked]).get_json()["results"][0]["status"] == "updated"
    sign_in(client, make)
    html = page(client, born["id"])
    history = visible_text(html[html.index('id="versions"') :])
    assert "Thuộc hộ" in history and "Giàng A Páo (Bản Pù Toong)" in history
    assert home not in history
