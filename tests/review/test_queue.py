"""The work queue: area, search with and without diacritics, filters, Vietnamese name order, pages."""

import unicodedata

import pytest

from fieldapp.accounts.models import Role
from tests.review.conftest import sign_in
from tests.support.builders import THANH_HOA, TRUNG_LY, birth_data, household_data, item, person

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def birth(name, **overrides):
    """A birth record of a child without a personal ID (a newborn has none yet)."""
    data = birth_data(**overrides)
    data["child"] = {
        k: v for k, v in person(full_name=name, sex="female", date_of_birth="2023-05-20").items()
    }
    data["child"].pop("personal_id")
    return data


def queue_text(client, **args):
    response = client.get("/review/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_clerk_sees_only_records_of_their_commune(client, make, office):
    office.push("household")
    other = office.make.token(office.make.user(Role.COLLECTOR, TRUNG_LY))
    office.push("birth", token=other, data=birth("Hà Văn Xa", commune=TRUNG_LY))
    sign_in(client, make)
    html = queue_text(client, state="all")
    assert "Giàng A Páo" in html
    assert "Hà Văn Xa" not in html


@pytest.mark.parametrize("typed", ["giang a pao", "GIANG A PAO", "Giàng A Páo", "giàng  a   páo", "gia pao"])
def test_name_search_with_or_without_diacritics(client, make, office, typed):
    office.push("household")
    office.push("birth", data=birth("Lò Thị Ún"))
    sign_in(client, make)
    html = queue_text(client, q=typed)
    assert "Giàng A Páo" in html
    assert "Lò Thị Ún" not in html


def test_name_typed_in_nfd_is_found(client, make, office):
    office.push("birth", data=birth("Nguyễn Thị Ánh"))
    sign_in(client, make)
    assert "Nguyễn Thị Ánh" in queue_text(client, q=unicodedata.normalize("NFD", "nguyễn ánh"))


def test_province_user_searches_through_the_name_index(client, make, office):
    office.push("birth", data=birth("Nguyễn Thị Ánh"))
    office.push("birth", data=birth("Lò Thị Ún"))
    sign_in(client, make, Role.MANAGER, THANH_HOA)
    html = queue_text(client, q="nguyen anh")
    assert "Nguyễn Thị Ánh" in html
    assert "Lò Thị Ún" not in html


def test_search_by_personal_id_and_receipt_code(client, make, office):
    first = office.make.push(office.collector_token, [item("household")]).get_json()["results"][0]
    office.push("birth", data=birth("Lò Thị Ún"))
    sign_in(client, make)
    by_id = queue_text(client, q="038 080 001 234")
    assert "Giàng A Páo" in by_id and "Lò Thị Ún" not in by_id
    code = first["receipt_code"]
    by_code = queue_text(client, q=f"{code[:5].lower()}-{code[5:].lower()}")
    assert "Giàng A Páo" in by_code and "Lò Thị Ún" not in by_code


NAMES = [
    "Phạm Văn Đức",
    "Nguyễn Văn An",
    "Vũ Văn Dũng",
    "Trần Thị Bình",
    "Đỗ Thị Ánh",
    "Lê Văn An",
    "Hoàng Thị Dung",
]
VIETNAMESE_ORDER = [
    "Lê Văn An",
    "Nguyễn Văn An",
    "Đỗ Thị Ánh",
    "Trần Thị Bình",
    "Hoàng Thị Dung",
    "Vũ Văn Dũng",
    "Phạm Văn Đức",
]


def test_sorted_by_given_name_in_vietnamese_order(client, make, office):
    office.make.push(office.collector_token, [item("birth", data=birth(name)) for name in NAMES])
    sign_in(client, make)
    html = queue_text(client, sort="name")
    positions = [html.index(f">{name}</a>") for name in VIETNAMESE_ORDER]
    assert positions == sorted(positions)


def test_keyset_pages_cover_every_record_once(client, make, office):
    names = [f"Lò Văn Bản{chr(0x61 + i % 26)}{i:02d}" for i in range(55)]
    office.make.push(office.collector_token, [item("birth", data=birth(n)) for n in names])
    sign_in(client, make)
    first = client.get("/review/?sort=name").get_data(as_text=True)
    assert 'rel="next"' in first
    import html as htmllib
    import re

    next_url = htmllib.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    second = client.get(next_url).get_data(as_text=True)
    seen_first = {n for n in names if f">{n}</a>" in first}
    seen_second = {n for n in names if f">{n}</a>" in second}
    assert len(seen_first) == 50
    assert seen_first | seen_second == set(names)
    assert not seen_first & seen_second
    assert 'rel="next"' not in second


def test_filters_by_state_type_village_collector_and_date(client, make, office):
    office.push("household")
    office.push("birth", data=birth("Lò Thị Ún"))
    late = item("birth", data=birth("Hà Thị Pâng", village="Bản Ón"), captured_at="2025-12-05T09:00:00+07:00")
    office.make.push(office.collector_token, [late])
    token = office.staff_token()
    office.review(token, late["id"], "start")
    sign_in(client, make)
    assert "Giàng A Páo" not in queue_text(client, type="birth")
    in_review = queue_text(client, state="in_review")
    assert "Hà Thị Pâng" in in_review and "Lò Thị Ún" not in in_review
    village = queue_text(client, village="Bản Ón", state="all")
    assert "Hà Thị Pâng" in village and "Lò Thị Ún" not in village
    dated = queue_text(client, **{"from": "2025-12-01", "to": "2025-12-31", "state": "all"})
    assert "Hà Thị Pâng" in dated and "Giàng A Páo" not in dated
    assert "Giàng A Páo" in queue_text(client, collector=office.collector.id)
    assert "Giàng A Páo" not in queue_text(client, collector=office.collector.id + 999)


def test_collectors_may_not_open_the_queue(client, make):
    sign_in(client, make, Role.COLLECTOR)
    assert client.get("/review/").status_code == 403


def test_signed_out_goes_to_login(client):
    response = client.get("/review/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_bad_cursor_is_a_400_not_a_500(client, make, office):
    office.push("household")
    sign_in(client, make)
    assert client.get("/review/?after=zz~abc").status_code == 400


def test_household_builder_still_valid(office):
    assert office.push("household", data=household_data(village="Bản Lát"))
