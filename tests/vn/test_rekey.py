"""`flask records rekey` rewrites keys stored under the old rules: "Hoà" sorted apart from "Hòa"."""

import icu
import pytest
from sqlalchemy import select, update

from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordPerson
from fieldapp.vn.text import name_sort_key
from tests.support.builders import household_data, item, person


def old_sort_key(full_name: str) -> bytes:
    """The key as written before tone marks were unified: ICU straight on the name as typed."""
    collator = icu.Collator.createInstance(icu.Locale("vi"))
    family, *middle, given = full_name.split(" ")
    return b"".join(collator.getSortKey(part) for part in (given, family, " ".join(middle)))


@pytest.fixture
def stale(make):
    head = {**person(full_name="Lê Thị Hoà", sex="female", date_of_birth="1980"), "relationship": "head"}
    head.pop("personal_id")
    response = make.push(
        make.token(make.user("collector")), [item("household", data={**household_data(), "members": [head]})]
    )
    assert response.get_json()["results"][0]["status"] == "created"
    db.session.execute(update(Record).values(subject_sort_key=old_sort_key("Lê Thị Hoà")))
    db.session.execute(update(RecordPerson).values(name_folded="le thi hoa x", ethnicity=None))
    db.session.commit()


def test_rekey_command_rewrites_stale_keys_once(app, stale) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["records", "rekey"])
    assert first.exit_code == 0, first.output
    assert "sort keys rewritten: 1, people rows rewritten: 1" in first.output
    assert db.session.scalar(select(Record.subject_sort_key)) == name_sort_key("Lê Thị Hòa")
    assert db.session.execute(select(RecordPerson.name_folded, RecordPerson.ethnicity)).one() == (
        "le thi hoa",
        "08",
    )
    again = runner.invoke(args=["records", "rekey"])
    assert "sort keys rewritten: 0, people rows rewritten: 0" in again.output
