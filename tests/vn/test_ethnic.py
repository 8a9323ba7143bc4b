"""The official list of 54 ethnic groups, and the codes for a foreigner and for "not known"."""

import pytest
from marshmallow import ValidationError

from fieldapp.records.schemas import PersonSchema
from fieldapp.vn.ethnic import ETHNIC_GROUPS, ETHNICITIES, MINORITY_CODES, is_ethnic_code, is_ethnicity


def test_exactly_54_groups_coded_01_to_54() -> None:
    assert len(ETHNIC_GROUPS) == 54
    assert list(ETHNIC_GROUPS) == [f"{n:02d}" for n in range(1, 55)]
    assert len(set(ETHNIC_GROUPS.values())) == 54


def test_known_codes() -> None:
    assert ETHNIC_GROUPS["01"] == "Kinh"
    assert ETHNIC_GROUPS["04"] == "Hoa"
    assert ETHNIC_GROUPS["17"] == "Chăm"
    assert ETHNIC_GROUPS["54"] == "Rơ-măm"


def test_is_ethnic_code() -> None:
    assert is_ethnic_code("01")
    assert is_ethnic_code("54")
    assert not is_ethnic_code("1")
    assert not is_ethnic_code("00")
    assert not is_ethnic_code("55")


def test_foreigner_and_unknown_are_choices_but_not_groups() -> None:
    assert ETHNICITIES["55"] == ("Người nước ngoài", "Foreign national")
    assert ETHNICITIES["00"] == ("Không xác định", "Not known")
    assert list(ETHNICITIES)[:54] == list(ETHNIC_GROUPS)
    assert list(ETHNICITIES)[54:] == ["55", "00"]
    assert is_ethnicity("55") and is_ethnicity("00") and is_ethnicity("08")
    assert not is_ethnic_code("55") and not is_ethnic_code("00")
    assert not is_ethnicity("56") and not is_ethnicity("0")


def test_minorities_are_the_53_groups_other_than_kinh() -> None:
    assert len(MINORITY_CODES) == 53
    assert "01" not in MINORITY_CODES
    assert "55" not in MINORITY_CODES and "00" not in MINORITY_CODES


PERSON = {"full_name": "Anna Novák", "sex": "female", "date_of_birth": "1990", "nationality": "CZ"}


@pytest.mark.parametrize("code", ["55", "00", "01", "54"])
def test_a_form_can_record_a_foreigner_or_an_unknown_group(code: str) -> None:
    assert PersonSchema().load({**PERSON, "ethnicity": code})["ethnicity"] == code


@pytest.mark.parametrize("code", ["56", "99", "0", ""])
def test_other_codes_are_refused(code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PersonSchema().load({**PERSON, "ethnicity": code})
    assert "ethnicity" in caught.value.messages
