"""Nationalities and relationship codes."""

from fieldapp.vn.nationality import NATIONALITIES, is_nationality
from fieldapp.vn.relationships import RELATIONSHIPS, is_relationship
from fieldapp.vn.text import fold


def test_is_nationality() -> None:
    assert is_nationality("VN")
    assert is_nationality("LA")
    assert not is_nationality("vn")
    assert not is_nationality("XX")
    assert not is_nationality("VNM")
    assert not is_nationality("")


def test_nationalities_order_and_names() -> None:
    assert NATIONALITIES[0] == ("VN", "Việt Nam")
    labels = dict(NATIONALITIES)
    assert labels["LA"] == "Lào"
    assert labels["KH"] == "Campuchia"
    assert labels["CN"] == "Trung Quốc"
    assert labels["TW"] == "Đài Loan"
    codes = [code for code, _ in NATIONALITIES]
    assert len(codes) == len(set(codes)) == 249
    assert all(is_nationality(code) for code in codes)
    assert codes.index("KH") < codes.index("AF")


def test_every_nationality_has_its_vietnamese_name_in_vietnamese_order() -> None:
    labels = dict(NATIONALITIES)
    assert labels["AT"] == "Áo"
    assert labels["EG"] == "Ai Cập"
    assert labels["NL"] == "Hà Lan"
    assert labels["CF"] == "Cộng hòa Trung Phi"
    assert "Austria" not in labels.values() and "Netherlands" not in labels.values()
    rest = NATIONALITIES[[code for code, _ in NATIONALITIES].index("AF") :]
    assert [fold(name) for _, name in rest] == sorted(fold(name) for _, name in rest)


def test_relationships() -> None:
    assert RELATIONSHIPS["head"] == "Chủ hộ"
    assert RELATIONSHIPS["child_in_law"] == "Con dâu/con rể"
    assert len(RELATIONSHIPS) == 11
    assert is_relationship("spouse")
    assert not is_relationship("wife")
