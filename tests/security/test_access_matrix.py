"""Every route x every role x own / other area, generated from app.url_map: zero 5xx, zero leaks.

A new route is covered the moment it is registered. A route with a path argument the generator does not
know fails the test until someone says below what to fill it with (so no route can be forgotten).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.security.world import FORBIDDEN, World, build_world, readable_body
from tests.support import databases
from tests.support.builders import session_id

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

#: What a path argument means, by name: the attribute of a DataSet holding its values.
ARGUMENT_SOURCES = {
    "record_id": "record_ids",
    "code": "receipt_codes",
    "receipt_code": "receipt_codes",
    "sha256": "attachments",
    "user_id": "author_ids",
    "book_id": "book_ids",
    "pair_id": "pair_ids",
    "device_id": "device_ids",
    "job_id": "job_ids",
}
#: Routes whose argument means something else than its name usually does.
RULE_SOURCES = {
    "/progress/area/<code>": {"code": "communes"},
    "/progress/district/<code>": {"code": "districts"},
    "/progress/<kind>/<code>/export.<fmt>": {"code": "communes"},
}
#: Arguments with one fixed value, whatever the area.
FIXED_ARGUMENTS = {
    "/lang/<code>": {"code": "vi"},
    "/static/<path:filename>": {"filename": "css/app.css"},
    "/field/static/<path:name>": {"name": "js/app.js"},
    "/progress/<kind>/<code>/export.<fmt>": {"kind": "commune", "fmt": "csv"},
    "/progress/indicators/export.<fmt>": {"fmt": "csv"},
    "/review/export.<fmt>": {"fmt": "csv"},
    "/review/handoff/<slug>.<fmt>": {"slug": "khai-sinh", "fmt": "csv"},
    # Objects the world does not create (yet): called with an id that does not exist, for the 5xx and
    # anonymous checks. TODO: seed a target and a quota per area.
    "/progress/quotas/<int:quota_id>/delete": {"quota_id": 999999},
    "/progress/targets/<int:target_id>/delete": {"target_id": 999999},
}
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


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
    #: "none" (no area argument), "fixed", or the data set the arguments point into
    target: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.rule}, {self.target}]"


def is_public(rule: str) -> bool:
    return any(re.search(pattern, rule) for pattern in PUBLIC)


def generate_calls(app: Flask, world: World, role: str) -> tuple[list[Call], list[str]]:
    """The calls for one role, reads before writes; and the rules nobody said how to call."""
    calls, unknown = [], []
    targets = ("own", *FORBIDDEN[role]) if role != "anonymous" else ("own", "foreign")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        arguments = set(rule.arguments)
        known = set(ARGUMENT_SOURCES) | set(RULE_SOURCES.get(rule.rule, {}))
        missing = arguments - known - set(FIXED_ARGUMENTS.get(rule.rule, {}))
        if missing:
            unknown.append(f"{rule.rule} ({rule.endpoint}): {sorted(missing)}")
            continue
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            calls += list(_calls_of(rule, method, world, targets))
    calls.sort(key=lambda c: (c.method in WRITE_METHODS, c.rule in ("/logout", "/api/v1/auth/logout")))
    return calls, unknown


def _calls_of(rule: Rule, method: str, world: World, targets: tuple[str, ...]) -> Iterator[Call]:
    fixed = FIXED_ARGUMENTS.get(rule.rule, {})
    if not rule.arguments:
        yield Call(rule.rule, method, rule.build({})[1], "none")
        return
    if set(rule.arguments) <= set(fixed):
        yield Call(rule.rule, method, rule.build(dict(fixed))[1], "fixed")
        return
    sources = {**ARGUMENT_SOURCES, **RULE_SOURCES.get(rule.rule, {})}
    for target in targets:
        values = dict(fixed)
        for name in rule.arguments - set(fixed):
            found = getattr(world.data[target], sources[name])
            if not found:  # nothing of this kind tells this data set apart
                break
            values[name] = found[0]
        else:
            yield Call(rule.rule, method, rule.build(values)[1], target)


def send(client: FlaskClient, world: World, role: str, call: Call):
    headers = {"Accept": "text/html,application/json;q=0.9"}
    if role != "anonymous":
        user = world.users[role]
        with client.session_transaction() as session:  # signed in again before each call (/logout ...)
            session["_user_id"] = session_id(user)  # /logout ends the session on the server: a new one
            session["_fresh"] = True
        if call.path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
    body = {}
    if call.method in WRITE_METHODS:
        body = {"json": {}} if call.path.startswith("/api/") else {"data": {}}
    return client.open(call.path, method=call.method, headers=headers, **body)


def problems_of(call: Call, role: str, response, world: World) -> list[str]:
    status = response.status_code
    found = []
    if status >= 500:
        found.append(f"{call} as {role}: {status}")
    public = is_public(call.rule)
    if role == "anonymous" and not public and not _refused_anonymous(response):
        found.append(f"{call} as anonymous: {status} (expected 401, 404 or a redirect to /login)")
    reaches_other = call.target not in ("own", "none", "fixed") and call.rule not in AREA_FREE
    if role != "anonymous" and reaches_other and not public and status < 400:
        found.append(f"{call} as {role}: {status} on another area's object (expected 404 or 403)")
    text = readable_body(response)
    secrets = world.all_personal() if public else world.forbidden_secrets(role)
    # What the caller put in the URL (a record id, a code) may come back, e.g. in a ?next= link.
    leaked = sorted({s for s in secrets if s in text and s not in call.path})
    if leaked:
        found.append(f"{call} as {role}: body shows {leaked}")
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
        f"FIXED_ARGUMENTS in {__file__}: {unknown}"
    )
    client = app.test_client()
    found = []
    for call in calls:
        found += problems_of(call, role, send(client, world, role, call), world)
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
