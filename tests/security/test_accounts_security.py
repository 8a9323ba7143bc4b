"""Passwords, web login limits, device revocation."""

import pytest
from sqlalchemy import select

from fieldapp.accounts.models import Device, Role, User
from fieldapp.extensions import db
from tests.support.builders import PASSWORD, item

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def test_passwords_are_stored_only_as_salted_hashes(make):
    first = make.user(Role.CLERK, username="mot")
    second = make.user(Role.CLERK, username="hai")
    for user in (first, second):
        assert PASSWORD not in user.password_hash
        assert user.password_hash.startswith(("pbkdf2:", "scrypt:"))
    assert first.password_hash != second.password_hash  # same password, different salt
    row = db.session.execute(select(User.__table__).where(User.id == first.id)).one()
    assert all(PASSWORD not in str(value) for value in row)


def test_production_hashes_with_scrypt(make):
    from fieldapp.accounts import services

    user = services.create_user("sanxuat", PASSWORD, Role.CLERK, "14845")
    assert user.password_hash.startswith("scrypt:")


@pytest.fixture
def app_config(database_url, tmp_path):
    from tests.support import databases

    config = databases.base_config(database_url, tmp_path)
    config.update(WTF_CSRF_ENABLED=False, LOGIN_RATE_LIMIT="5 per minute")
    return config


def test_web_login_is_rate_limited(client, make):
    make.user(Role.CLERK, username="canbo")
    answers = [
        client.post("/login", data={"username": "canbo", "password": "doan-sai"}).status_code
        for _ in range(7)
    ]
    assert answers[:5] == [401] * 5 and answers[5:] == [429, 429]
    # even the right password waits out the limit: guessing cannot go faster by mixing in good tries
    assert client.post("/login", data={"username": "canbo", "password": PASSWORD}).status_code == 429


def test_revoked_device_is_refused_at_once_and_other_devices_go_on(app, client, make):
    user = make.user(Role.COLLECTOR)
    lost, kept = make.token(user, "Máy bị mất"), make.token(user, "Máy mới")
    assert make.push(lost, [item()]).status_code == 200
    device = db.session.scalar(select(Device).where(Device.name == "Máy bị mất"))
    result = app.test_cli_runner().invoke(args=["device", "revoke", str(device.id)])
    assert result.exit_code == 0, result.output
    for response in (
        make.push(lost, [item()]),
        make.pull(lost),
        client.get("/api/v1/records", headers=make.headers(lost)),
    ):
        assert response.status_code == 401
    assert make.push(kept, [item()]).status_code == 200
