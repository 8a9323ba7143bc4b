"""CSRF on every form, generated from app.url_map: every state-changing web route, sent by a signed-in
user of the right role with a valid body but no token, is refused and changes nothing; the same request
with the token is accepted (so the token, not the role or the body, made the difference).

No list of routes here: a new route is tested the day it is registered, and one whose role or body
nobody gave (tests/security/forms.py) fails the test.
"""

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.security import forms, routes
from tests.security.world import World, build_world
from tests.support import databases

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

#: bearer tokens only: no cookie is sent, so there is nothing to forge
TOKEN_ONLY_PREFIX = "/api/"


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict:
    config = databases.base_config(database_url, tmp_path)
    config.update(LOGIN_RATE_LIMIT="100000 per minute")
    return config


def web_forms(app: Flask) -> list[tuple[Rule, str]]:
    return [(r, m) for r, m in routes.state_changing(app) if not r.rule.startswith(TOKEN_ONLY_PREFIX)]


def unexplained(app: Flask) -> list[str]:
    """Forms the test cannot send: no role, no valid body, or path arguments nobody explained."""
    found = []
    for rule, method in web_forms(app):
        if forms.role_for(rule.endpoint) is None or rule.endpoint not in forms.BODIES:
            found.append(f"{method} {rule.rule} ({rule.endpoint}): add its role and body to {forms.__file__}")
        elif routes.unknown_arguments(rule):
            found.append(f"{method} {rule.rule}: add its arguments to {routes.__file__}")
    return found


def as_role(client: FlaskClient, world: World, role: str) -> None:
    if role == "anonymous":
        forms.sign_out(client)
    else:
        forms.sign_in(client, world.users[role])


def check_form(app: Flask, world: World, rule: Rule, method: str) -> list[str]:
    role = forms.role_for(rule.endpoint)
    values = routes.area_arguments(rule, world, "own", method) or {}
    path = routes.build_path(rule, {**routes.fixed_variants(rule)[0], **values})
    body = forms.body_for(rule.endpoint, world, "own", values)
    client = app.test_client()
    uploads = app.config["UPLOAD_DIR"]
    problems = []
    attempts = {"form": {"data": forms.as_request_data(body)}}
    if not any(isinstance(v, tuple) for v in body.values()):
        attempts["JSON"] = {"json": body}
    for kind, content in attempts.items():
        as_role(client, world, role)
        before = routes.database_state(uploads)
        refused = client.open(path, method=method, **content)
        changed = routes.changed_tables(before, routes.database_state(uploads))
        if refused.status_code not in (400, 403) or changed:
            problems.append(
                f"{method} {path} as {role}, {kind} without token: {refused.status_code}, {changed=}"
            )
    as_role(client, world, role)
    token = forms.csrf_token(client)
    accepted = client.open(path, method=method, data=forms.as_request_data({**body, "csrf_token": token}))
    if accepted.status_code >= 400 and rule.endpoint not in forms.NOT_VALID:
        problems.append(
            f"{method} {path} as {role} with its token: {accepted.status_code} (body or role wrong?)"
        )
    return problems


def test_every_web_form_refuses_a_request_without_its_token(app: Flask, make) -> None:
    assert not unexplained(app), "\n".join(unexplained(app))
    world = build_world(make)
    checked, problems = 0, []
    for rule, method in web_forms(app):
        problems += check_form(app, world, rule, method)
        checked += 1
    assert not problems, "\n".join(problems)
    assert checked >= 17


def test_a_new_form_without_a_body_fails_loudly(app: Flask) -> None:
    app.add_url_rule("/review/widgets", "review.widget_create", lambda: "", methods=["POST"])
    assert unexplained(app) == [
        f"POST /review/widgets (review.widget_create): add its role and body to {forms.__file__}"
    ]


def test_a_form_exempt_from_csrf_would_be_caught(app: Flask, make) -> None:
    """The checker itself: exempting the field blueprint (as once happened in an audit) fails the test."""
    from fieldapp.extensions import csrf

    world = build_world(make)
    csrf.exempt("fieldapp.field.views.import_file")
    try:
        [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == "field.import_file"]
        problems = check_form(app, world, rule, "POST")
    finally:
        csrf._exempt_views.discard("fieldapp.field.views.import_file")
    # accepted (the import runs, or is queued as a job) and the database changed
    assert problems and all("without token: 20" in p or "without token: 30" in p for p in problems), problems
    assert all("changed=[]" not in p for p in problems), problems
