"""Record values as people read them: words for codes, dd/mm/yyyy dates with partial and lunar ones
written as such. Used by the history, the exports and the national hand-off alike."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.records.choices import FIXED
from fieldapp.vn.ethnic import ETHNIC_GROUPS
from fieldapp.vn.nationality import NATIONALITIES
from fieldapp.vn.relationships import RELATIONSHIPS

SEXES = {"male": _l("Nam"), "female": _l("Nữ")}
CALENDARS = {"solar": _l("Dương lịch"), "lunar": _l("Âm lịch")}
#: date keys and the keys that say their calendar and leap month
DATE_KEYS = {
    "date_of_birth": ("dob_calendar", "dob_leap_month"),
    "date_of_death": ("dod_calendar", "dod_leap_month"),
    "marriage_date": (None, None),
    "registered_on": (None, None),
}
_NATIONALITY_NAMES = dict(NATIONALITIES)


@dataclass(frozen=True)
class Words:
    """The words of codes in the user's language, looked up once: a streamed export writes its rows
    after the request has ended, when translations can no longer be looked up."""

    sexes: dict[str, str]
    statuses: dict[str, str]
    calendars: dict[str, str]
    lunar: str
    lunar_leap: str
    yes: str
    no: str

    @classmethod
    def now(cls) -> "Words":
        return cls(
            sexes={k: str(v) for k, v in SEXES.items()},
            statuses={k: str(v) for k, v in FIXED["member_status"]},
            calendars={k: str(v) for k, v in CALENDARS.items()},
            lunar=str(_l("âm lịch")),
            lunar_leap=str(_l("âm lịch, tháng nhuận")),
            yes=str(_l("Có")),
            no=str(_l("Không")),
        )

    def partial_date(self, value: str | None, calendar: str | None = "solar", leap: bool = False) -> str:
        """ "1980-08-12" -> "12/08/1980", "1980-08" -> "08/1980", lunar ones marked "(âm lịch)"."""
        if not value:
            return ""
        text = "/".join(reversed(value.split("-")))
        if calendar == "lunar":
            text = f"{text} ({self.lunar_leap if leap else self.lunar})"
        return text

    def date(self, node: dict[str, Any], key: str) -> str:
        """A date of a record's data, with its calendar and leap month taken from beside it."""
        calendar_key, leap_key = DATE_KEYS.get(key, (None, None))
        calendar = node.get(calendar_key) if calendar_key else "solar"
        return self.partial_date(node.get(key), calendar, bool(node.get(leap_key)) if leap_key else False)

    def text(self, key: str, value: Any, node: dict[str, Any] | None = None) -> str:
        """One leaf of a record's data in words; `key` is its name, `node` the dict holding it."""
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return self.yes if value else self.no
        words = {
            "sex": self.sexes,
            "status": self.statuses,
            "relationship": RELATIONSHIPS,
            "ethnicity": ETHNIC_GROUPS,
            "nationality": _NATIONALITY_NAMES,
            "dob_calendar": self.calendars,
            "dod_calendar": self.calendars,
        }.get(key)
        if words is not None:
            return str(words.get(value, value))
        if key in DATE_KEYS:
            return self.date({**(node or {}), key: value}, key)
        if key == "commune_code":
            return unit_name(value)
        return str(value)


@cache
def _unit_names() -> dict[str, str]:
    from fieldapp.vn.models import AdminUnit

    return {code: name for code, name in db.session.execute(select(AdminUnit.code, AdminUnit.name))}


def unit_name(code: str | None) -> str:
    """A province or commune by name ("Xã Mường Lát"); the code itself when it is unknown."""
    if not code:
        return ""
    name = _unit_names().get(code)
    if name is None:
        _unit_names.cache_clear()  # units loaded after the first look-up
        name = _unit_names().get(code, code)
    return name


def value_text(key: str, value: Any, node: dict[str, Any] | None = None) -> str:
    """One leaf of a record's data in the current user's words."""
    return Words.now().text(key, value, node)
