"""The lists a form's fields choose from, read from the reference data, and what a typed name means.

A clerk types "thai", "hmong", "03" or "Thái"; :func:`resolve` answers the stored code or a Vietnamese
message that says why not. Units are the user's communes, passed in by the caller.
"""

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fieldapp.records.forms import TYPE_AHEAD, Field, Kind
from fieldapp.vn import ethnic, nationality, relationships
from fieldapp.vn.text import fold

Choice = tuple[str, Any]

#: the short fixed lists of Kind.CHOICE fields
FIXED: dict[str, list[Choice]] = {
    "sex": [("male", _l("Nam")), ("female", _l("Nữ"))],
    "member_status": [("present", _l("Đang ở")), ("moved", _l("Đã chuyển đi")), ("died", _l("Đã mất"))],
}


def choices_for(f: Field, units: Sequence[Choice] = ()) -> list[Choice]:
    """(code, label) pairs of a field, in the order a person expects them."""
    if f.kind is Kind.CHOICE:
        return FIXED[f.choices or ""]
    if f.kind is Kind.ETHNIC:
        return list(ethnic.ETHNIC_GROUPS.items())
    if f.kind is Kind.NATIONALITY:
        return list(nationality.NATIONALITIES)
    if f.kind is Kind.RELATIONSHIP:
        return list(relationships.RELATIONSHIPS.items())
    if f.kind is Kind.UNIT:
        return list(units)
    return []


def label_for(f: Field, code: Any, units: Sequence[Choice] = ()) -> str:
    """The Vietnamese label of a stored code; the code itself only if the list does not know it."""
    for value, label in choices_for(f, units):
        if value == code:
            return str(label)
    return "" if code is None else str(code)


@lru_cache(maxsize=4096)
def _names(label: str) -> tuple[str, ...]:
    """ "Hmông (Mông)" -> ["hmong mong", "hmong", "mong"]: the whole name and each of its forms."""
    whole = fold(label)
    parts = [fold(p) for p in label.replace(")", "").split("(")]
    return (whole, *[p for p in parts if p and p != whole])


def ranked(options: Sequence[Choice], typed: str) -> list[list[Choice]]:
    """Options for what was typed, in three groups: the code or a whole name; a name or one of its words
    starting with it; a name containing it. Diacritics, case, spaces and hyphens do not matter ("ede" is
    Ê-đê)."""
    key = fold(typed).replace(" ", "")
    groups: list[list[Choice]] = [[], [], []]
    if not key:
        return groups
    for code, label in options:
        names = _names(str(label))
        compact = [n.replace(" ", "") for n in names]  # cached names: folding 249 labels per key costs
        words = [w for n in names for w in n.split(" ")]
        if key == code.lower() or key in compact:
            groups[0].append((code, label))
        elif any(n.startswith(key) for n in [*compact, *words]):
            groups[1].append((code, label))
        elif any(key in n for n in compact):
            groups[2].append((code, label))
    return groups


def matches(options: Sequence[Choice], typed: str) -> list[Choice]:
    """Every option for what was typed, best first (the office type-ahead shows them in this order)."""
    return [choice for group in ranked(options, typed) for choice in group]


def resolve(f: Field, typed: str, units: Sequence[Choice] = ()) -> str:
    """The code for what was typed into a choice field: the one best match; ValueError with a Vietnamese
    message if none or several fit equally."""
    found = next((group for group in ranked(choices_for(f, units), typed) if group), [])
    if len(found) == 1:
        return found[0][0]
    if not found:
        raise ValueError(_("Không có “%(typed)s” trong danh mục %(label)s.", typed=typed, label=f.label))
    names = ", ".join(str(label) for _code, label in found[:5])
    raise ValueError(_("“%(typed)s” có thể là: %(names)s. Hãy gõ rõ hơn.", typed=typed, names=names))


def type_ahead_lists(units: Sequence[Choice] = ()) -> dict[str, list[tuple[str, str]]]:
    """The lists the office pages' type-ahead fields search, for the page to carry as JSON."""
    probe = {kind: Field("_", "", kind) for kind in TYPE_AHEAD}
    return {str(kind): [(c, str(n)) for c, n in choices_for(f, units)] for kind, f in probe.items()}
