"""Query strings and forms of the receipt pages (marshmallow): what a print request may ask for."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from fieldapp.receipts.pdf import Format
from fieldapp.receipts.services import ReceiptFilter
from fieldapp.receipts.slips import LOCAL_TIME
from fieldapp.records.models import RecordType
from fieldapp.records.search import RecordFilter
from fieldapp.records.states import State
from fieldapp.vn.fields import Day

RECEIPT_FORMATS = (Format.A5.value, Format.THERMAL.value)
FORMAT_ERROR = _l("Khổ giấy là a5 hoặc thermal.")


def _blank_to_none(data: dict[str, Any]) -> dict[str, Any]:
    """An HTML form sends empty strings for fields left alone."""
    return {key: value for key, value in data.items() if value not in ("", None)}


class ReceiptPdfQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    format = fields.String(
        load_default=Format.A5.value, validate=validate.OneOf(RECEIPT_FORMATS, error=FORMAT_ERROR)
    )


class BatchQuery(Schema):
    """The batch print's filter: the queue's fields, plus the visit dates (Vietnam days, inclusive)."""

    class Meta:
        unknown = EXCLUDE

    commune = fields.String(validate=validate.Regexp(r"^[0-9]{5}$", error=_l("Mã xã gồm 5 chữ số.")))
    village = fields.String(validate=validate.Length(max=120))
    state = fields.String(
        validate=validate.OneOf([s.value for s in State], error=_l("Trạng thái không hợp lệ."))
    )
    type = fields.String(
        validate=validate.OneOf([t.value for t in RecordType], error=_l("Loại hồ sơ không hợp lệ."))
    )
    date_from = Day()
    date_to = Day()
    format = fields.String(
        load_default=Format.A5.value, validate=validate.OneOf(RECEIPT_FORMATS, error=FORMAT_ERROR)
    )

    def load_filter(self, args: Any) -> tuple[ReceiptFilter, Format]:
        loaded = self.load(_blank_to_none(dict(args.items())))
        return loaded["filter"], Format(loaded["format"])

    @validates_schema
    def _dates_in_order(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_l("Ngày bắt đầu phải trước ngày kết thúc."), "date_to")

    @post_load
    def _to_filter(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        wanted = RecordFilter(
            state=data.get("state"),
            type=data.get("type"),
            commune=data.get("commune"),
            village=data.get("village"),
        )
        until = data.get("date_to")
        return {
            "format": data["format"],
            "filter": ReceiptFilter(
                record_filter=wanted,
                captured_from=local_midnight_utc(data["date_from"]) if data.get("date_from") else None,
                captured_before=local_midnight_utc(until + timedelta(days=1)) if until else None,
            ),
        }


def local_midnight_utc(day: date) -> datetime:
    """The start of a Vietnamese day as the naive UTC the database stores."""
    return datetime.combine(day, time(), LOCAL_TIME).astimezone(UTC).replace(tzinfo=None)


class PadForm(Schema):
    class Meta:
        unknown = EXCLUDE

    collector_id = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=2**31 - 1, error=_l("Chọn cán bộ thu thập.")),
        error_messages={"required": _l("Chọn cán bộ thu thập.")},
    )
    size = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=200, error=_l("Số phiếu từ %(min)s đến %(max)s.")),
    )
