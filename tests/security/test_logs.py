"""No personal data in the logs: a whole run over the demo data, its names and ID numbers looked for."""

import io
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.logs import JsonFormatter
from fieldapp.records.models import Record, RecordPerson
from fieldapp.vn.text import fold
from tests.support.builders import item, session_id

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

DEMO_PASSWORD = "lua-chin-vang-dong"
DEMO_COMMUNE = "14845"  # Mường Lát, the demo's first commune


@pytest.fixture
def log_stream(app) -> Iterator[io.StringIO]:
    """Everything the app logs (at DEBUG) and the libraries' warnings, as the production JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.DEBUG)
    app_logger, root = logging.getLogger("fieldapp"), logging.getLogger()
    level = app_logger.level
    app_logger.addHandler(handler)
    app_logger.setLevel(logging.DEBUG)
    root.addHandler(handler)  # libraries' warnings and errors too, at the root's own level
    yield stream
    app_logger.removeHandler(handler)
    root.removeHandler(handler)
    app_logger.setLevel(level)


def demo_personal_data() -> list[str]:
    people = db.session.execute(select(RecordPerson.full_name, RecordPerson.personal_id)).all()
    found = {value for row in people for value in row if value and len(value) > 3}
    found |= {fold(name) for name, _ in people if name}
    return sorted(found)


def load_demo_records(make, count: int = 40) -> None:
    """The demo's people (names, ID numbers) pushed through the API by the demo's users.

    (`flask demo` itself takes most of a minute with its weeks of progress history; its records come from
    the same DemoFactory.)"""
    from fieldapp.demo import DemoFactory

    make.user(Role.COLLECTOR, DEMO_COMMUNE, username="thuthap1", password=DEMO_PASSWORD)
    make.user(Role.CLERK, DEMO_COMMUNE, username="canbo1", password=DEMO_PASSWORD)
    factory = DemoFactory(2024)
    raw = [factory.record(DEMO_COMMUNE) for _ in range(count)]
    token = api_login(make.client, "thuthap1")["Authorization"].split()[1]
    results = make.push(token, raw).get_json()["results"]
    assert sum(r["status"] == "created" for r in results) >= count // 2, results


def api_login(client, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD, "device_name": "Máy"}
    )
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def exercise(app, client) -> None:
    """What a working day sends through the server: logins, pulls, searches, pushes, reviews, errors."""
    collector, clerk = api_login(client, "thuthap1"), api_login(client, "canbo1")
    client.get("/api/v1/sync/pull", headers=collector)
    records = list(db.session.scalars(select(Record).order_by(Record.id).limit(6)))
    for record in records:
        name = record.subject_name
        client.get("/api/v1/records", query_string={"q": name}, headers=clerk)
        client.get(f"/api/v1/records/{record.id}", headers=clerk)
        client.post(f"/api/v1/records/{record.id}/review", json={"action": "start"}, headers=clerk)
        client.post(f"/api/v1/records/{record.id}/review", json={"action": "return"}, headers=clerk)
        client.post("/api/v1/auth/token", json={"username": name, "password": "x", "device_name": name})
        bad = item("household", data={**record.data, "commune_code": "99999"})
        client.post(
            "/api/v1/sync/push", json={"records": [bad, {"id": name, "data": record.data}]}, headers=collector
        )
        conflicting = item("household", id=record.id, data=record.data, base_version=99)
        client.post("/api/v1/sync/push", json={"records": [conflicting]}, headers=collector)
        client.get(f"/r/{record.receipt_code}")
        client.post("/login", data={"username": name, "password": name})
    clerk_user = db.session.scalar(select(User).where(User.username == "canbo1"))
    with client.session_transaction() as session:
        session["_user_id"] = session_id(clerk_user)
    for record in records:
        client.get(f"/review/records/{record.id}")
        client.get("/review/", query_string={"q": record.subject_name})


def test_a_day_of_work_logs_no_name_and_no_id_number(app, client, make, log_stream):
    load_demo_records(make)
    secrets = demo_personal_data()
    assert len(secrets) > 40
    exercise(app, client)
    logs = log_stream.getvalue()
    assert logs.count('"message": "request"') > 50  # the run was logged
    leaked = [secret for secret in secrets if secret in logs]
    assert not leaked, f"personal data in the logs: {leaked[:10]}"
