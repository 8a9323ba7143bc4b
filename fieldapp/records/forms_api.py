"""GET /api/v1/forms: the form definition as the phone fetches it with its reference data after login
and keeps offline: plain JSON, labels in Vietnamese and English (the phone switches language offline),
the short fixed lists inline; the long lists are the reference data's."""

from typing import Any

from flask_babel import force_locale
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from fieldapp.accounts.auth import require_device_token
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
        "default": f.default,
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


blp = Blueprint("forms", __name__, url_prefix="/api/v1", description="Form definitions")
blp.before_request(require_device_token)


class FormsSchema(Schema):
    forms = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Dict()),
        metadata={"description": "Per record type, its sections in the order of the paper form"},
    )


@blp.get("/forms")
@blp.response(200, FormsSchema)
def forms() -> dict[str, Any]:
    """Every record type's form (fieldapp/records/forms.py), for the phone to render offline."""
    return {"forms": forms_json()}
