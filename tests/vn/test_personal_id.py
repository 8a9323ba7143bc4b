"""12-digit personal ID checks and old 9-digit ID cards."""

import datetime
import sqlite3
from importlib.resources import files

import pytest
from marshmallow import ValidationError

from fieldapp.vn.cmnd import CMND_PREFIXES
from fieldapp.vn.personal_id import PROVINCE_ID_CODES, check_personal_id, id_birth_year, id_sex

FAR_FUTURE = datetime.date(2400, 1, 1)


def make_id(century_sex: int, yy: int, province: str = "038") -> str:
    return f"{province}{century_sex}{yy:02d}123456"


def test_province_codes_match_legacy_units() -> None:
    db = files("vietnamadminunits") / "data" / "dataset.db"
    with sqlite3.connect(str(db)) as conn:
        rows = conn.execute("SELECT DISTINCT provinceCode FROM admin_units_legacy").fetchall()
    assert len(PROVINCE_ID_CODES) == 63
    assert set(PROVINCE_ID_CODES) == {f"0{code}" for (code,) in rows}
    assert PROVINCE_ID_CODES["001"] == "Hà Nội"
    assert PROVINCE_ID_CODES["038"] == "Thanh Hóa"
    assert PROVINCE_ID_CODES["096"] == "Cà Mau"


@pytest.mark.parametrize(
    ("digit", "year", "sex"),
    [
        (0, 1985, "male"),
        (1, 1985, "female"),
        (2, 2085, "male"),
        (3, 2085, "female"),
        (4, 2185, "male"),
        (5, 2185, "female"),
        (6, 2285, "male"),
        (7, 2285, "female"),
        (8, 2385, "male"),
        (9, 2385, "female"),
    ],
)
def test_century_and_sex_digit(digit: int, year: int, sex: str) -> None:
    value = make_id(digit, 85)
    assert id_birth_year(value) == year
    assert id_sex(value) == sex
    assert check_personal_id(value, sex=sex, birth_year=year, today=FAR_FUTURE) == []
    other = "female" if sex == "male" else "male"
    problems = check_personal_id(value, sex=other, birth_year=year, today=FAR_FUTURE)
    assert [p.field for p in problems] == ["sex"]


def test_valid_id_today() -> None:
    assert check_personal_id("001303012345", sex="female", birth_year=2003) == []
    assert check_personal_id("079090012345", sex="nam", birth_year=1990) == []
    assert check_personal_id("079090012345") == []


def test_future_birth_year_is_an_error() -> None:
    today = datetime.date(2025, 8, 1)
    problems = check_personal_id(make_id(2, 30), today=today)
    assert [(p.field, p.severity) for p in problems] == [("personal_id", "error")]
    assert "2030" in str(problems[0].message)


def test_prefix_000_is_an_error() -> None:
    problems = check_personal_id("000190012345", sex="female", birth_year=1990)
    assert [(p.field, p.severity) for p in problems] == [("personal_id", "error")]
    assert str(problems[0].message) == "Mã tỉnh 000 trong số định danh không tồn tại"


@pytest.mark.parametrize("prefix", ["099", "100", "704", "840", "999"])
def test_prefix_outside_the_provinces_is_a_warning_for_births_abroad(prefix: str) -> None:
    problems = check_personal_id(f"{prefix}190012345", sex="female", birth_year=1990)
    assert [(p.field, p.severity) for p in problems] == [("personal_id", "warning")]
    message = str(problems[0].message)
    assert message.startswith(f"Mã {prefix} ở đầu số định danh không phải mã tỉnh")
    assert "đăng ký khai sinh ở nước ngoài" in message


def test_abroad_prefix_still_checks_sex_and_year() -> None:
    problems = check_personal_id("840190012345", sex="male", birth_year=1991)
    assert [(p.field, p.severity) for p in problems] == [
        ("sex", "error"),
        ("date_of_birth", "error"),
        ("personal_id", "warning"),
    ]


@pytest.mark.parametrize("province", ["001", "038", "096"])
def test_province_prefix_gives_no_warning(province: str) -> None:
    assert check_personal_id(f"{province}190012345", sex="female", birth_year=1990) == []


@pytest.mark.parametrize(
    "value", ["03819001234A", "0381900-2345", "O38190012345", "０３８１９００１２３４５", "03819001234 "]
)
def test_non_digits(value: str) -> None:
    problems = check_personal_id(value)
    assert [(p.field, p.severity) for p in problems] == [("personal_id", "error")]
    assert "chữ số" in str(problems[0].message)


@pytest.mark.parametrize("value", ["03819001234", "0381900123456", "", "12345678", "1234567890"])
def test_wrong_length(value: str) -> None:
    problems = check_personal_id(value)
    assert [p.field for p in problems] == ["personal_id"]
    assert "12 chữ số" in str(problems[0].message)


def test_old_nine_digit_card_accepted() -> None:
    assert check_personal_id("172345678", sex="female", birth_year=1970) == []
    assert id_birth_year("172345678") is None
    assert id_sex("172345678") is None


@pytest.mark.parametrize("value", ["010000001", "025123456", "172345678", "380000000", "245123456"])
def test_nine_digit_card_with_an_issuing_code(value: str) -> None:
    assert check_personal_id(value) == []


def test_nine_digit_card_of_zeros_is_refused() -> None:
    problems = check_personal_id("000000000")
    assert [(p.field, p.severity) for p in problems] == [("personal_id", "error")]
    assert str(problems[0].message) == "Số chứng minh nhân dân không thể toàn chữ số 0"


@pytest.mark.parametrize("value", ["001234567", "391234567", "501234567", "991234567"])
def test_nine_digit_card_outside_01_38_is_refused(value: str) -> None:
    problems = check_personal_id(value)
    assert [(p.field, p.severity) for p in problems] == [("personal_id", "error")]
    assert str(problems[0].message) == (
        "Số chứng minh nhân dân cũ (9 chữ số) bắt đầu bằng mã nơi cấp từ 01 đến 38, "
        f"số đã nhập bắt đầu bằng {value[:2]}"
    )


def test_every_issuing_code_01_to_38_and_no_other() -> None:
    assert sorted(CMND_PREFIXES) == [f"{n:02d}" for n in range(1, 39)]
    assert CMND_PREFIXES["17"] == "Thanh Hóa"


def test_lunar_year_only_accepts_either_solar_year() -> None:
    # Born January 1990, recorded as lunar year 1989 (Kỷ Tỵ runs 6 Feb 1989 - 26 Jan 1990).
    assert check_personal_id("038090012345", birth_years=(1989, 1990)) == []
    assert check_personal_id("038089012345", birth_years=(1989, 1990)) == []
    problems = check_personal_id("038091012345", birth_years=(1989, 1990))
    assert [p.field for p in problems] == ["date_of_birth"]
    assert str(problems[0].message) == (
        "Số định danh cho biết năm sinh 1991 nhưng ngày sinh âm lịch trong hồ sơ ứng với năm 1989 "
        "hoặc 1990 dương lịch"
    )


def test_sex_mismatch_names_field_sex() -> None:
    problems = check_personal_id("038190012345", sex="male", birth_year=1990)
    assert len(problems) == 1
    assert problems[0].field == "sex"
    assert problems[0].severity == "error"
    assert str(problems[0].message) == "Số định danh cho biết giới tính nữ nhưng hồ sơ ghi nam"


def test_year_mismatch_names_date_of_birth() -> None:
    problems = check_personal_id("038090012345", sex="male", birth_year=1991)
    assert [p.field for p in problems] == ["date_of_birth"]
    assert "1990" in str(problems[0].message) and "1991" in str(problems[0].message)
    # Right two digits, wrong century digit.
    problems = check_personal_id("038290012345", birth_year=1990)
    assert [p.field for p in problems] == ["personal_id"]
    problems = check_personal_id("038201012345", birth_year=1901)
    assert [p.field for p in problems] == ["date_of_birth"]


def test_both_mismatches_reported() -> None:
    problems = check_personal_id("038190012345", sex="male", birth_year=1980)
    assert [p.field for p in problems] == ["sex", "date_of_birth"]


def test_unknown_sex_value_not_compared() -> None:
    assert check_personal_id("038190012345", sex="unknown") == []


def test_person_recorded_by_lunar_year_1989_born_january_1990() -> None:
    from fieldapp.records.schemas import PersonSchema

    person = {
        "full_name": "Lò Văn Xuân",
        "sex": "male",
        "date_of_birth": "1989",
        "dob_calendar": "lunar",
        "ethnicity": "03",
        "personal_id": "038090012345",
    }
    assert PersonSchema().load(person)["personal_id"] == "038090012345"
    # Known to the day, the lunar date converts: 5/5/1989 is 8 June 1989, so ID year 1990 is wrong.
    with pytest.raises(ValidationError) as caught:
        PersonSchema().load({**person, "date_of_birth": "05/05/1989"})
    assert "date_of_birth" in caught.value.messages
