"""The office's web forms fuzzed as every role: never a 5xx, on the answer or on the page shown next (a
stored value that breaks a page on every load is worse than a refused form).

Forms: login, record edit, register keying, targets (form and CSV import), quotas, the phone's export file
import, receipt pads. Each starts from the valid body the security tests use (tests/security/forms.py), so
the odd value reaches the code past the first check: first every field, cell or JSON leaf replaced in turn
by each value that has broken a parser before, or left out; then hypothesis mixes them (FUZZ_FORM_EXAMPLES
examples). CSRF is off so that input reaches the views; tests/security/test_csrf.py holds the tokens.
"""

import csv
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.settings import bounded
from tests.security import forms
from tests.security.world import World, build_world
from tests.support import databases

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

EXAMPLES = int(os.environ.get("FUZZ_FORM_EXAMPLES", "15"))
ROLES = ("collector", "clerk", "manager", "admin")
#: values that have broken parsers: Unicode digits that pass isdigit(), huge and signed numbers,
#: impossible dates, a formula, NUL, very long text, decomposed Vietnamese
ODD = ["", "²", "١٢", "-1", "9" * 400, "1e309", "31/02/2025", "=1+1", "\x00", "a" * 3000, "Ba\u0309n"]
value = st.one_of(st.sampled_from(ODD), st.text(max_size=20), st.integers(-(10**12), 10**12).map(str))


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict:
    config = databases.base_config(database_url, tmp_path)
    config.update(
        WTF_CSRF_ENABLED=False,
        LOGIN_RATE_LIMIT="100000 per minute",
        PUBLIC_LOOKUP_RATE_LIMIT="100000 per minute",
    )
    return config


# ---- where odd values go: a form field, a CSV cell, a JSON leaf ------------------------------------


def csv_cells(content: bytes) -> tuple[list[list[str]], Callable[[list[list[str]]], bytes]]:
    rows = list(csv.reader(io.StringIO(content.decode())))
    return rows, lambda changed: "\n".join(",".join(row) for row in changed).encode()


def with_cell(content: bytes, place: tuple[int, int], new: str) -> bytes:
    rows, write = csv_cells(content)
    rows[place[0]][place[1]] = new.replace(",", " ").replace("\n", " ")
    return write(rows)


def cells_of(content: bytes) -> list[tuple[int, int]]:
    rows, _ = csv_cells(content)
    return [(r, c) for r in range(1, len(rows)) for c in range(len(rows[r]))]


def leaves_of(document: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(document, dict):
        return [leaf for key, v in document.items() for leaf in leaves_of(v, (*path, key))]
    if isinstance(document, list):
        return [leaf for i, v in enumerate(document) for leaf in leaves_of(v, (*path, i))]
    return [path]


def with_leaf(content: bytes, path: tuple, new: str) -> bytes:
    document = json.loads(content)
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return json.dumps(document).encode()


def places(body: forms.Body) -> list[tuple]:
    """Every place of a body an odd value can go: (field,) or (field, cell or JSON path)."""
    found: list[tuple] = []
    for key, content in body.items():
        if not isinstance(content, tuple):
            found.append((key,))
        elif content[1].endswith(".csv"):
            found += [(key, cell) for cell in cells_of(content[0])]
        else:
            found += [(key, leaf) for leaf in leaves_of(json.loads(content[0]))]
    return found


def put(body: forms.Body, place: tuple, new: str) -> forms.Body:
    key = place[0]
    if len(place) == 1:
        return {**body, key: new}
    content, name = body[key]
    changed = (
        with_cell(content, place[1], new) if name.endswith(".csv") else with_leaf(content, place[1], new)
    )
    return {**body, key: (changed, name)}


def one_at_a_time(body: forms.Body) -> Iterator[forms.Body]:
    for place in places(body):
        for odd in ODD:
            yield put(body, place, odd)
    for key in body:
        yield {k: v for k, v in body.items() if k != key}


# ---- the forms ------------------------------------------------------------------------------------


@dataclass
class Form:
    endpoint: str
    path: Callable[[World], str]
    #: the page to load after each post
    then: Callable[[World], str]
    roles: tuple[str, ...] = ROLES
    #: the path's arguments, for the body builder
    arguments: Callable[[World], dict[str, Any]] = lambda world: {}

    def body(self, world: World, serial: int) -> forms.Body:
        body = forms.body_for(self.endpoint, world, "own", self.arguments(world))
        if "entry_number" in body:  # a fresh number each time, or every post after the first is a repeat
            body["entry_number"] = str(serial)
        return body


def _own(world: World, attribute: str) -> Any:
    return getattr(world.data["own"], attribute)[0]


FORMS: dict[str, Form] = {
    "login": Form("accounts.login", lambda w: "/login", lambda w: "/", roles=("anonymous", *ROLES)),
    "record-edit": Form(
        "review.edit",
        lambda w: f"/review/records/{_own(w, 'records_to_edit')}/edit",
        lambda w: f"/review/records/{_own(w, 'records_to_edit')}",
        arguments=lambda w: {"record_id": _own(w, "records_to_edit")},
    ),
    "register-keying": Form(
        "review.book_entry",
        lambda w: f"/review/books/{_own(w, 'book_ids')}/entries",
        lambda w: f"/review/books/{_own(w, 'book_ids')}",
    ),
    "targets": Form("progress.save_target", lambda w: "/progress/targets", lambda w: "/progress/"),
    "targets-import": Form(
        "progress.import_targets", lambda w: "/progress/targets/import", lambda w: "/progress/targets"
    ),
    "quotas": Form("progress.save_quota", lambda w: "/progress/quotas", lambda w: "/progress/targets"),
    "field-import": Form("field.import_file", lambda w: "/field/import", lambda w: "/review/"),
    "pads": Form("receipts.pad_create", lambda w: "/receipts/pad", lambda w: "/receipts/pad"),
}
#: (form, role) cases that fail today on a 500 named in issue 17, fixed on another branch: strict expected
#: failures, so the run fails when the fix lands and the entry is to be removed
KNOWN_500: set[tuple[str, str]] = set()


def cases() -> list[Any]:
    found = []
    for name, form in FORMS.items():
        for role in form.roles:
            marks = []
            if (name, role) in KNOWN_500:
                reason = "issue 17 finding 7: fixed on another branch"
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            found.append(pytest.param(name, role, id=f"{name}-{role}", marks=marks))
    return found


class Fuzzer:
    def __init__(self, client: FlaskClient, world: World, form: Form, role: str) -> None:
        self.client, self.world, self.form, self.role = client, world, form, role
        self.errors: list[str] = []
        self.serial = 1000

    def base(self) -> forms.Body:
        self.serial += 1
        return self.form.body(self.world, self.serial)

    def post(self, body: forms.Body) -> None:
        forms.forget_cached(self.client)
        path = self.form.path(self.world)
        answer = self.client.post(path, data=forms.as_request_data(body))
        if answer.status_code >= 500:
            self.errors.append(f"POST {path} {body!r:.200} -> {answer.status_code}")
        forms.forget_cached(self.client)
        after = self.client.get(self.form.then(self.world))
        if after.status_code >= 500:
            self.errors.append(f"GET {self.form.then(self.world)} after {body!r:.200} -> {after.status_code}")
        if self.form.endpoint == "accounts.login" and self.role != "anonymous":  # it may sign another in
            forms.sign_in(self.client, self.world.users[self.role])

    def systematic(self) -> None:
        template = self.base()
        for count, _ in enumerate(one_at_a_time(template)):
            body = self.base()
            mutated = list(one_at_a_time(body))[count]
            self.post(mutated)

    def random(self) -> None:
        spots = places(self.base())

        @given(changes=st.lists(st.tuples(st.sampled_from(spots), value), min_size=1, max_size=4))
        @bounded(EXAMPLES)
        def run(changes: list[tuple[tuple, str]]) -> None:
            body = self.base()
            for place, new in changes:
                body = put(body, place, new)
            self.post(body)

        run()


@pytest.mark.parametrize(("name", "role"), cases())
def test_a_fuzzed_form_never_answers_5xx(app: Flask, make, name: str, role: str) -> None:
    world = build_world(make)
    client = app.test_client()
    if role != "anonymous":
        forms.sign_in(client, world.users[role])
    fuzzer = Fuzzer(client, world, FORMS[name], role)
    if role == forms.role_for(fuzzer.form.endpoint) or role == "admin":
        fuzzer.systematic()  # the roles the form is for: every odd value in every place
    fuzzer.random()
    assert not fuzzer.errors, "\n".join(fuzzer.errors[:10])
