"""Every route x every role x own / other area, generated from app.url_map: zero 5xx, zero leaks.

A new route is covered the moment it is registered. A route with a path argument the generator does not
know fails the test until someone says below what to fill it with (so no route can be forgotten).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.security import forms, routes
from tests.security.routes import WRITE_METHODS
from tests.security.world import FORBIDDEN, World, build_world, readable_body
from tests.support import databases

#: Routes anyone may open without signing in (matched against the rule, not the filled-in path).
PUBLIC = [
    r"^/login$",
    r"^/healthz$",
    r"^/lang/<code>$",
    r"^/r$",
    r"^/r/<code>$",
    r"^/r/<code>/qr(\.[a-z]+)?$",
    r"^/static/",
    r"^/field(/.*)?$",
    r"^/sw\.js$",
    r"^/favicon\.ico$",
    r"^/manifest(\.webmanifest|\.json)$",
    r"^/api/v1/openapi\.json$",
    r"^/api/v1/auth/token$",
    r"^/$",  # sends a visitor to /login
]
#: Routes whose object is not area data. An attachment is addressed by the SHA-256 of its bytes: only
#: someone holding the file can name it, so "the server has it" tells them nothing they did not know.
AREA_FREE = {"/api/v1/attachments/<sha256>"}

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
#: (rule, role) -> data sets the route shows that role on purpose although FORBIDDEN lists them: the
#: household registry gives a collector every household of their commune, colleagues' too, read-only
#: (issue 13); another commune's stay forbidden there as everywhere.
SHOWN_ON_PURPOSE = {("/api/v1/sync/registry", "collector"): ("colleague",)}


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict:
    config = databases.base_config(database_url, tmp_path)
    # The matrix is about who may do what: forms reach their views, and no limit cuts the run short.
    config.update(WTF_CSRF_ENABLED=False)
    # Limits raised, not disabled: RATELIMIT_ENABLED=False would stick to the limiter shared by all apps.
    config.update(LOGIN_RATE_LIMIT="100000 per minute", PUBLIC_LOOKUP_RATE_LIMIT="100000 per minute")
    return config


@dataclass(frozen=True)
class Call:
    rule: str
    method: str
    path: str
    #: "none" (no area argument), "fixed", or the data set the arguments (or the body) point into
    target: str
    endpoint: str = ""
    #: the path and query arguments the path was built from
    arguments: dict[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.rule}, {self.target}]"


def is_public(rule: str) -> bool:
    return any(re.search(pattern, rule) for pattern in PUBLIC)


def generate_calls(app: Flask, world: World, role: str) -> tuple[list[Call], list[str]]:
    """The calls for one role, reads before writes; and the rules nobody said how to call."""
    calls, unknown = [], []
    targets = ("own", *FORBIDDEN[role]) if role != "anonymous" else ("own", "foreign")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        missing = routes.unknown_arguments(rule)
        if missing:
            unknown.append(f"{rule.rule} ({rule.endpoint}): {sorted(missing)}")
            continue
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            aimed = method in WRITE_METHODS and rule.endpoint in forms.AIMED_BY_BODY
            calls += list(_calls_of(rule, method, world, targets, aimed_by_body=aimed))
    calls.sort(key=lambda c: (c.method in WRITE_METHODS, c.rule in ("/logout", "/api/v1/auth/logout")))
    return calls, unknown


def _calls_of(
    rule: Rule, method: str, world: World, targets: tuple[str, ...], *, aimed_by_body: bool
) -> Iterator[Call]:
    for fixed in routes.fixed_variants(rule):
        if not routes.names_area_objects(rule) and not aimed_by_body:
            yield Call(
                rule.rule, method, routes.build_path(rule, fixed), "fixed" if fixed else "none", rule.endpoint
            )
            continue
        for target in targets:
            values = routes.area_arguments(rule, world, target, method)
            if values is not None:
                path = routes.build_path(rule, {**fixed, **values})
                yield Call(rule.rule, method, path, target, rule.endpoint, values)


def sign_in(client: FlaskClient, world: World, role: str) -> None:
    """Sign the role in (anonymous: out), as a browser does."""
    if role != "anonymous":
        forms.sign_in(client, world.users[role])
    else:
        forms.sign_out(client)


def send(client: FlaskClient, world: World, role: str, call: Call):
    """One call as the role, with a valid body for a write (aimed at the call's data set)."""
    headers = {"Accept": "text/html,application/json;q=0.9"}
    forms.forget_cached(client)
    api = call.path.startswith("/api/")
    if api and role != "anonymous":
        headers["Authorization"] = f"Bearer {world.tokens[role]}"
    body: dict = {}
    if call.method in WRITE_METHODS:
        content = forms.body_for(call.endpoint, world, call.target, call.arguments)
        body = {"json": content} if api else {"data": forms.as_request_data(content)}
    response = client.open(call.path, method=call.method, headers=headers, **body)
    # what the caller typed (a file's lines too) may be echoed back: see problems_of
    response.sent_body = repr(content) if call.method in WRITE_METHODS else ""
    if call.rule in ("/login", "/logout"):  # the login form signs the clerk in: be the role again
        sign_in(client, world, role)
    return response


def aims_elsewhere(call: Call) -> bool:
    return call.target not in ("own", "none", "fixed") and call.rule not in AREA_FREE


def problems_of(call: Call, role: str, response, world: World) -> list[str]:
    status = response.status_code
    found = []
    if status >= 500:
        found.append(f"{call} as {role}: {status}")
    public = is_public(call.rule)
    if role == "anonymous" and not public and not _refused_anonymous(response):
        found.append(f"{call} as anonymous: {status} (expected 401, 404 or a redirect to /login)")
    # A write aimed only by its body (a push, a new book) may answer per item; the database tells.
    by_path = call.endpoint not in forms.AIMED_BY_BODY or call.method not in WRITE_METHODS
    if role != "anonymous" and aims_elsewhere(call) and by_path and not public and status < 400:
        found.append(f"{call} as {role}: {status} on another area's object (expected 404 or 403)")
    valid = call.method in WRITE_METHODS and call.endpoint not in forms.NOT_VALID
    if valid and call.target == "own" and role == forms.role_for(call.endpoint) and status >= 400:
        found.append(f"{call} as {role}: {status}; the body from {forms.__file__} should be accepted here")
    text = readable_body(response)
    shown = SHOWN_ON_PURPOSE.get((call.rule, role), ())
    secrets = world.all_personal() if public else world.forbidden_secrets(role, except_for=shown)
    # What the caller put in the URL or the body (a record id, a code typed in a form) may come back,
    # e.g. in a ?next= link or in "code X is not of your commune".
    sent = call.path + getattr(response, "sent_body", "")
    leaked = sorted({s for s in secrets if s in text and s not in sent})
    if leaked:
        found.append(f"{call} as {role}: body shows {leaked}")
    return found


def run_calls(app: Flask, world: World, role: str, calls: list[Call]) -> list[str]:
    """Send the calls; every problem found, including a write elsewhere that changed the database."""
    client = app.test_client()
    sign_in(client, world, role)
    uploads = app.config["UPLOAD_DIR"]
    found = []
    for call in calls:
        guarded = role != "anonymous" and call.method in WRITE_METHODS and aims_elsewhere(call)
        before = routes.database_state(uploads) if guarded else None
        response = send(client, world, role, call)
        found += problems_of(call, role, response, world)
        if before is not None:
            changed = routes.changed_tables(before, routes.database_state(uploads))
            if changed:
                found.append(f"{call} as {role}: {response.status_code} and changed {changed}")
    return found


def _refused_anonymous(response) -> bool:
    if response.status_code in (401, 404):
        return True
    location = response.headers.get("Location", "")
    return response.status_code in (301, 302, 303) and location.split("?")[0].endswith("/login")


MATRIX = [pytest.param("sqlite", role, id=f"sqlite-{role}") for role in FORBIDDEN] + [
    pytest.param("postgresql", role, id=f"postgresql-{role}") for role in ("anonymous", "clerk")
]


@pytest.mark.parametrize(("backend", "role"), MATRIX, indirect=["backend"])
def test_no_route_leaks_or_fails_for_a_role(app: Flask, make, role: str) -> None:
    world = build_world(make)
    calls, unknown = generate_calls(app, world, role)
    assert not unknown, (
        "Routes with path arguments the access matrix cannot fill; add them to ARGUMENT_SOURCES or "
        f"FIXED_ARGUMENTS in {routes.__file__}: {unknown}"
    )
    found = run_calls(app, world, role, calls)
    assert not found, "\n".join(found)
    assert len(calls) >= 10


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_generator_refuses_a_route_it_cannot_fill(app: Flask, make) -> None:
    app.add_url_rule("/widgets/<int:widget_id>", "matrix_probe", lambda widget_id: "")
    world = build_world(make)
    _, unknown = generate_calls(app, world, "clerk")
    assert unknown == ["/widgets/<int:widget_id> (matrix_probe): ['widget_id']"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_leaking_route_would_be_caught(app: Flask, make) -> None:
    """The checker itself: a page that shows another commune's record name fails the matrix."""
    leaked_name = "Trần Văn Chín"  # a name of the "foreign" data set
    app.add_url_rule("/leaky", "leaky", lambda: f"<p>{leaked_name}</p>")
    world = build_world(make)
    assert leaked_name in world.data["foreign"].names
    call = Call("/leaky", "GET", "/leaky", "none")
    response = send(app.test_client(), world, "clerk", call)
    assert problems_of(call, "clerk", response, world) == [f"{call} as clerk: body shows ['{leaked_name}']"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_duplicate_pair_across_communes_shows_no_name_of_the_other(app: Flask, make) -> None:
    """Issue 17 finding 1: the duplicates list and pair pages, for every staff role, hold nothing of a
    record of a commune the role may not see (the world links an own record to a foreign one)."""
    world = build_world(make)
    found = []
    for role in ("clerk", "manager", "admin"):
        calls = [c for c in generate_calls(app, world, role)[0] if c.rule.startswith("/review/duplicates")]
        assert calls
        found += run_calls(app, world, role, calls)
    assert not found, "\n".join(found)
