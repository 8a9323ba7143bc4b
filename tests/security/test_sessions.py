"""Finding 6 of issue 17: signing out ends the session on the server; signing in starts a new CSRF token.

The app context of a test is shared by its requests, so Flask-Login's per-request cache of the user
(g._login_user) is dropped before each request: every request must find its user from the cookie alone.
"""

import re

import pytest
from flask import g

from fieldapp.accounts.models import Role
from tests.support.builders import PASSWORD

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def csrf_of(client, path="/login") -> str:
    g.pop("csrf_token", None)
    g.pop("_login_user", None)
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, user) -> None:
    token = csrf_of(client)
    g.pop("_login_user", None)
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def queue_status(client) -> int:
    g.pop("_login_user", None)
    return client.get("/review/").status_code


def sign_out(client) -> None:
    token = csrf_of(client, "/review/")
    g.pop("_login_user", None)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def copy_session(app, source) -> object:
    thief = app.test_client()
    thief.set_cookie("session", source.get_cookie("session").value)
    return thief


def test_a_session_cookie_copied_before_logout_stops_working(app, client, make):
    sign_in(client, make.user(Role.CLERK))
    thief = copy_session(app, client)
    assert queue_status(thief) == 200  # the copy works while the clerk is signed in
    sign_out(client)
    assert queue_status(thief) == 302
    assert queue_status(client) == 302


def test_logout_ends_the_users_sessions_in_other_browsers_too(app, client, make):
    clerk = make.user(Role.CLERK)
    sign_in(client, clerk)
    other_pc = app.test_client()
    sign_in(other_pc, clerk)
    sign_out(client)
    assert queue_status(other_pc) == 302


def test_signing_in_again_after_logout_works(client, make):
    clerk = make.user(Role.CLERK)
    sign_in(client, clerk)
    sign_out(client)
    sign_in(client, clerk)
    assert queue_status(client) == 200


def test_the_csrf_token_changes_at_sign_in(client, make):
    before = csrf_of(client)
    sign_in(client, make.user(Role.CLERK))
    after = csrf_of(client, "/review/")
    assert before != after


def test_a_csrf_token_from_before_sign_in_is_refused_after(client, make):
    before = csrf_of(client)
    sign_in(client, make.user(Role.CLERK))
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400


def test_a_session_of_a_deactivated_user_stops_working(client, make):
    from fieldapp.extensions import db

    clerk = make.user(Role.CLERK)
    sign_in(client, clerk)
    clerk.active = False
    db.session.commit()
    assert queue_status(client) == 302
