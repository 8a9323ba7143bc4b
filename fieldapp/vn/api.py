"""Reference data for devices: administrative units, ethnic groups, nationalities, relationships."""

from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from fieldapp.accounts.auth import api_user, require_device_token
from fieldapp.apiparsing import Blueprint
from fieldapp.extensions import db
from fieldapp.vn.ethnic import ETHNICITIES
from fieldapp.vn.models import AdminUnit
from fieldapp.vn.nationality import NATIONALITIES
from fieldapp.vn.relationships import RELATIONSHIPS

blp = Blueprint("units", __name__, url_prefix="/api/v1", description="Reference data")
blp.before_request(require_device_token)


class UnitQuerySchema(Schema):
    parent = fields.String(validate=validate.Regexp(r"^[0-9]{2}$"), metadata={"description": "Province code"})


class UnitSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    unit_type = fields.String()
    province_code = fields.String(allow_none=True)


class UnitListSchema(Schema):
    units = fields.List(fields.Nested(UnitSchema))


class CodeNameSchema(Schema):
    code = fields.String()
    name = fields.String()


class EthnicitySchema(CodeNameSchema):
    name_en = fields.String(metadata={"description": "English name"})


class ReferenceSchema(Schema):
    communes = fields.List(fields.Nested(UnitSchema), metadata={"description": "The caller's communes"})
    ethnic_groups = fields.List(
        fields.Nested(EthnicitySchema),
        metadata={"description": "The 54 groups (01-54), then 55 foreign national and 00 not known"},
    )
    nationalities = fields.List(fields.Nested(CodeNameSchema))
    relationships = fields.List(fields.Nested(CodeNameSchema))


@blp.get("/units")
@blp.arguments(UnitQuerySchema, location="query")
@blp.response(200, UnitListSchema)
def list_units(query: dict[str, Any]) -> dict[str, Any]:
    """Provinces, or the communes of the province given as `parent`."""
    statement = select(AdminUnit).order_by(AdminUnit.code)
    if query.get("parent"):
        statement = statement.where(AdminUnit.province_code == query["parent"])
    else:
        statement = statement.where(AdminUnit.level == "province")
    return {"units": list(db.session.scalars(statement))}


@blp.get("/reference")
@blp.response(200, ReferenceSchema)
def reference_data() -> dict[str, Any]:
    """Everything a phone keeps for offline forms, for the caller's area."""
    user = api_user()
    communes = select(AdminUnit).where(AdminUnit.level == "commune").order_by(AdminUnit.name_folded)
    if user.area_code and len(user.area_code) == 2:
        communes = communes.where(AdminUnit.province_code == user.area_code)
    elif user.area_code:
        communes = communes.where(AdminUnit.code == user.area_code)
    return {
        "communes": list(db.session.scalars(communes)),
        "ethnic_groups": [{"code": c, "name": vi, "name_en": en} for c, (vi, en) in ETHNICITIES.items()],
        "nationalities": [{"code": c, "name": n} for c, n in NATIONALITIES],
        "relationships": [{"code": c, "name": n} for c, n in RELATIONSHIPS.items()],
    }
