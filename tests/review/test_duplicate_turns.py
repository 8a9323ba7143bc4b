"""Pairs across communes settled by the two clerks in turn; what a pair says it matched on; edits
checked again; the progress counters after a merge agree with a recount."""

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import func, select

from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.progress import counters
from fieldapp.progress.models import DailyCount, ProvinceDay, UnitTotal
from fieldapp.records.models import Record
from fieldapp.review.models import DuplicatePair, PairStatus, RecordMerge
from tests.review.conftest import newborn, sign_in
from tests.support.builders import TRUNG_LY, household_data


class Desk(FlaskClient):
    """A browser of its own: the test's app context shares `g` between clients, so the signed-in user
    and CSRF token another client left there are forgotten before each request."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        g.pop("csrf_token", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def desks(app):
    app.test_client_class = Desk
    return app.test_client


@pytest.fixture
def client(desks):
    return desks()


def the_pair() -> DuplicatePair:
    db.session.expire_all()
    return db.session.scalars(select(DuplicatePair)).one()


def cross_commune_pair(office, name: str = "Giàng A Páo") -> tuple[str, str]:
    """The same head of household (same ID number) collected in Mường Lát and in Trung Lý."""
    mine = office.push("household")
    data = household_data(TRUNG_LY)
    data["members"][0]["full_name"] = name
    theirs = office.push("household", token=office.make.collector_token(TRUNG_LY), data=data)
    return mine, theirs


def counter_rows() -> list[tuple]:
    rows = []
    for model in (DailyCount, UnitTotal, ProvinceDay):
        table = model.__table__
        key = [c for c in table.c if c.name != "count"]
        rows += [(model.__name__, *r) for r in db.session.execute(select(*key, table.c.count).order_by(*key))]
    return rows


def assert_counters_match_a_recount() -> None:
    db.session.commit()
    maintained = counter_rows()
    counters.rebuild()
    db.session.commit()
    assert counter_rows() == maintained


def test_two_clerks_settle_a_cross_commune_pair_in_turn(desks, client, make, office):
    mine, theirs = cross_commune_pair(office)
    pair = the_pair()
    csrf = sign_in(client, make)  # the clerk of Mường Lát
    page = client.get("/review/duplicates").get_data(as_text=True)
    assert "Cần bạn xử lý" in page and "bạn đề nghị trước" in page

    answer = client.post(
        f"/review/duplicates/{pair.id}/turn", data={"csrf_token": csrf, "verdict": "duplicate", "keep": mine}
    )
    assert answer.status_code == 302
    assert the_pair().status is PairStatus.OPEN and the_pair().proposed_from == mine
    page = client.get("/review/duplicates").get_data(as_text=True)
    assert "Đang chờ xã kia" in page
    assert "Đang chờ cán bộ hộ tịch của xã kia đồng ý" in page

    other = desks()
    other_csrf = sign_in(other, make, Role.CLERK, TRUNG_LY)
    page = other.get(f"/review/duplicates/{pair.id}").get_data(as_text=True)
    assert "Cán bộ xã kia đề nghị: cùng một người, giữ hồ sơ ở xã kia" in page
    form = {"csrf_token": other_csrf, "verdict": "duplicate", "keep": "other"}
    assert other.post(f"/review/duplicates/{pair.id}/turn", data=form).status_code == 302

    assert the_pair().status is PairStatus.DUPLICATE
    merge = db.session.get(RecordMerge, theirs)
    assert merge.into_id == mine
    dropped = db.session.get(Record, theirs)
    assert dropped.state.value == "rejected"
    assert dropped.review_comment == "Trùng với một hồ sơ ở xã khác; đã gộp."  # no code of Mường Lát
    assert db.session.get(Record, mine).state.value == "submitted"
    assert_counters_match_a_recount()


def test_a_clerk_who_disagrees_passes_the_turn_back(desks, client, make, office):
    mine, theirs = cross_commune_pair(office)
    pair = the_pair()
    csrf = sign_in(client, make)
    form = {"csrf_token": csrf, "verdict": "duplicate", "keep": mine}
    client.post(f"/review/duplicates/{pair.id}/turn", data=form)
    other = desks()
    other_csrf = sign_in(other, make, Role.CLERK, TRUNG_LY)
    other.post(f"/review/duplicates/{pair.id}/turn", data={"csrf_token": other_csrf, "verdict": "distinct"})
    assert the_pair().status is PairStatus.OPEN
    assert the_pair().proposed_from == theirs
    page = client.get("/review/duplicates").get_data(as_text=True)
    assert "Cán bộ xã kia đề nghị: hai người khác nhau" in page
    client.post(f"/review/duplicates/{pair.id}/turn", data={"csrf_token": csrf, "verdict": "distinct"})
    assert the_pair().status is PairStatus.DISTINCT
    assert db.session.scalar(select(func.count()).select_from(RecordMerge)) == 0


def test_a_province_reviewer_settles_at_once_and_counters_follow(client, make, office):
    mine, theirs = cross_commune_pair(office)
    pair = the_pair()
    csrf = sign_in(client, make, Role.CLERK, "38")
    page = client.get(f"/review/duplicates/{pair.id}").get_data(as_text=True)
    assert page.count("Giàng A Páo") >= 2 and "Xã Trung Lý" in page  # sees both, with their communes
    form = {"csrf_token": csrf, "verdict": "duplicate", "keep": theirs}
    assert client.post(f"/review/duplicates/{pair.id}", data=form).status_code == 302
    assert the_pair().status is PairStatus.DUPLICATE
    assert db.session.get(RecordMerge, mine).into_id == theirs
    assert_counters_match_a_recount()


def test_a_manager_reads_pairs_but_cannot_settle_them(client, make, office):
    cross_commune_pair(office)
    pair = the_pair()
    csrf = sign_in(client, make, Role.MANAGER, "38")
    page = client.get("/review/duplicates").get_data(as_text=True)
    assert "Cặp hồ sơ trong địa bàn" in page
    assert (
        "<form" not in client.get(f"/review/duplicates/{pair.id}").get_data(as_text=True).split("<main")[-1]
    )
    form = {"csrf_token": csrf, "verdict": "distinct"}
    assert client.post(f"/review/duplicates/{pair.id}/turn", data=form).status_code == 403


def test_the_clerk_is_told_when_the_other_record_can_no_longer_be_merged(client, make, office):
    mine, theirs = cross_commune_pair(office)
    pair = the_pair()
    other_clerk = make.user(Role.CLERK, TRUNG_LY)
    from fieldapp.records import services as records
    from fieldapp.records.states import Action

    record = db.session.get(Record, theirs)
    records.transition(record, Action.START, other_clerk)
    records.transition(record, Action.VERIFY, other_clerk)
    db.session.commit()
    csrf = sign_in(client, make)
    form = {"csrf_token": csrf, "verdict": "duplicate", "keep": mine}
    answer = client.post(f"/review/duplicates/{pair.id}/turn", data=form, follow_redirects=True)
    assert "Hồ sơ ở xã kia đã được xử lý xong, không gộp được" in answer.get_data(as_text=True)
    assert the_pair().proposed_from is None


def test_a_pair_says_what_matched_and_what_differs(client, make, office):
    cross_commune_pair(office, name="Giàng Seo Páo")
    pair = the_pair()
    assert pair.matched == "personal_id,birth"
    assert pair.differs == "name,household"
    assert pair.score < 100
    sign_in(client, make)
    page = client.get("/review/duplicates").get_data(as_text=True)
    assert "Giống: số định danh, ngày sinh" in page
    assert "Khác: họ tên, thôn, xã" in page
    assert "100%" not in page


def test_same_child_in_two_villages_matches_on_name_birth_and_mother(office):
    office.push("birth", data=newborn("Lò Thị Ún"))
    office.push("birth", data=newborn("Lò Thị Ún", village="Bản Ón"))
    pair = the_pair()
    assert (pair.matched, pair.differs, pair.score) == ("name,birth,parents", "household", 100)


def test_a_clerks_edit_is_checked_for_duplicates_again(client, make, office):
    office.push("birth", data=newborn("Lò Thị Ún"))
    second = office.push("birth", data=newborn("Lò Thị Xoan"))
    assert db.session.scalar(select(func.count()).select_from(DuplicatePair)) == 0
    csrf = sign_in(client, make)
    version = db.session.get(Record, second).version
    form = {"csrf_token": csrf, "version": version, "f:child.full_name": "Lò Thị Ún"}
    assert client.post(f"/review/records/{second}/edit", data=form).status_code == 302
    assert second in {the_pair().record_a, the_pair().record_b}
    assert the_pair().matched == "name,birth,parents,household"


def test_a_collectors_resubmission_is_checked_for_duplicates_again(make, office):
    office.push("birth", data=newborn("Lò Thị Ún"))
    record = {"id": None, "data": newborn("Lò Thị Xoan")}
    record["id"] = office.push("birth", data=record["data"])
    clerk = office.staff_token()
    assert office.review(clerk, record["id"], "start").status_code == 200
    assert office.review(clerk, record["id"], "return", comment="Tên của cháu viết sai").status_code == 200
    fixed = newborn("Lò Thị Ún")
    from tests.support.builders import item

    update = item("birth", id=record["id"], data=fixed, base_version=1)
    result = make.push(office.collector_token, [update]).get_json()["results"][0]
    assert result["status"] == "updated"
    assert record["id"] in {the_pair().record_a, the_pair().record_b}
