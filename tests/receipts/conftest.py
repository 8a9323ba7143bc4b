"""Receipt test helpers: records pushed by a collector of Mường Lát, sign-in, state changes."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.records import services as records
from fieldapp.records.models import Record
from fieldapp.records.states import Action
from tests.support.builders import MUONG_LAT, Builders, household_data, item, person


@pytest.fixture
def collector(make: Builders) -> User:
    return make.user(Role.COLLECTOR, MUONG_LAT, full_name="Lò Văn Thu")


@pytest.fixture
def collector_token(make: Builders, collector: User) -> str:
    return make.token(collector)


@pytest.fixture
def clerk(make: Builders) -> User:
    return make.user(Role.CLERK, MUONG_LAT, full_name="Hà Thị Lan")


def household_of(head: str, village: str = "Bản Pù Toong", commune: str = MUONG_LAT) -> dict[str, Any]:
    members = [{**person(full_name=head), "relationship": "head"}]
    return household_data(commune, village=village, members=members)


def push_one(make: Builders, token: str, record: dict[str, Any]) -> dict[str, Any]:
    """Push one record; its answer (id, receipt_code, ...), which must be "created"."""
    answer = make.push(token, [record]).get_json()["results"][0]
    assert answer["status"] == "created", answer
    return answer


def push_household(make: Builders, token: str, head: str = "Nguyễn Thị Hoà", **kw: Any) -> dict[str, Any]:
    return push_one(make, token, item("household", data=household_of(head, **kw)))


def sign_in(client: FlaskClient, user: User) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def move(record_id: str, by: User, *actions: Action, comment: str | None = None) -> Record:
    record = db.session.get(Record, record_id)
    for action in actions:
        records.transition(record, action, by, comment=comment if action is actions[-1] else None)
    db.session.commit()
    return record
