"""Between stored values and what a form shows and takes: dd/mm/yyyy dates, labels instead of codes.

The office editor and the keying form render :class:`Widget` rows from the definition and turn what was
typed back into a draft of the record's data; the schema then validates the draft as it does a push.
"""

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from fieldapp.records.choices import Choice, choices_for, label_for, resolve
from fieldapp.records.forms import FORMS, SELECTS, TYPE_AHEAD, Field, Kind, Section, concrete, field_at
from fieldapp.records.models import RecordType

LUNAR = "lunar"


def expand_digits(text: str) -> str:
    """Dates typed as digits: "12081980" -> "12/08/1980", "081980" -> "08/1980"; anything else as typed."""
    text = text.strip()
    if text.isdigit() and len(text) == 8:
        return f"{text[:2]}/{text[2:4]}/{text[4:]}"
    if text.isdigit() and len(text) == 6:
        return f"{text[:2]}/{text[2:]}"
    return text


def show_date(value: Any) -> str:
    """A stored partial date the way paper writes it: "1980-08-12" -> "12/08/1980", "1980-08" -> "08/1980"."""
    if not value:
        return ""
    return "/".join(reversed(str(value).split("-")))


def get(data: Any, path: str) -> Any:
    node = data
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


@dataclass
class Widget:
    """One field of a rendered form: where it is, what it shows, what went wrong."""

    field: Field
    path: str
    value: str
    options: list[Choice] = field(default_factory=list)
    lunar: bool = False
    leap: bool = False
    errors: list[str] = field(default_factory=list)
    #: shown but not typed into (where a record is decides whose area it is in)
    readonly: bool = False

    @property
    def id(self) -> str:
        return "f-" + self.path.replace(".", "-")

    @property
    def calendar_path(self) -> str | None:
        return self._sibling(self.field.calendar)

    @property
    def leap_path(self) -> str | None:
        return self._sibling(self.field.leap)

    def _sibling(self, pattern: str | None) -> str | None:
        if pattern is None:
            return None
        index = self.path.split(".")[1] if ".*." in self.field.path else "0"
        return concrete(pattern, int(index))


@dataclass
class Block:
    section: Section
    index: int | None
    widgets: list[Widget]

    @property
    def legend(self) -> str:
        legend = str(self.section.legend)
        return f"{legend} {self.index + 1}" if self.index is not None else legend


def shown(f: Field, data: Any, path: str, units: Sequence[Choice]) -> str:
    """The text a field shows for the stored data (never a code or an ISO date)."""
    value = get(data, path)
    if value is None or value == "":
        return f.default or ""
    if f.kind is Kind.DATE:
        return show_date(value)
    if f.kind in TYPE_AHEAD:
        return label_for(f, value, units)
    return str(value)


def blocks(
    kind: RecordType,
    data: Any,
    units: Sequence[Choice] = (),
    typed: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    skip: Any = None,
) -> list[Block]:
    """The form's blocks for a record's data (typed values win, errors attached by path); members as
    many as the data has, at least one. `skip(field)` leaves fields out (the keying form's book fields)."""
    typed, errors = typed or {}, errors or {}
    out = []
    for section in FORMS[kind]:
        count = max(1, len(get(data, section.repeat) or [])) if section.repeat else None
        for index in range(count) if count else [None]:
            widgets = []
            for f in section.fields:
                if skip and skip(f):
                    continue
                path = concrete(f.path, index) if index is not None else f.path
                w = Widget(f, path, typed.get(path, shown(f, data, path, units)))
                if f.kind in SELECTS:
                    w.options = choices_for(f, units)
                if f.kind is Kind.DATE:
                    w.lunar = _typed_or(typed, w.calendar_path, get(data, w.calendar_path or "")) == LUNAR
                    w.leap = bool(_typed_or(typed, w.leap_path, get(data, w.leap_path or "")))
                w.errors = [m for key in (path, f"data.{path}") for m in errors.get(key, [])]
                widgets.append(w)
            out.append(Block(section, index, widgets))
    return out


def _typed_or(typed: dict[str, str], path: str | None, stored: Any) -> Any:
    if typed and path:
        return typed.get(path) or None
    return stored


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a value (None removes it), creating the objects and list items on the way."""
    *parents, last = path.split(".")
    node: Any = data
    for i, part in enumerate(parents):
        after = parents[i + 1] if i + 1 < len(parents) else last
        if part.isdigit():
            while len(node) <= int(part):
                node.append({})
            node = node[int(part)]
        else:
            node = node.setdefault(part, [] if after.isdigit() else {})
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def _prune(data: Any) -> Any:
    """Objects left empty by cleared fields go (an empty "mother" is no mother at all)."""
    if isinstance(data, dict):
        pruned = {k: _prune(v) for k, v in data.items()}
        return {k: v for k, v in pruned.items() if v not in ({}, None)}
    if isinstance(data, list):
        return [_prune(v) for v in data]
    return data


def apply_typed(
    kind: RecordType, data: dict[str, Any], typed: dict[str, str], units: Sequence[Choice] = ()
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A draft of the data with what was typed in it, and the fields whose text means nothing."""
    draft = copy.deepcopy(data)
    problems: dict[str, list[str]] = {}
    for path, text in typed.items():
        f = field_at(kind, path)
        if f is None or f.on_item or path.endswith(("_calendar", "_leap_month")):
            continue
        text = text.strip()
        if text == shown(f, data, path, units) and get(data, path) is not None:
            value: Any = get(data, path)  # untouched: keep the stored value as it is
        else:
            try:
                value = _stored(f, text, units)
            except ValueError as exc:
                problems[path] = [str(exc)]
                continue
        _put(draft, path, value)
        if f.kind is Kind.DATE:
            _dates_calendar(draft, f, path, typed, value is not None)
    return _prune(draft), problems


def _dates_calendar(draft: dict[str, Any], f: Field, path: str, typed: dict[str, str], dated: bool) -> None:
    w = Widget(f, path, "")
    if w.calendar_path:
        lunar = dated and typed.get(w.calendar_path) == LUNAR
        _put(draft, w.calendar_path, LUNAR if lunar else ("solar" if dated else None))
    if w.leap_path:
        _put(draft, w.leap_path, True if dated and typed.get(w.leap_path) else None)


def _stored(f: Field, text: str, units: Sequence[Choice]) -> Any:
    """What a typed text is stored as; ValueError with a Vietnamese message when it names nothing."""
    if not text:
        return None
    if f.kind is Kind.DATE:
        return expand_digits(text)
    if f.kind in TYPE_AHEAD or f.kind in SELECTS:
        codes = {code for code, _label in choices_for(f, units)}
        return text if text in codes else resolve(f, text, units)
    if f.kind is Kind.NUMBER:
        if not text.isdigit():
            raise ValueError(_("Phải là số nguyên."))
        return int(text)
    return text
