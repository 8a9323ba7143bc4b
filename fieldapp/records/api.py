"""GET /api/v1/records and /api/v1/records/<id>, scoped to what the caller may see."""

from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from fieldapp.accounts.auth import api_user, require_device_token
from fieldapp.apiparsing import Blueprint
from fieldapp.extensions import db
from fieldapp.records.models import Record, RecordType
from fieldapp.records.search import RecordFilter, apply_filter, visible_records
from fieldapp.records.states import State
from fieldapp.timeutil import isoformat_utc

blp = Blueprint("records", __name__, url_prefix="/api/v1/records", description="Records")
blp.before_request(require_device_token)


#: `next` of a page: "received_at|id" (see list_records)
CURSOR_PATTERN = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) "
    r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{6})?"
    r"\|[0-9a-f-]{36}$"
)


class RecordQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    state = fields.String(validate=validate.OneOf([s.value for s in State]))
    type = fields.String(validate=validate.OneOf([t.value for t in RecordType]))
    commune = fields.String(validate=validate.Regexp(r"^[0-9]{5}$"))
    before = fields.String(
        validate=validate.Regexp(CURSOR_PATTERN),
        metadata={"description": "Cursor of the next page, as `next` returned it"},
    )


class RecordSchema(Schema):
    id = fields.String()
    type = fields.Function(lambda r: r.type.value)
    state = fields.Function(lambda r: r.state.value)
    version = fields.Integer()
    commune_code = fields.String()
    village = fields.String()
    subject_name = fields.String()
    receipt_code = fields.String(allow_none=True)
    captured_at = fields.Function(lambda r: isoformat_utc(r.captured_at))
    received_at = fields.Function(lambda r: isoformat_utc(r.received_at))
    review_comment = fields.String(allow_none=True)
    registration_number = fields.String(allow_none=True)
    registration_date = fields.Date(allow_none=True)
    data = fields.Dict()


class RecordPageSchema(Schema):
    records = fields.List(fields.Nested(RecordSchema))
    next = fields.String(allow_none=True)


@blp.get("")
@blp.arguments(RecordQuerySchema, location="query")
@blp.response(200, RecordPageSchema)
@blp.alt_response(400, description="Malformed page cursor")
def list_records(query: dict[str, Any]) -> dict[str, Any]:
    wanted = RecordFilter(
        q=query["q"], state=query.get("state"), type=query.get("type"), commune=query.get("commune")
    )
    statement = apply_filter(visible_records(api_user()), wanted)
    if query.get("before"):
        received, record_id = _parse_cursor(query["before"])
        statement = statement.where(
            (Record.received_at < received) | ((Record.received_at == received) & (Record.id < record_id))
        )
    size = current_app.config["API_PAGE_SIZE"]
    rows = list(
        db.session.scalars(statement.order_by(Record.received_at.desc(), Record.id.desc()).limit(size + 1))
    )
    more = len(rows) > size
    rows = rows[:size]
    cursor = f"{rows[-1].received_at.isoformat(sep=' ')}|{rows[-1].id}" if more else None
    return {"records": rows, "next": cursor}


@blp.get("/<record_id>")
@blp.response(200, RecordSchema)
def get_record(record_id: str) -> Record:
    record = db.session.scalar(visible_records(api_user()).where(Record.id == record_id))
    if record is None:
        abort(404)
    return record


def _parse_cursor(cursor: str) -> tuple[datetime, str]:
    received, _sep, record_id = cursor.partition("|")
    try:
        return datetime.fromisoformat(received), record_id
    except ValueError:
        abort(400, message=_("Con trỏ trang không hợp lệ."))
        raise
