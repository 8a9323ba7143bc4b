"""marshmallow fields that apply Vietnam's data rules as data comes in."""

import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields

from fieldapp.vn.dates import DateRuleError, parse_day
from fieldapp.vn.text import drop_separators, normalize_text


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
        return drop_separators(text)


class Day(fields.Field):
    """A whole day typed as people write it (15/03/2024, 15032024; 2024-03-15 from links): see
    :func:`fieldapp.vn.dates.parse_day`. A day that does not exist gets the Vietnamese reason."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime.date:
        if isinstance(value, datetime.date):
            return value
        if not isinstance(value, str):
            raise ValidationError(_l("Ngày phải ghi dạng ngày/tháng/năm, ví dụ 15/03/2024"))
        try:
            return parse_day(value)
        except DateRuleError as exc:
            raise ValidationError(str(exc)) from exc

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return value.isoformat() if value else None
