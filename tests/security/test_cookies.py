"""Session cookies: HttpOnly and SameSite always, Secure in the production configuration."""

import pytest

from fieldapp.accounts.models import Role
from tests.support.builders import PASSWORD

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def app_config(database_url, tmp_path):
    from tests.support import databases

    config = databases.base_config(database_url, tmp_path)
    # As deployed: not TESTING, production environment (a real SECRET_KEY is set by base_config).
    config.update(TESTING=False, ENV_NAME="production", WTF_CSRF_ENABLED=False)
    return config


def session_cookie(client, make) -> str:
    make.user(Role.CLERK, username="canbo")
    response = client.post(
        "/login", data={"username": "canbo", "password": PASSWORD}, base_url="https://fieldapp.test"
    )
    assert response.status_code == 302
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_production_session_cookie_is_secure_httponly_samesite(app, client, make):
    assert app.config["SESSION_COOKIE_SECURE"] is True
    cookie = session_cookie(client, make)
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie


def test_session_cookie_holds_no_password_or_name(client, make):
    cookie = session_cookie(client, make)
    assert PASSWORD not in cookie and "canbo" not in cookie
