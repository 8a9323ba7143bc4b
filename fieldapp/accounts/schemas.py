"""Login payloads of the API."""

from marshmallow import Schema, fields, validate

from fieldapp.records.schemas import StrictSchema


class TokenRequestSchema(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256), load_only=True)
    device_name = fields.String(required=True, validate=validate.Length(min=1, max=120))


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


class TokenResponseSchema(Schema):
    token = fields.String()
    device_id = fields.Integer()
    expires_at = fields.String()
    user = fields.Nested(UserSchema)
