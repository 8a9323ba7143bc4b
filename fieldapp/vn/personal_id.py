"""The 12-digit personal identification number (số định danh cá nhân) and old 9-digit ID cards.

Layout of the 12 digits (Circular 07/2016/TT-BCA, later 59/2021/TT-BCA):
``PPP C YY NNNNNN`` — PPP the province where the birth was registered, C the century and sex
(0/1 male/female born 1900-1999, 2/3 2000-2099, ... 8/9 2300-2399), YY the last two digits of
the year of birth, then a random serial.

Messages are lazy strings (``flask_babel.lazy_gettext``): ``str(problem.message)`` renders them
in the request's language, Vietnamese by default.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: Province codes (3 digits) of the 63 provinces before the 2025 merger, as the Ministry of
#: Public Security lists them; they are the old 2-digit GSO codes zero-padded. Today's 34
#: provinces kept codes from this list, so every valid ID starts with one of these.
PROVINCE_ID_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

_SEX_WORDS = {"male": _l("nam"), "female": _l("nữ")}
_SEX_ALIASES = {"male": "male", "m": "male", "nam": "male", "female": "female", "f": "female", "nữ": "female"}


@dataclass
class IdProblem:
    """One problem found in a personal ID: the form field it concerns and how serious it is."""

    field: str
    message: str
    severity: str = "error"


def _is_valid_12(value: str) -> bool:
    return len(value) == 12 and value.isascii() and value.isdigit()


def id_birth_year(value: str) -> int | None:
    """Year of birth encoded in a 12-digit ID (century digit + two year digits), else None."""
    if not _is_valid_12(value):
        return None
    return 1900 + int(value[3]) // 2 * 100 + int(value[4:6])


def id_sex(value: str) -> str | None:
    """Sex, "male" or "female", as encoded in a 12-digit ID (even century digit = male), else None."""
    if not _is_valid_12(value):
        return None
    return "female" if int(value[3]) % 2 else "male"


def _canonical_sex(sex: str | None) -> str | None:
    return _SEX_ALIASES.get(sex.strip().lower()) if sex else None


def _shape_problem(value: str) -> IdProblem | None:
    if value and not (value.isascii() and value.isdigit()):
        return IdProblem("personal_id", _l("Số định danh cá nhân chỉ được gồm chữ số"))
    if len(value) not in (9, 12):
        return IdProblem(
            "personal_id",
            _l(
                "Số định danh cá nhân phải gồm 12 chữ số (số chứng minh nhân dân cũ: 9 chữ số), "
                "số đã nhập có %(count)d chữ số",
                count=len(value),
            ),
        )
    return None


def _sex_problem(value: str, sex: str | None) -> IdProblem | None:
    recorded = _canonical_sex(sex)
    encoded = id_sex(value)
    if recorded is None or encoded is None or recorded == encoded:
        return None
    return IdProblem(
        "sex",
        _l(
            "Số định danh cho biết giới tính %(encoded)s nhưng hồ sơ ghi %(recorded)s",
            encoded=_SEX_WORDS[encoded],
            recorded=_SEX_WORDS[recorded],
        ),
    )


def _year_problems(value: str, birth_year: int | None, today: datetime.date) -> list[IdProblem]:
    encoded = id_birth_year(value)
    if encoded is None:
        return []
    if encoded > today.year:
        return [
            IdProblem(
                "personal_id",
                _l("Số định danh cho biết năm sinh %(year)s, sau năm hiện tại", year=encoded),
            )
        ]
    if birth_year is not None and birth_year != encoded:
        return [
            IdProblem(
                "date_of_birth",
                _l(
                    "Số định danh cho biết năm sinh %(encoded)s nhưng hồ sơ ghi năm sinh %(recorded)s",
                    encoded=encoded,
                    recorded=birth_year,
                ),
            )
        ]
    return []


def check_personal_id(
    value: str,
    *,
    sex: str | None = None,
    birth_year: int | None = None,
    today: datetime.date | None = None,
) -> list[IdProblem]:
    """Check a personal ID (already stripped of spaces) against itself and the person's record.

    ``sex`` is "male"/"female" (also "nam"/"nữ", "M"/"F"); unknown values are not compared.
    A 9-digit old ID card number is accepted as it is. Returns an empty list when all is well.
    """
    shape = _shape_problem(value)
    if shape is not None:
        return [shape]
    if len(value) == 9:
        return []
    if value[:3] not in PROVINCE_ID_CODES:
        return [
            IdProblem("personal_id", _l("Mã tỉnh %(code)s trong số định danh không tồn tại", code=value[:3]))
        ]
    problems = _year_problems(value, birth_year, today or datetime.date.today())
    sex_problem = _sex_problem(value, sex)
    if sex_problem is not None:
        problems.insert(0, sex_problem)
    return problems
