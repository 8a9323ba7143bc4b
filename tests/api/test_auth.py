"""Device login: tokens, bad credentials, revocation, expiry, rate limits."""

from datetime import timedelta

from fieldapp.accounts import services as accounts
from fieldapp.accounts.models import Device, Role
from fieldapp.extensions import db
from fieldapp.timeutil import utcnow
from tests.support.builders import MUONG_LAT, PASSWORD


def login(client, username, password=PASSWORD, device_name="Samsung A03", **headers):
    return client.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password, "device_name": device_name},
        headers=headers,
    )


def test_login_issues_a_token_that_opens_the_api(client, make):
    user = make.user(Role.COLLECTOR, MUONG_LAT, username="thuthap")
    response = login(client, "thuthap")
    assert response.status_code == 201
    body = response.get_json()
    assert body["user"]["role"] == "collector"
    assert body["user"]["area"]["code"] == MUONG_LAT
    assert client.get("/api/v1/records", headers=make.headers(body["token"])).status_code == 200
    device = db.session.get(Device, body["device_id"])
    assert device.user_id == user.id
    assert device.token_hash != body["token"]  # only a hash of it is stored


def test_wrong_password_is_401_in_vietnamese(client, make):
    make.user(username="thuthap")
    response = login(client, "thuthap", password="sai-mat-khau")
    assert response.status_code == 401
    assert response.get_json()["message"] == "Sai tên đăng nhập hoặc mật khẩu."


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, make):
    make.user(username="thuthap")
    assert login(client, "ai-do").get_json() == login(client, "thuthap", password="x").get_json()


def test_english_on_request(client, make):
    response = login(client, "nobody", **{"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.get_json()["message"] == "Wrong username or password."


def test_api_without_token_is_401_json(client):
    response = client.get("/api/v1/records")
    assert response.status_code == 401
    assert response.is_json
    assert "đăng nhập" in response.get_json()["message"]


def test_garbage_token_is_401(client):
    response = client.get("/api/v1/records", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_revoked_device_is_locked_out_at_once(client, make):
    user = make.user()
    token = make.token(user)
    device = db.session.query(Device).filter_by(user_id=user.id).one()
    accounts.revoke_device(device, None)
    db.session.commit()
    assert client.get("/api/v1/records", headers=make.headers(token)).status_code == 401


def test_expired_token_is_401(client, make):
    user = make.user()
    token = make.token(user)
    device = db.session.query(Device).filter_by(user_id=user.id).one()
    device.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/api/v1/records", headers=make.headers(token)).status_code == 401


def test_deactivated_user_cannot_log_in_nor_use_old_token(client, make):
    user = make.user(username="nghiviec")
    token = make.token(user)
    user.active = False
    db.session.commit()
    assert login(client, "nghiviec").status_code == 401
    assert client.get("/api/v1/records", headers=make.headers(token)).status_code == 401


def test_login_is_rate_limited(client, make):
    """Per address, whichever account is tried (one account is also slowed alone: test_passwords)."""
    for n in range(11):
        make.user(username=f"thuthap{n}")
    answers = [login(client, f"thuthap{n}", password="wrong").status_code for n in range(11)]
    assert answers[:10] == [401] * 10
    assert answers[10] == 429


def test_login_payload_is_validated(client):
    response = client.post("/api/v1/auth/token", json={"username": "x"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["password"] == ["Bắt buộc nhập."]
    assert "device_name" in errors
