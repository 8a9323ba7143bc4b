"""marshmallow fields that apply Vietnam's data rules as data comes in."""

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields

from fieldapp.vn.text import normalize_text


class VnText(fields.String):
    """Text stored NFC with whitespace collapsed; NFD input and stray spaces are normalized."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = normalize_text(super()._deserialize(value, attr, data, **kwargs))
        if self.required and not text:
            raise ValidationError(_l("Bắt buộc nhập."))
        return text


class Digits(fields.String):
    """A number written as digits (personal ID, commune code); spaces and dots people type are dropped."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        return "".join(ch for ch in text if ch not in " .-\u00a0")
