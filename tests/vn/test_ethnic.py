"""The official list of 54 ethnic groups."""

from fieldapp.vn.ethnic import ETHNIC_GROUPS, is_ethnic_code


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
