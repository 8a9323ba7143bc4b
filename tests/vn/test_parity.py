"""The phone's copy of the data rules (static/field/js/validate.js) against the server's (fieldapp/vn,
fieldapp/records/schemas.py): one table of cases (parity_cases.json), run through both, answers compared.

A case marked ``phone_defers`` needs the lunar tables the phone does not carry: there the phone must
answer less than the server (never refuse what the server accepts), and the server must really
answer more, so a stale mark fails too.
"""

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from marshmallow import ValidationError

from fieldapp.records.schemas import PersonSchema
from fieldapp.vn.dates import DateRuleError, parse_partial_date
from fieldapp.vn.fields import Digits
from fieldapp.vn.personal_id import check_personal_id
from fieldapp.vn.text import normalize_text

ROOT = Path(__file__).resolve().parents[2]
TABLE = Path(__file__).with_name("parity_cases.json")
CASES: list[dict[str, Any]] = json.loads(TABLE.read_text(encoding="utf-8"))["cases"]
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None and not os.environ.get("CI"), reason="node is not installed")


def _day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


def server_id(case: dict[str, Any]) -> list[list[str]]:
    value = Digits().deserialize(case["id"])
    problems = check_personal_id(
        value, sex=case.get("sex"), birth_years=tuple(case["birth_years"]), today=_day(case["today"])
    )
    return [[p.field, p.severity, str(p.message)] for p in problems]


def server_person(case: dict[str, Any]) -> dict[str, Any]:
    try:
        loaded = PersonSchema().load(case["person"])
    except ValidationError as exc:
        return {"errors": exc.normalized_messages(), "full_name": normalize_text(case["person"]["full_name"])}
    return {"errors": {}, "full_name": loaded["full_name"]}


def server_date(case: dict[str, Any]) -> dict[str, str]:
    try:
        parsed = parse_partial_date(case["text"], case["calendar"], case["leap"], today=_day(case["today"]))
    except DateRuleError as exc:
        return {"error": str(exc)}
    return {"iso": parsed.isoformat()}


SERVER = {
    "id": server_id,
    "person": server_person,
    "text": lambda case: normalize_text(case["text"]),
    "date": server_date,
}


@pytest.fixture(scope="module")
def phone_answers() -> list[Any]:
    run = subprocess.run(
        [NODE, str(ROOT / "tests/js/parity.mjs"), str(TABLE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(run.stdout)


def test_the_table_covers_every_rule() -> None:
    kinds = {case["kind"] for case in CASES}
    assert kinds == {"id", "person", "text", "date"}
    ids = [case["id"] for case in CASES if case["kind"] == "id"]
    assert {value[3] for value in ids if len(value) == 12 and value.isdigit()} >= set("0123456789")
    assert len({case["name"] for case in CASES}) == len(CASES)


def _defers(server: Any, phone: Any) -> bool:
    """The phone answered less than the server: what it reports, the server reports too."""
    if isinstance(server, dict) and "errors" in server:
        fewer = {k: v for k, v in phone["errors"].items() if server["errors"].get(k) == v}
        return fewer == phone["errors"] and server["errors"] != phone["errors"]
    return "iso" in phone and "error" in server


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_phone_and_server_answer_alike(index: int, phone_answers: list[Any]) -> None:
    case = CASES[index]
    server, phone = SERVER[case["kind"]](case), phone_answers[index]
    if "expect" in case:  # the server's answer itself, word for word (a person's errors, a date's error)
        assert (server["errors"] if case["kind"] == "person" else server) == case["expect"]
    if case.get("phone_defers"):
        assert _defers(server, phone), (server, phone)
    else:
        assert phone == server
