"""Registration indicators on a hand-built commune: two households, their events, one rejected record."""

import pytest

from fieldapp.extensions import db
from fieldapp.progress import areas, indicators
from fieldapp.records import services as records
from fieldapp.records.models import Record
from fieldapp.records.states import Action
from tests.progress.helpers import sign_in
from tests.support.builders import (
    MUONG_LAT,
    TRUNG_LY,
    birth_data,
    death_data,
    household_data,
    item,
    marriage_data,
    person,
)

REGISTER = {"book_number": "01", "entry_number": "12", "registered_on": "2023-06-01"}


def second_household() -> dict:
    """Head and spouse without a marriage record; three young children."""
    members = [
        {
            **person(full_name="Lò Văn Khăm", date_of_birth="1995-04-04", ethnicity="03", personal_id=None),
            "relationship": "head",
        },
        {
            **person(
                full_name="Hà Thị Pâng", sex="female", date_of_birth="1998", ethnicity="03", personal_id=None
            ),
            "relationship": "spouse",
        },
        {
            **person(
                full_name="Lò Thị Ún",
                sex="female",
                date_of_birth="2023-05-20",
                ethnicity="03",
                personal_id="038323000777",
            ),
            "relationship": "child",
        },
        {
            **person(full_name="Lò Văn Pản", date_of_birth="2023-01-10", ethnicity="03", personal_id=None),
            "relationship": "child",
        },
        {
            **person(
                full_name="Lò Thị Bích",
                sex="female",
                date_of_birth="2021-02-02",
                ethnicity="03",
                personal_id=None,
            ),
            "relationship": "child",
        },
    ]
    for member in members:
        if member["personal_id"] is None:
            member.pop("personal_id")
    return {**household_data(), "members": members}


def child(name: str, born: str, sex: str = "female", **extra) -> dict:
    data = person(full_name=name, sex=sex, date_of_birth=born, ethnicity="03", **extra)
    if "personal_id" not in extra:
        data.pop("personal_id")
    return data


def birth(kid: dict, **extra) -> dict:
    """A birth record of this child (not merged with the builder's child: a new person)."""
    return {**birth_data(**extra), "child": kid}


@pytest.fixture
def commune(make):
    collector, clerk = make.user("collector"), make.user("clerk")
    no_cause = death_data(date_of_death="2021-03-01")
    no_cause.pop("cause_of_death")
    batch = [
        item("household"),  # head, spouse and a child born 2010
        item("household", data=second_household()),
        # registered, matches Lò Thị Ún by personal ID
        item("birth", data=birth_data(register=REGISTER)),
        # not registered: no register entry, no official number
        item("birth", data=birth(child("Lò Văn Pản", "2023-01-10", "male"))),
        # matches Lò Thị Bích by name and date of birth; registered at five (2026)
        item(
            "birth",
            data=birth(child("Lò Thị Bích", "2021-02-02"), register={"registered_on": "2026-01-05"}),
        ),
        # the 2010 child's birth, rejected below: never counts
        item(
            "birth",
            id="00000000-0000-4000-8000-00000000000b",
            data=birth(
                child("Giàng A Dế", "2010-09-02", "male", personal_id="038210000111"), register=REGISTER
            ),
        ),
        item("death", data=death_data(register={"registered_on": "2021-11-05"})),  # 2021, cause, registered
        item("death", data=no_cause),  # 2021, no cause, not registered
        item("death", data=death_data(date_of_death="2020-05-05")),  # another year
        item(
            "marriage",
            data=marriage_data(
                husband=person(),
                wife=person(
                    full_name="Vàng Thị Mua", sex="female", date_of_birth="1983", personal_id="038183004321"
                ),
                register={"book_number": "03", "entry_number": "7"},
            ),
        ),
    ]
    response = make.push(make.token(collector), batch)
    bad = [r for r in response.get_json()["results"] if r["status"] != "created"]
    assert not bad, bad
    rejected = db.session.get(Record, "00000000-0000-4000-8000-00000000000b")
    records.transition(rejected, Action.START, clerk)
    records.transition(rejected, Action.REJECT, clerk, comment="Trùng")
    db.session.commit()
    return areas.resolve("commune", MUONG_LAT)


def figures(area, year):
    return {i.key: (i.numerator, i.denominator, i.records) for i in indicators.compute(area, year)}


def test_indicators_hand_computed(commune):
    got = figures(commune, 2023)
    assert got["births_registered"] == (1, 2, 1)  # born 2023: Ún (registered), Pản (not)
    assert got["under_five_registered"] == (2, 3, 1)  # born 2019-2023: Ún, Bích registered; Pản not
    assert got["registered_before_five"] == (1, 1, 1)  # Ún, registered 2023
    assert got["population_registered"] == (2, 8, 2)  # 8 members; the 2010 child's record was rejected
    assert got["couples_married"] == (1, 2, 2)  # first household's couple has a registered marriage


def test_death_indicators_hand_computed(commune):
    got = figures(commune, 2021)
    assert got["deaths_registered"] == (1, 2, 2)
    assert got["deaths_with_cause"] == (1, 2, 2)
    assert figures(commune, 2021)["registered_before_five"] == (0, 1, 1)  # Bích: registered at five


def test_an_area_with_no_data_has_no_share(app):
    area = areas.resolve("commune", TRUNG_LY)
    for indicator in indicators.compute(area, 2023):
        assert (indicator.numerator, indicator.denominator, indicator.share) == (0, 0, None)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_indicator_page_says_how_each_figure_is_computed(client, make, commune):
    sign_in(client, make.user("manager", "38"))
    html = client.get(f"/progress/indicators?area={MUONG_LAT}&year=2023", headers={"Accept-Language": "vi"})
    text = html.get_data(as_text=True)
    assert "Trẻ sinh ra còn sống được đăng ký khai sinh" in text
    assert "50,0%" in text and "1 / 2" in text
    assert "khớp số định danh" in text
    csv = client.get(f"/progress/indicators/export.csv?area={MUONG_LAT}&year=2023").data
    assert csv.startswith("\ufeff".encode())
    assert "Cặp vợ chồng chung sống có đăng ký kết hôn,1,2,50.0,2" in csv.decode("utf-8-sig")
