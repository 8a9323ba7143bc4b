"""The device contract: push, pull and login payloads. These schemas validate AND document the API."""

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from fieldapp.errors import flatten_errors
from fieldapp.records.models import RecordType
from fieldapp.records.schemas import StrictSchema, load_record_data
from fieldapp.timeutil import to_utc_naive

SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error=_l("Mã băm SHA-256 gồm 64 ký tự hex thường."))
RESULT_STATUSES = ("created", "duplicate", "updated", "conflict", "invalid")


@dataclass
class InvalidItem:
    """A record of a batch that failed validation; the rest of the batch goes on without it."""

    id: str | None
    errors: dict[str, list[str]]


class RecordData(fields.Dict):
    """The record's data; its shape depends on `type` (documented as oneOf the four data schemas)."""


class RecordItemSchema(StrictSchema):
    id = fields.UUID(
        required=True, metadata={"description": "Generated on the device; the record's identity"}
    )
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in RecordType]))
    captured_at = fields.AwareDateTime(required=True, default_timezone=None)
    base_version = fields.Integer(
        validate=validate.Range(min=1),
        metadata={"description": "For an update: the version the device edited"},
    )
    receipt_code = fields.String(
        validate=validate.Length(max=16), metadata={"description": "A code from this device's pool"}
    )
    attachments = fields.List(fields.String(validate=SHA256), validate=validate.Length(max=30))
    data = RecordData(
        required=True,
        metadata={
            "oneOf": [
                {"$ref": "#/components/schemas/HouseholdData"},
                {"$ref": "#/components/schemas/BirthData"},
                {"$ref": "#/components/schemas/DeathData"},
                {"$ref": "#/components/schemas/MarriageData"},
            ]
        },
    )

    @post_load
    def _load_data(self, item: dict[str, Any], **_: Any) -> dict[str, Any]:
        item["id"] = str(item["id"])
        item["type"] = RecordType(item["type"])
        item["captured_at"] = to_utc_naive(item["captured_at"])
        try:
            item["data"] = load_record_data(item["type"], item["data"])
        except ValidationError as exc:
            raise ValidationError({"data": exc.messages}) from exc
        if item.get("receipt_code"):
            item["receipt_code"] = item["receipt_code"].strip().upper().replace("-", "")
        return item


class PerItemList(fields.List):
    """Loads each item on its own: a bad one becomes an InvalidItem instead of failing the batch."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        if not isinstance(value, list):
            raise self.make_error("invalid")
        items: list[Any] = []
        for raw in value:
            try:
                items.append(self.inner.deserialize(raw, **kwargs))
            except ValidationError as exc:
                items.append(InvalidItem(_raw_id(raw), flatten_errors(exc.messages)))
        return items


def _raw_id(raw: Any) -> str | None:
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and len(value) <= 64 else None


class PushRequestSchema(Schema):
    records = PerItemList(fields.Nested(RecordItemSchema), required=True)

    @pre_load
    def _limit_batch(self, payload: Any, **kwargs: Any) -> Any:
        limit = current_app.config["PUSH_MAX_RECORDS"]
        records = payload.get("records") if isinstance(payload, dict) else None
        if isinstance(records, list) and len(records) > limit:
            abort(413, message=_("Mỗi lần gửi tối đa %(n)s hồ sơ; hãy chia nhỏ.", n=limit))
        return payload


class PushResultSchema(Schema):
    id = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf(RESULT_STATUSES))
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    receipt_code = fields.String()
    version = fields.Integer()
    state = fields.String()


class PushResponseSchema(Schema):
    results = fields.List(fields.Nested(PushResultSchema))


class PullQuerySchema(Schema):
    cursor = fields.String(load_default="0", validate=validate.Regexp(r"^[0-9]{1,18}$"))


class ChangeSchema(Schema):
    id = fields.String()
    type = fields.String()
    state = fields.String()
    version = fields.Integer()
    comment = fields.String(allow_none=True)
    receipt_code = fields.String(allow_none=True)
    #: the person the record is about, so the phone can list it even without its data
    subject_name = fields.String()
    changed_at = fields.String()
    data = fields.Dict(metadata={"description": "Current data, for records returned for correction"})


class PullResponseSchema(Schema):
    changes = fields.List(fields.Nested(ChangeSchema))
    receipt_codes = fields.List(fields.String(), metadata={"description": "This device's unused pool"})
    cursor = fields.String()
    more = fields.Boolean()


def load_push_items(raw_records: list[dict[str, Any]]) -> list[Any]:
    """Run records through the push schema outside a request (office import, demo data)."""
    return PushRequestSchema().load({"records": raw_records})["records"]


def document_record_schemas(spec: Any) -> None:
    """Publish the four data shapes the `data` field refers to (oneOf), and the bearer scheme."""
    from fieldapp.records.schemas import DATA_SCHEMAS

    names = {
        "household": "HouseholdData",
        "birth": "BirthData",
        "death": "DeathData",
        "marriage": "MarriageData",
    }
    for kind, schema in DATA_SCHEMAS.items():
        if names[kind.value] not in spec.components.schemas:
            spec.components.schema(names[kind.value], schema=schema)
    if "bearerAuth" not in spec.components.security_schemes:
        spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
