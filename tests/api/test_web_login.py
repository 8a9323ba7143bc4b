"""Office sign-in: CSRF, wrong password, safe redirects, sign-out."""

import re

import pytest

from tests.support.builders import PASSWORD

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_clerk_signs_in_and_out(client, make):
    make.user("clerk", username="canbo")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "canbo", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "canbo" in home.get_data(as_text=True)
    logout = client.post("/logout", data={"csrf_token": csrf_from(home.get_data(as_text=True))})
    assert logout.status_code == 302
    assert client.get("/").headers["Location"].endswith("/login")


def test_login_form_without_csrf_token_is_refused(client, make):
    make.user("clerk", username="canbo")
    response = client.post("/login", data={"username": "canbo", "password": PASSWORD})
    assert response.status_code == 400


def test_wrong_password_stays_on_the_form(client, make):
    make.user("clerk", username="canbo")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "canbo", "password": "x", "csrf_token": token})
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.get_data(as_text=True)


def test_next_cannot_leave_the_site(client, make):
    make.user("clerk", username="canbo")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=//evil.example/x", data={"username": "canbo", "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == "/"


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
