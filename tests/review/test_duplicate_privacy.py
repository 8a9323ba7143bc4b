"""A pair across communes shows a clerk nothing of the other commune's record."""

from sqlalchemy import select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.records.models import Record
from fieldapp.review.models import DuplicatePair
from tests.review.conftest import sign_in
from tests.support.builders import TRUNG_LY, household_data, item, person

#: the household of Mường Lát the clerk of Trung Lý is after: its people and their ID numbers
VICTIMS = ("Giàng A Páo", "Vàng Thị Mua", "Giàng A Dế")


def probe_household() -> dict:
    """A record carrying only a known ID number, under a made-up name."""
    data = household_data(TRUNG_LY, village="Bản Cá Nọi")
    # the ID number says: a man born in 1980; anything else is refused at the push
    data["members"] = [{**person(full_name="Lầu A Tủa", date_of_birth="1980-09-09"), "relationship": "head"}]
    return data


def test_a_clerk_cannot_look_up_a_name_by_personal_id_through_duplicates(client, make, office):
    victim = office.push("household")
    code = db.session.get(Record, victim).receipt_code
    clerk = make.user(Role.CLERK, TRUNG_LY)
    probe = item("household", data=probe_household())
    assert make.push(make.token(clerk), [probe]).get_json()["results"][0]["status"] == "created"
    pair = db.session.scalars(select(DuplicatePair)).one()
    assert {pair.record_a, pair.record_b} == {victim, probe["id"]}

    sign_in(client, make, Role.CLERK, TRUNG_LY)
    pages = [client.get("/review/duplicates"), client.get(f"/review/duplicates/{pair.id}")]
    for page in pages:
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "Lầu A Tủa" in html  # the clerk's own record is shown
        for secret in (*VICTIMS, code, code[:5], victim, "Bản Pù Toong", "15/03/1980"):
            assert secret not in html, secret
        assert "Hồ sơ ở xã khác" in html
        assert "Giống: số định danh" in html  # what matched, without the other side's values


def test_the_record_page_of_one_side_names_nothing_of_the_other(client, make, office):
    victim = office.push("household")
    probe = item("household", data=probe_household())
    make.push(make.token(make.user(Role.CLERK, TRUNG_LY)), [probe])
    sign_in(client, make, Role.CLERK, TRUNG_LY)
    html = client.get(f"/review/records/{probe['id']}").get_data(as_text=True)
    assert "Xem cặp" in html
    for secret in (*VICTIMS, victim, db.session.get(Record, victim).receipt_code):
        assert secret not in html, secret
