"""schemathesis against the OpenAPI document the server publishes: every operation, as a collector.

Zero 5xx, and every answer conforms to the document (status codes, content types, response schemas).
Bounded: MAX_EXAMPLES per operation keeps the run to a couple of minutes in CI.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

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
}


def fuzz_operation(operation, headers: dict[str, str]) -> None:
    excluded = NOT_DESCRIBABLE.get((operation.method.upper(), operation.path), [])

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    run()


def test_every_operation_answers_within_the_document(app, collector_headers):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            fuzz_operation(operation, collector_headers)
        except Exception as exc:  # one operation's failure must not hide the others'
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert operations >= 8
    assert not failures, "\n\n".join(failures)
