"""The one definition of each record type's form: what a person sees, in the order of the paper form.

The phone's forms, the office record editor and the register keying form are all rendered from it.
It names fields (data path, label, kind, choices, help); it does not validate: the marshmallow schemas
in fieldapp.records.schemas stay the only rules. Adding a field to a form is one line here.
"""

import enum
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import lazy_gettext as _l

from fieldapp.records.models import RecordType

#: in the path of a repeated block (household members) this stands for the member's index
EACH = "*"


class Kind(enum.StrEnum):
    NAME = "name"
    TEXT = "text"
    DATE = "date"  # partial dates; lunar too when the field has a calendar key
    CHOICE = "choice"  # a short fixed list (sex), shown as a select
    ETHNIC = "ethnic"
    NATIONALITY = "nationality"
    RELATIONSHIP = "relationship"
    UNIT = "unit"  # an administrative unit of the user's area
    PERSONAL_ID = "personal_id"
    NUMBER = "number"
    RECEIPT_CODE = "receipt_code"  # a code typed from a paper pad


#: kinds chosen from a list by typing part of a name (no diacritics needed) or the code
TYPE_AHEAD = frozenset({Kind.ETHNIC, Kind.NATIONALITY, Kind.UNIT})
#: kinds shown as a select of Vietnamese labels
SELECTS = frozenset({Kind.CHOICE, Kind.RELATIONSHIP})

DATE_HELP = _l(
    "Năm (1990), tháng/năm (03/1990) hoặc ngày/tháng/năm (15/03/1990); gõ liền 15031990 cũng được."
)
ID_HELP = _l("12 chữ số (hoặc số CMND cũ 9 chữ số).")
PAD_HELP = _l("Chỉ khi đưa biên nhận giấy: gõ mã in trên tờ biên nhận, ví dụ K7QX2-MP9RD.")


@dataclass(frozen=True)
class Field:
    #: dotted path in the record's data; "members.*.full_name" inside the members block
    path: str
    label: Any
    kind: Kind = Kind.TEXT
    required: bool = False
    help: Any = None
    #: for Kind.CHOICE: the key of the list in fieldapp.records.choices
    choices: str | None = None
    #: for a date: the path of its calendar key (lunar allowed) and of its leap-month flag
    calendar: str | None = None
    leap: str | None = None
    #: registers repeat it from entry to entry: the keying form carries it over
    carry: bool = False
    #: the register book gives it when an entry is keyed (book number, year, page, entry number)
    from_book: bool = False
    #: lives on the record item beside the data (the receipt code), not in the data
    on_item: bool = False
    #: what a missing value means (a member's status: still living there); shown when nothing is stored
    default: str | None = None

    @property
    def key(self) -> str:
        return self.path.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Section:
    """A block of the paper form: the place, a person, the register entry; `repeat` for a list."""

    legend: Any
    fields: tuple[Field, ...]
    #: the data path of a repeated block ("members"), whose fields' paths start with "members.*."
    repeat: str | None = None
    #: rarely known in the field: the phone folds it away until opened
    folded: bool = False


def _person(
    prefix: str,
    *,
    sex: bool = True,
    leap: bool = True,
    need: tuple[str, ...] = ("full_name", "sex", "date_of_birth", "ethnicity"),
    relationship: bool = False,
    residence: bool = False,
) -> tuple[Field, ...]:
    """A person as the paper forms ask for one; `need` are the keys the schema requires."""
    p = f"{prefix}."
    related = Field(p + "relationship", _l("Quan hệ với chủ hộ"), Kind.RELATIONSHIP, True)
    fields = [
        related if relationship else None,
        Field(p + "full_name", _l("Họ, chữ đệm và tên"), Kind.NAME, "full_name" in need),
        Field(p + "sex", _l("Giới tính"), Kind.CHOICE, "sex" in need, choices="sex") if sex else None,
        Field(
            p + "date_of_birth",
            _l("Ngày, tháng, năm sinh"),
            Kind.DATE,
            "date_of_birth" in need,
            DATE_HELP,
            calendar=p + "dob_calendar",
            leap=p + "dob_leap_month" if leap else None,
        ),
        Field(p + "ethnicity", _l("Dân tộc"), Kind.ETHNIC, "ethnicity" in need),
        Field(p + "nationality", _l("Quốc tịch"), Kind.NATIONALITY),
        Field(p + "personal_id", _l("Số định danh cá nhân"), Kind.PERSONAL_ID, help=ID_HELP),
        Field(p + "residence", _l("Nơi cư trú"), Kind.TEXT) if residence else None,
        Field(p + "status", _l("Tình trạng"), Kind.CHOICE, choices="member_status", default="present")
        if relationship
        else None,
    ]
    return tuple(f for f in fields if f is not None)


_PLACE = Section(
    _l("Nơi thu thập"),
    (
        Field("commune_code", _l("Xã, phường"), Kind.UNIT, True, from_book=True),
        Field("village", _l("Thôn, bản, tổ dân phố"), Kind.TEXT, True, carry=True),
    ),
)

_REGISTER = Section(
    _l("Sổ đăng ký (nếu có)"),
    (
        Field("register.entry_number", _l("Số đăng ký (số thứ tự trong sổ)"), Kind.TEXT, from_book=True),
        Field("register.book_number", _l("Quyển số"), Kind.TEXT, from_book=True),
        Field("register.book_year", _l("Năm của sổ"), Kind.NUMBER, from_book=True),
        Field("register.page", _l("Trang"), Kind.NUMBER, from_book=True),
        Field("register.registered_on", _l("Ngày đăng ký"), Kind.DATE, help=DATE_HELP, carry=True),
        Field("register.place", _l("Nơi đăng ký"), Kind.TEXT, carry=True),
        Field("register.official", _l("Người ký (cán bộ đăng ký)"), Kind.NAME, carry=True),
    ),
    folded=True,
)

_PARENT = {"sex": False, "leap": False, "need": ("full_name",), "residence": True}

FORMS: dict[RecordType, tuple[Section, ...]] = {
    RecordType.HOUSEHOLD: (
        replace(_PLACE, fields=(*_PLACE.fields, Field("address", _l("Số nhà, đường (nếu có)")))),
        Section(_l("Thành viên"), _person("members.*", relationship=True), repeat="members"),
        Section(
            _l("Biên nhận giấy"),
            (Field("receipt_code", _l("Mã biên nhận giấy"), Kind.RECEIPT_CODE, help=PAD_HELP, on_item=True),),
        ),
    ),
    RecordType.BIRTH: (
        _PLACE,
        _REGISTER,
        Section(
            _l("Người được khai sinh"),
            (*_person("child"), Field("place_of_birth", _l("Nơi sinh"))),
        ),
        Section(_l("Mẹ"), _person("mother", **_PARENT)),
        Section(_l("Cha"), _person("father", **_PARENT)),
    ),
    RecordType.DEATH: (
        _PLACE,
        _REGISTER,
        Section(_l("Người đã mất"), _person("deceased")),
        Section(
            _l("Việc mất"),
            (
                Field(
                    "date_of_death",
                    _l("Ngày, tháng, năm mất"),
                    Kind.DATE,
                    True,
                    DATE_HELP,
                    calendar="dod_calendar",
                    leap="dod_leap_month",
                ),
                Field("place_of_death", _l("Nơi mất")),
                Field("cause_of_death", _l("Nguyên nhân mất")),
            ),
        ),
    ),
    RecordType.MARRIAGE: (
        _PLACE,
        _REGISTER,
        Section(_l("Chồng"), _person("husband", sex=False, need=("full_name", "date_of_birth", "ethnicity"))),
        Section(_l("Vợ"), _person("wife", sex=False, need=("full_name", "date_of_birth", "ethnicity"))),
        Section(
            _l("Việc kết hôn"),
            (Field("marriage_date", _l("Ngày đăng ký kết hôn"), Kind.DATE, help=DATE_HELP),),
        ),
    ),
}

TITLES: dict[RecordType, Any] = {
    RecordType.HOUSEHOLD: _l("Hộ gia đình"),
    RecordType.BIRTH: _l("Khai sinh"),
    RecordType.DEATH: _l("Khai tử"),
    RecordType.MARRIAGE: _l("Kết hôn"),
}


def fields_of(kind: RecordType) -> list[Field]:
    """Every field of a form, in order (members' fields once, with "*" for the index)."""
    return [f for section in FORMS[kind] for f in section.fields]


def pattern(path: str) -> str:
    """ "members.2.full_name" -> "members.*.full_name"."""
    return ".".join(EACH if part.isdigit() else part for part in path.split("."))


def field_at(kind: RecordType, path: str) -> Field | None:
    """The field a concrete data path belongs to: its own, or the date whose calendar/leap key it is."""
    wanted = pattern(path)
    for f in fields_of(kind):
        if wanted in (f.path, f.calendar, f.leap):
            return f
    return None


def section_of(kind: RecordType, f: Field) -> Section:
    return next(s for s in FORMS[kind] if f in s.fields)


def label_of(kind: RecordType, path: str) -> str:
    """ "members.1.full_name" -> "Thành viên 2 · Họ, chữ đệm và tên"; unknown keys are shown as they are."""
    f = field_at(kind, path)
    if f is None:
        return path
    section = section_of(kind, f)
    if section.repeat:
        index = int(path.split(".")[1]) + 1 if path.count(".") >= 2 and path.split(".")[1].isdigit() else ""
        return f"{section.legend} {index} · {f.label}".replace("  ", " ")
    if f.path.count(".") and section.legend and f.path.split(".")[0] not in ("register",):
        return f"{f.label} ({section.legend})"
    return str(f.label)


def concrete(path: str, index: int) -> str:
    return path.replace(EACH, str(index), 1)
