"""Text normalization, folding, name parts and Vietnamese name order."""

import unicodedata

import pytest

from fieldapp.vn.text import fold, name_sort_key, normalize_text, split_name, unify_tone_marks


def test_nfd_input_comes_out_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    assert nfd != "Nguyễn Thị Ánh Tuyết"
    result = normalize_text(nfd)
    assert result == "Nguyễn Thị Ánh Tuyết"
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u00d0ặng Văn \u00d0ức", "Đặng Văn Đức"),
        ("\u00f0ường", "đường"),
        ("  Lê\u00a0\u00a0Thị\tHoa\n", "Lê Thị Hoa"),
        ("Trần\u200b Văn\u200d\u00a0Nam", "Trần Văn Nam"),
        ("Hà\u3000Nội", "Hà Nội"),
        ("", ""),
        (" \t\n ", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đặng Thị Ánh", "dang thi anh"),
        ("NGUYỄN  văn A", "nguyen van a"),
        (unicodedata.normalize("NFD", "Trường Sơn"), "truong son"),
        ("\u00d0ỗ Mười", "do muoi"),
        ("Bru-Vân Kiều", "bru van kieu"),
        ("Thôn 3, xã Ea Kao", "thon 3 xa ea kao"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("Tôn Nữ Thị Minh Khai", ("Tôn", "Nữ Thị Minh", "Khai")),
        ("Lê Hoa", ("Lê", "", "Hoa")),
        ("Hoa", ("", "", "Hoa")),
        ("  Trần   Thị  Bích ", ("Trần", "Thị", "Bích")),
    ],
)
def test_split_name(full: str, parts: tuple[str, str, str]) -> None:
    assert split_name(full) == parts


# Expected Vietnamese order: given name first (a < ă < â, d < đ, toneless before toned),
# then family name, then middle name.
EXPECTED_ORDER = [
    "Nguyễn An",
    "Nguyễn Thị An",
    "Nguyễn Văn An",
    "Đỗ Thị Anh",
    "Hoàng Anh",
    "Trần Thị Ánh",
    "Phạm Thị Ăn",
    "Lê Văn Ân",
    "Vũ Đức Bình",
    "Bùi Văn Dũng",
    "Dương Văn Đức",
    "Đặng Minh Đức",
    "Ngô Thị Hà",
    "Lý Văn Hải",
    "Phan Thị Hạnh",
    "Trịnh Thị Hoa",
    "Võ Thị Hòa",
    "Lê Thị Ánh Hồng",
]


def test_name_sort_key_orders_vietnamese_names() -> None:
    shuffled = sorted(EXPECTED_ORDER, key=lambda name: name[::-1])
    assert sorted(shuffled, key=name_sort_key) == EXPECTED_ORDER


def test_code_point_order_is_different() -> None:
    assert sorted(EXPECTED_ORDER) != EXPECTED_ORDER
    # Code points put Đ after every other letter and sort by family name.
    assert sorted(EXPECTED_ORDER)[-1] == "Đỗ Thị Anh"


def test_name_sort_key_is_plain_bytes_and_normalizes() -> None:
    key = name_sort_key("Nguyễn Văn An")
    assert isinstance(key, bytes)
    assert key.count(0) == 3 and key.endswith(b"\x00")
    assert name_sort_key(unicodedata.normalize("NFD", "Nguyễn  Văn An")) == key


def test_name_sort_key_tones_and_letters() -> None:
    givens = ["Ạn", "Án", "Ãn", "Ản", "Àn", "An", "Ân", "Ăn", "Đan", "Dan"]
    ordered = sorted(givens, key=name_sort_key)
    assert ordered == ["An", "Àn", "Ản", "Ãn", "Án", "Ạn", "Ăn", "Ân", "Dan", "Đan"]


@pytest.mark.parametrize(
    ("new", "old"),
    [("Hoà", "Hòa"), ("Thuỷ", "Thủy"), ("khoẻ", "khỏe"), ("Thuỵ", "Thụy"), ("HOÀ", "HÒA"), ("Uỷ", "Ủy")],
)
def test_old_and_new_tone_placement_sort_and_match_as_one(new: str, old: str) -> None:
    assert unify_tone_marks(new) == old
    assert fold(new) == fold(old)
    assert name_sort_key(f"Lê Thị {new}") == name_sort_key(f"Lê Thị {old}")


@pytest.mark.parametrize("word", ["Quý", "Hoàng", "hoặc", "Huệ", "ngoài", "Khuya", "Thuận", "Hòa"])
def test_tone_placement_left_alone_where_both_styles_agree(word: str) -> None:
    assert unify_tone_marks(word) == word


def test_hoa_names_interleave_by_family_name_whatever_the_spelling() -> None:
    names = ["Bùi Thị Hoà", "Lê Văn Hòa", "Trần Thị Hoà", "Vũ Văn Hòa"]
    assert sorted(reversed(names), key=name_sort_key) == names


def test_zero_width_space_reads_as_a_space() -> None:
    assert normalize_text("Nguyễn\u200bVăn\u200bAn") == "Nguyễn Văn An"
    assert fold("Nguyễn\u200bVăn An") == "nguyen van an"
    assert fold("Nguyễn\u200dVăn") == "nguyenvan"  # a zero-width joiner still vanishes
