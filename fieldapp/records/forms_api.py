"""The form definition as the phone receives it with its reference data: plain JSON, labels in
Vietnamese and English (the phone switches language offline), the short fixed lists inline."""

from typing import Any

from flask_babel import force_locale

from fieldapp.records.choices import FIXED
from fieldapp.records.forms import FORMS, Field, Kind, Section


def _text(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    with force_locale("en"):
        english = str(value)
    with force_locale("vi"):
        return {"vi": str(value), "en": english}


def _field(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"path": f.path, "label": _text(f.label), "kind": str(f.kind)}
    optional = {
        "required": f.required,
        "help": _text(f.help),
        "calendar": f.calendar,
        "leap": f.leap,
        "on_item": f.on_item,
    }
    out.update({k: v for k, v in optional.items() if v})
    if f.kind is Kind.CHOICE:
        out["choices"] = [[code, _text(label)] for code, label in FIXED[f.choices or ""]]
    return out


def _section(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {"legend": _text(section.legend), "fields": [_field(f) for f in section.fields]}
    if section.repeat:
        out["repeat"] = section.repeat
    if section.folded:
        out["folded"] = True
    return out


def forms_json() -> dict[str, list[dict[str, Any]]]:
    """{"household": [section, ...], "birth": [...], ...} in the order of the paper forms."""
    return {kind.value: [_section(s) for s in sections] for kind, sections in FORMS.items()}
