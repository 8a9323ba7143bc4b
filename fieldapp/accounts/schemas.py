"""Login payloads of the API."""

from marshmallow import Schema, fields, validate

from fieldapp.records.schemas import StrictSchema


class TokenRequestSchema(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256), load_only=True)
    device_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    previous_device_id = fields.Integer(
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "The device this phone held before: renewed, or its key released"},
    )


class AreaSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.Function(lambda user: user.role.value)
    locale = fields.String(allow_none=True)
    area = fields.Method("_area", allow_none=True)

    def _area(self, user) -> dict | None:  # type: ignore[no-untyped-def]
        unit = user.area
        return None if unit is None else {"code": unit.code, "name": unit.name, "level": unit.level}


class LockSettingsSchema(Schema):
    lock_minutes = fields.Integer(metadata={"description": "Lock the app after this many idle minutes"})
    pin_tries = fields.Integer(metadata={"description": "Wrong PINs before a password login is needed"})
    renew_warning_days = fields.Integer(metadata={"description": "Warn this many days before expires_at"})


class TokenResponseSchema(Schema):
    token = fields.String()
    device_id = fields.Integer()
    expires_at = fields.String(metadata={"description": "Absolute end of this token (UTC)"})
    device_key = fields.String(metadata={"description": "This device's key (base64url): wraps the data key"})
    previous_device_key = fields.String(
        metadata={"description": "The key of previous_device_id when it was revoked (same user only)"}
    )
    settings = fields.Nested(LockSettingsSchema)
    user = fields.Nested(UserSchema)
