"""The 12-digit personal identification number (số định danh cá nhân) and old 9-digit ID cards.

Layout of the 12 digits (Circular 07/2016/TT-BCA, later 59/2021/TT-BCA):
``PPP C YY NNNNNN`` — PPP the province where the birth was registered, C the century and sex
(0/1 male/female born 1900-1999, 2/3 2000-2099, ... 8/9 2300-2399), YY the last two digits of
the year of birth, then a random serial. For a birth registered abroad PPP is a country code
(Decree 137/2015/NĐ-CP art. 13, Circular 07/2016/TT-BCA art. 7); the list of those codes is not
published, so a prefix that is no province is a warning, not an error.
Old 9-digit card numbers (CMND) are checked against their issuing codes (:mod:`fieldapp.vn.cmnd`).

Messages are lazy strings (``flask_babel.lazy_gettext``): ``str(problem.message)`` renders them
in the request's language, Vietnamese by default.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fieldapp.vn.cmnd import is_cmnd_prefix
from fieldapp.vn.text import drop_separators

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


def _mismatch(encoded: int, years: tuple[int, ...]) -> IdProblem:
    if len(years) == 1:
        message = _l(
            "Số định danh cho biết năm sinh %(encoded)s nhưng hồ sơ ghi năm sinh %(recorded)s",
            encoded=encoded,
            recorded=years[0],
        )
    else:
        message = _l(
            "Số định danh cho biết năm sinh %(encoded)s nhưng ngày sinh âm lịch trong hồ sơ ứng với "
            "năm %(first)s hoặc %(last)s dương lịch",
            encoded=encoded,
            first=years[0],
            last=years[-1],
        )
    return IdProblem("date_of_birth", message)


def _year_problems(value: str, birth_years: tuple[int, ...], today: datetime.date) -> list[IdProblem]:
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
    if birth_years and encoded not in birth_years:
        return [_mismatch(encoded, birth_years)]
    return []


def _cmnd_problems(value: str) -> list[IdProblem]:
    if set(value) == {"0"}:
        return [IdProblem("personal_id", _l("Số chứng minh nhân dân không thể toàn chữ số 0"))]
    if not is_cmnd_prefix(value):
        return [
            IdProblem(
                "personal_id",
                _l(
                    "Số chứng minh nhân dân cũ (9 chữ số) bắt đầu bằng mã nơi cấp từ 01 đến 38, "
                    "số đã nhập bắt đầu bằng %(code)s",
                    code=value[:2],
                ),
            )
        ]
    return []


def _place_problem(value: str) -> IdProblem | None:
    code = value[:3]
    if code in PROVINCE_ID_CODES:
        return None
    if code == "000":
        return IdProblem("personal_id", _l("Mã tỉnh %(code)s trong số định danh không tồn tại", code=code))
    return IdProblem("personal_id", abroad_message(code), "warning")


def abroad_message(code: str) -> str:
    """The warning for an ID whose first three digits are no province (office forms show it too)."""
    return _l(
        "Mã %(code)s ở đầu số định danh không phải mã tỉnh: chỉ đúng khi người này đăng ký khai sinh "
        "ở nước ngoài (mã quốc gia). Hãy đối chiếu lại với giấy tờ",
        code=code,
    )


def id_warnings(typed: str) -> list[str]:
    """What to point out, without refusing, about an ID as typed (spaces and dots allowed): today, a
    prefix that is no province code, i.e. a birth registered abroad. [] when there is nothing to say."""
    return [str(p.message) for p in check_personal_id(drop_separators(typed)) if p.severity == "warning"]


def check_personal_id(
    value: str,
    *,
    sex: str | None = None,
    birth_year: int | None = None,
    birth_years: tuple[int, ...] = (),
    today: datetime.date | None = None,
) -> list[IdProblem]:
    """Check a personal ID (already stripped of spaces) against itself and the person's record.

    ``sex`` is "male"/"female" (also "nam"/"nữ", "M"/"F"); unknown values are not compared.
    ``birth_years`` are the solar years the recorded birth date can fall in (two for a lunar year
    that straddles New Year, see :meth:`PartialDate.solar_years`); ``birth_year`` is one such year.
    A 9-digit old ID card number is checked for its issuing code. Returns [] when all is well;
    problems of severity "warning" do not make the record invalid.
    """
    shape = _shape_problem(value)
    if shape is not None:
        return [shape]
    if len(value) == 9:
        return _cmnd_problems(value)
    place = _place_problem(value)
    if place is not None and place.severity == "error":
        return [place]
    years = birth_years or ((birth_year,) if birth_year is not None else ())
    problems = _year_problems(value, tuple(sorted(years)), today or datetime.date.today())
    sex_problem = _sex_problem(value, sex)
    if sex_problem is not None:
        problems.insert(0, sex_problem)
    return problems + ([place] if place is not None else [])
