"""Device tokens: an absolute lifetime on top of the idle expiry, renewal and key release at a password
login, why a token is refused (the phone acts on it), sign-out, and what a phone reports at sync."""

from datetime import timedelta

import pytest

from fieldapp.accounts import services as accounts
from fieldapp.accounts.models import Device
from fieldapp.extensions import db
from fieldapp.timeutil import utcnow
from tests.support.builders import PASSWORD


def login(client, username, previous=None, password=PASSWORD):
    payload = {"username": username, "password": password, "device_name": "Android 10 · Chrome 120"}
    if previous is not None:
        payload["previous_device_id"] = previous
    return client.post("/api/v1/auth/token", json=payload)


def use(client, make, token):
    return client.get("/api/v1/records", headers=make.headers(token))


def device_of(body) -> Device:
    return db.session.get(Device, body["device_id"])


@pytest.fixture
def app_config(app_config):
    app_config.update({"DEVICE_TOKEN_LIFETIME_DAYS": 30, "DEVICE_TOKEN_MAX_DAYS": 90})
    return app_config


def test_login_answers_the_absolute_end_the_device_key_and_the_lock_settings(client, make):
    make.user(username="thuthap")
    body = login(client, "thuthap").get_json()
    device = device_of(body)
    assert device.token_ends_at - device.created_at == pytest.approx(
        timedelta(days=90), abs=timedelta(seconds=5)
    )
    assert body["expires_at"].startswith(device.token_ends_at.date().isoformat())
    assert len(body["device_key"]) == 43 and body["device_key"] == device.wrap_key
    assert body["settings"] == {"lock_minutes": 5, "pin_tries": 5, "renew_warning_days": 7}
    assert "previous_device_key" not in body


def test_use_slides_the_idle_expiry_but_never_past_the_absolute_end(client, make, app):
    make.user(username="thuthap")
    body = login(client, "thuthap").get_json()
    device = device_of(body)
    # 80 days of daily use: the idle expiry kept sliding, and now stops at the absolute end
    device.token_ends_at = utcnow() + timedelta(days=10)
    device.last_seen_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert use(client, make, body["token"]).status_code == 200
    db.session.refresh(device)
    assert device.expires_at == device.token_ends_at


def test_a_token_used_every_day_still_ends_at_its_absolute_lifetime(client, make):
    make.user(username="thuthap")
    body = login(client, "thuthap").get_json()
    device = device_of(body)
    device.token_ends_at = utcnow() - timedelta(minutes=1)
    device.expires_at = utcnow() + timedelta(days=29)  # fresh idle expiry: used yesterday
    db.session.commit()
    response = use(client, make, body["token"])
    assert response.status_code == 401
    assert 'error_description="expired"' in response.headers["WWW-Authenticate"]
    assert "hết hạn" in response.get_json()["message"]


def test_password_login_from_the_same_phone_renews_the_same_device(client, make):
    make.user(username="thuthap")
    first = login(client, "thuthap").get_json()
    device = device_of(first)
    device.token_ends_at = utcnow() + timedelta(days=3)
    db.session.commit()
    second = login(client, "thuthap", previous=first["device_id"]).get_json()
    assert second["device_id"] == first["device_id"]
    assert second["device_key"] == first["device_key"]
    db.session.refresh(device)
    assert device.token_ends_at > utcnow() + timedelta(days=89)
    assert use(client, make, first["token"]).status_code == 401  # the old token is replaced
    assert use(client, make, second["token"]).status_code == 200


def test_after_revocation_a_password_login_gets_a_new_device_and_the_old_key(client, make):
    make.user(username="thuthap")
    first = login(client, "thuthap").get_json()
    accounts.revoke_device(device_of(first), None, "mất máy")
    db.session.commit()
    refused = use(client, make, first["token"])
    assert refused.status_code == 401
    assert 'error_description="revoked"' in refused.headers["WWW-Authenticate"]
    assert "thu hồi" in refused.get_json()["message"]
    second = login(client, "thuthap", previous=first["device_id"]).get_json()
    assert second["device_id"] != first["device_id"]
    assert second["previous_device_key"] == first["device_key"]
    assert second["device_key"] != first["device_key"]
    assert use(client, make, second["token"]).status_code == 200


def test_another_users_device_key_is_never_handed_out(client, make):
    make.user(username="chu-may")
    make.user(username="nguoi-khac")
    owner = login(client, "chu-may").get_json()
    accounts.revoke_device(device_of(owner), None, "mất máy")
    db.session.commit()
    other = login(client, "nguoi-khac", previous=owner["device_id"]).get_json()
    assert "previous_device_key" not in other
    assert other["device_key"] != owner["device_key"]
    assert device_of(other).user.username == "nguoi-khac"
    assert device_of(owner).is_revoked  # and not renewed for someone else


def test_previous_device_id_is_validated(client, make):
    make.user(username="thuthap")
    response = login(client, "thuthap", previous="abc")
    assert response.status_code == 422
    assert response.get_json()["errors"]["previous_device_id"]
    assert login(client, "thuthap", previous=10**12).status_code == 422


def test_sign_out_ends_the_token(client, make):
    make.user(username="thuthap")
    body = login(client, "thuthap").get_json()
    assert client.post("/api/v1/auth/logout", headers=make.headers(body["token"])).status_code == 204
    device = device_of(body)
    assert device.is_revoked and device.revoked_by.username == "thuthap"
    assert use(client, make, body["token"]).status_code == 401
    assert client.post("/api/v1/auth/logout", headers=make.headers(body["token"])).status_code == 401


def test_pull_records_what_the_phone_reports(client, make):
    make.user(username="thuthap")
    body = login(client, "thuthap").get_json()
    headers = make.headers(body["token"], **{"X-App-Version": "a1b2c3d4e5f6", "X-Outbox-Count": "3"})
    assert client.get("/api/v1/sync/pull?cursor=0", headers=headers).status_code == 200
    device = device_of(body)
    assert (device.app_version, device.waiting) == ("a1b2c3d4e5f6", 3)
    assert device.last_sync_at is not None
    odd = make.headers(body["token"], **{"X-Outbox-Count": "²"})
    assert client.get("/api/v1/sync/pull?cursor=0", headers=odd).status_code == 200
    db.session.refresh(device)
    assert device.waiting == 3  # a value that is not a count is ignored, not a 500
