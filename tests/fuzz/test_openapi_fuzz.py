"""schemathesis against the OpenAPI document the server publishes: every operation as a collector, and
the operations staff use (records, review) as a clerk, on real records of the clerk's commune.

Zero 5xx, and every answer conforms to the document (status codes, content types, response schemas).
Bounded: MAX_EXAMPLES per operation keeps the run to a couple of minutes in CI.
"""

import os

import pytest
import schemathesis
from hypothesis import given
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from tests.fuzz.settings import bounded

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "30"))


@pytest.fixture
def app_config(database_url, tmp_path):
    from tests.support import databases

    config = databases.base_config(database_url, tmp_path)
    # (not RATELIMIT_ENABLED=False: the limiter is one object shared by every app of the session)
    config.update(LOGIN_RATE_LIMIT="100000 per minute", PUBLIC_LOOKUP_RATE_LIMIT="100000 per minute")
    return config


@pytest.fixture
def collector_headers(make):
    return make.headers(make.collector_token())


#: Operations a schema cannot describe fully, so "schema-valid" input may be refused by design; every
#: other check still runs on them. An upload's bytes must hash to the SHA-256 in its path (else 422);
#: a page cursor is a value the server issued (a well-formed "2025-02-30 ..." is still a 400).
NOT_DESCRIBABLE = {
    ("PUT", "/api/v1/attachments/{sha256}"): [positive_data_acceptance],
    ("GET", "/api/v1/records"): [positive_data_acceptance],
    # a review action is legal from some states only (409), and return/reject need a comment (422)
    ("POST", "/api/v1/records/{record_id}/review"): [positive_data_acceptance],
}


def fuzz_operation(operation, headers: dict[str, str], record_ids: list[str] | None = None) -> None:
    """Fuzz one operation; with record_ids, a {record_id} in its path is a real record half the time."""
    excluded = NOT_DESCRIBABLE.get((operation.method.upper(), operation.path), [])
    real = st.sampled_from(record_ids) if record_ids else st.none()

    @given(case=operation.as_strategy(), record_id=st.one_of(st.none(), real))
    @bounded(MAX_EXAMPLES)
    def run(case, record_id: str | None) -> None:
        if record_id and "record_id" in (case.path_parameters or {}):
            case.path_parameters = {**case.path_parameters, "record_id": record_id}
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    run()


def fuzz_all(app, headers: dict[str, str], wanted=lambda path: True, record_ids=None) -> int:
    """Fuzz the operations whose path is wanted; the number fuzzed. Fails with every failure found."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not wanted(operation.path):
            continue
        operations += 1
        try:
            fuzz_operation(operation, headers, record_ids)
        except Exception as exc:  # one operation's failure must not hide the others'
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
    return operations


def test_every_operation_answers_within_the_document(app, collector_headers):
    assert fuzz_all(app, collector_headers) >= 8


def test_staff_operations_answer_within_the_document(app, make):
    """As a clerk, half the time on records of the clerk's commune (a random id only meets a 404)."""
    from fieldapp.accounts.models import Role
    from tests.support.builders import item

    collector_token = make.collector_token()
    pushed = [item("household"), item("birth")]
    assert make.push(collector_token, pushed).status_code == 200
    clerk = make.headers(make.token(make.user(Role.CLERK)))
    staff_paths = ("/api/v1/records",)
    ids = [record["id"] for record in pushed]
    assert fuzz_all(app, clerk, lambda path: path.startswith(staff_paths), ids) >= 3
