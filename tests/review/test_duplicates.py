"""Duplicates flagged on arrival with Vietnamese names; merged or dismissed for good."""

import unicodedata

from sqlalchemy import select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record
from fieldapp.review.duplicates import flag_duplicates, name_variants
from fieldapp.review.models import DuplicatePair, PairStatus, RecordMerge
from tests.review.conftest import newborn, sign_in
from tests.support.builders import THANH_HOA, TRUNG_LY, household_data, item, person


def pairs():
    db.session.expire_all()
    return db.session.scalars(select(DuplicatePair).order_by(DuplicatePair.id)).all()


def pair_of(a, b):
    return {p.record_a for p in pairs()} | {p.record_b for p in pairs()} >= {a, b}


def test_same_personal_id_in_two_communes_is_flagged(office):
    first = office.push("household")
    other = office.make.token(office.make.user(Role.COLLECTOR, TRUNG_LY))
    data = household_data(TRUNG_LY)
    data["members"][0]["full_name"] = "Giàng Seo Páo"  # the name differs, the ID number does not
    second = office.push("household", token=other, data=data)
    flagged = pairs()
    assert len(flagged) == 1
    assert {flagged[0].record_a, flagged[0].record_b} == {first, second}
    assert flagged[0].reason == "personal_id"


def test_name_typed_in_nfd_is_flagged(office):
    first = office.push("birth", data=newborn("Lò Thị Ún"))
    nfd = newborn(
        unicodedata.normalize("NFD", "Lò Thị Ún"), mother=unicodedata.normalize("NFD", "Hà Thị Pâng")
    )
    second = office.push("birth", data=nfd)
    assert pair_of(first, second)
    assert pairs()[0].reason == "name"


def test_name_without_diacritics_is_flagged(office):
    first = office.push("birth", data=newborn("Lò Thị Ún"))
    second = office.push("birth", data=newborn("Lo Thi Un", mother="Ha Thi Pang", village="Bản Ón"))
    assert pair_of(first, second)


def test_swapped_middle_names_with_the_same_mother_are_flagged(office):
    first = office.push("birth", data=newborn("Nguyễn Thị Mai Anh", date_of_birth="2023"))
    second = office.push("birth", data=newborn("Nguyễn Mai Thị Anh", date_of_birth="2023", village="Bản Ón"))
    assert pair_of(first, second)
    assert pairs()[0].score == 100


def test_stored_record_missing_the_middle_names_is_flagged(office):
    first = office.push("birth", data=newborn("Nguyễn Anh", mother="Trần Thị Lụa", village="Bản Ón"))
    second = office.push("birth", data=newborn("Nguyễn Thị Mai Anh"))
    assert pair_of(first, second)


def test_same_name_born_another_day_is_not_flagged(office):
    office.push("birth", data=newborn("Lò Thị Ún", date_of_birth="2023-05-20"))
    office.push("birth", data=newborn("Lò Thị Ún", date_of_birth="2023-06-21"))
    assert pairs() == []


def test_same_name_and_year_elsewhere_with_another_mother_is_not_flagged(office):
    office.push("birth", data=newborn("Lò Thị Ún", date_of_birth="2023"))
    office.push(
        "birth", data=newborn("Lò Thị Ún", date_of_birth="2023", mother="Vi Thị Xoan", village="Bản Ón")
    )
    assert pairs() == []


def test_a_household_member_is_not_a_duplicate_of_a_marriage(office):
    office.push("household")
    wedding = item("marriage")
    wedding["data"]["husband"] = person()  # the head of the household, on his marriage record
    office.make.push(office.collector_token, [wedding])
    assert pairs() == []


def test_distinct_pair_is_never_flagged_again(client, make, office):
    first = office.push("birth", data=newborn("Lò Thị Ún"))
    second = office.push("birth", data=newborn("Lò Thị Ún"))
    csrf = sign_in(client, make)
    pair = pairs()[0]
    response = client.post(f"/review/duplicates/{pair.id}", data={"csrf_token": csrf, "verdict": "distinct"})
    assert response.status_code == 302
    assert flag_duplicates([first, second]) == 0
    assert [p.status for p in pairs()] == [PairStatus.DISTINCT]


def test_merge_keeps_one_and_the_other_as_history(client, make, office):
    first = office.push("birth", data=newborn("Lò Thị Ún"))
    second = office.push("birth", data=newborn("Lò Thị Ún"))
    csrf = sign_in(client, make)
    pair = pairs()[0]
    page = client.get(f"/review/duplicates/{pair.id}").get_data(as_text=True)
    assert page.count("Lò Thị Ún") >= 2
    form = {"csrf_token": csrf, "verdict": "duplicate", "keep": first}
    assert client.post(f"/review/duplicates/{pair.id}", data=form).status_code == 302
    db.session.expire_all()
    dropped = db.session.get(Record, second)
    assert dropped.state.value == "rejected"
    assert "Trùng với hồ sơ" in dropped.review_comment
    assert db.session.get(RecordMerge, second).into_id == first
    assert db.session.get(Record, first).state.value == "submitted"
    feed = make.pull(office.collector_token).get_json()["changes"]
    assert any(c["id"] == second and c["state"] == "rejected" for c in feed)


def test_pair_across_communes_needs_a_province_clerk(client, make, office):
    office.push("household")
    other = office.make.token(office.make.user(Role.COLLECTOR, TRUNG_LY))
    office.push("household", token=other, data=household_data(TRUNG_LY))
    pair = pairs()[0]
    csrf = sign_in(client, make)
    assert "Hồ sơ ở xã khác" in client.get(f"/review/duplicates/{pair.id}").get_data(as_text=True)
    form = {"csrf_token": csrf, "verdict": "distinct"}
    assert client.post(f"/review/duplicates/{pair.id}", data=form).status_code == 403
    province = make.client
    csrf = sign_in(province, make, Role.CLERK, THANH_HOA)
    assert (
        province.post(f"/review/duplicates/{pair.id}", data={**form, "csrf_token": csrf}).status_code == 302
    )


def test_duplicates_list_is_scoped(client, make, office):
    office.push("birth", data=newborn("Lò Thị Ún"))
    office.push("birth", data=newborn("Lò Thị Ún"))
    sign_in(client, make)
    assert "Lò Thị Ún" in client.get("/review/duplicates").get_data(as_text=True)
    other = make.client
    sign_in(other, make, Role.CLERK, TRUNG_LY)
    assert "Lò Thị Ún" not in other.get("/review/duplicates").get_data(as_text=True)
    assert other.get(f"/review/duplicates/{pairs()[0].id}").status_code == 404


def test_name_variants_reorder_and_drop_middle_names():
    assert set(name_variants("nguyen thi mai anh")) == {
        "nguyen thi mai anh",
        "nguyen mai thi anh",
        "nguyen anh",
    }
