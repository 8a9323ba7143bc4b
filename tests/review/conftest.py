"""Review fixtures: a collector's pushed records, clerks signed in on the web or holding a token."""

import re
from typing import Any

import pytest
from flask import g
from flask.testing import FlaskClient

from fieldapp.accounts.models import Role
from tests.support.builders import MUONG_LAT, PASSWORD, Builders, item


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


class Office:
    """A collector pushing from the field, and helpers to act as staff."""

    def __init__(self, make: Builders) -> None:
        self.make = make
        self.collector = make.user(Role.COLLECTOR, MUONG_LAT)
        self.collector_token = make.token(self.collector)

    def push(self, kind: str = "household", token: str | None = None, **fields: Any) -> str:
        record = item(kind, **fields)
        response = self.make.push(token or self.collector_token, [record])
        result = response.get_json()["results"][0]
        assert result["status"] == "created", result
        return record["id"]

    def staff_token(self, role: Role | str = Role.CLERK, area: str | None = MUONG_LAT) -> str:
        return self.make.token(self.make.user(role, area))

    def review(self, token: str, record_id: str, action: str, **body: Any) -> Any:
        return self.make.client.post(
            f"/api/v1/records/{record_id}/review",
            json={"action": action, **body},
            headers=self.make.headers(token),
        )


@pytest.fixture
def office(make: Builders) -> Office:
    return Office(make)


def sign_in(
    client: FlaskClient, make: Builders, role: Role | str = Role.CLERK, area: str | None = MUONG_LAT
) -> str:
    """Sign a new staff user in on the web; returns a CSRF token for the forms."""
    user = make.user(role, area)
    g.pop("csrf_token", None)  # flask-wtf caches the token in g, which the test's app context shares
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    g.pop("csrf_token", None)
    return csrf_from(client.get("/").get_data(as_text=True))


def newborn(
    name: str, date_of_birth: str = "2023-05-20", mother: str = "Hà Thị Pâng", **overrides: Any
) -> dict:
    """Birth record data for a child with no personal ID yet."""
    from tests.support.builders import birth_data, person

    data = birth_data(**overrides)
    data["child"] = person(full_name=name, sex="female", date_of_birth=date_of_birth)
    data["child"].pop("personal_id")
    data["mother"]["full_name"] = mother
    return data
