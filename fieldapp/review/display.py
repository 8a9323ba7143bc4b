"""Record values as a clerk reads them: names for codes, dd/mm/yyyy dates, lunar dates marked."""

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fieldapp.vn.ethnic import ETHNIC_GROUPS
from fieldapp.vn.nationality import NATIONALITIES
from fieldapp.vn.relationships import RELATIONSHIPS

SEX = {"male": _l("Nam"), "female": _l("Nữ")}
CALENDAR = {"solar": _l("Dương lịch"), "lunar": _l("Âm lịch")}
#: a date field and the field saying which calendar it is written in
CALENDAR_OF = {"date_of_birth": "dob_calendar", "date_of_death": "dod_calendar"}
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CODES = {"relationship": RELATIONSHIPS, "ethnicity": ETHNIC_GROUPS, "nationality": dict(NATIONALITIES)}


def shown(path: str, value: Any, flat: dict[str, Any], units: dict[str, str]) -> str:
    """One leaf of a record's flattened data (`flat`), as text for the office pages."""
    if value is None:
        return ""
    key = path.rsplit(".", 1)[-1]
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if key == "sex":
        return str(SEX.get(value, value))
    if key.endswith("_calendar"):
        return str(CALENDAR.get(value, value))
    if key in _CODES:
        return _CODES[key].get(value, value)
    if key == "commune_code":
        return units.get(value, value)
    if isinstance(value, str) and (key.endswith(("date", "_on", "_solar")) or key in CALENDAR_OF):
        return _date(str(value), lunar=flat.get(_sibling(path, CALENDAR_OF.get(key, ""))) == "lunar")
    return str(value)


def _sibling(path: str, key: str) -> str:
    return f"{path.rsplit('.', 1)[0]}.{key}" if "." in path else key


def _date(value: str, *, lunar: bool) -> str:
    match = _DATE.fullmatch(value)
    if match is None:
        return value
    year, month, day = match.groups()
    text = "/".join(part for part in (day, month, year) if part)
    return _("%(date)s (âm lịch)", date=text) if lunar else text
