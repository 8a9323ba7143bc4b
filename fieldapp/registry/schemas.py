"""The registry feed's shape: these schemas validate the query and document the answer (OpenAPI).

The answer is written by services.feed_page in the same shape, straight to compact JSON: a key with
nothing to say (null, false, an empty list) is left out to keep the bytes down on 2G.
"""

from marshmallow import Schema, fields, validate

from fieldapp.records.schemas import MEMBER_STATUSES
from fieldapp.records.states import State

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000


class RegistryQuerySchema(Schema):
    cursor = fields.String(
        load_default="0",
        validate=validate.Regexp(r"^[0-9]{1,18}$"),
        metadata={"description": "Opaque; the `cursor` of the last page stored, or 0 for a full download"},
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": "Households per page"},
    )


class RegistryMemberSchema(Schema):
    name = fields.String(required=True)
    sex = fields.String(metadata={"description": "male or female"})
    dob = fields.String(metadata={"description": "Date of birth: YYYY, YYYY-MM or YYYY-MM-DD"})
    cal = fields.String(metadata={"description": "lunar when the date of birth is a lunar date"})
    leap = fields.Boolean(metadata={"description": "true when that lunar month is a leap month"})
    pid = fields.String(metadata={"description": "Personal ID number"})
    eth = fields.String(metadata={"description": "Ethnic group code"})
    nat = fields.String(metadata={"description": "Nationality (ISO 3166 alpha-2), absent for Việt Nam"})
    rel = fields.String(metadata={"description": "Relationship to the head (head, spouse, child, ...)"})
    status = fields.String(
        validate=validate.OneOf(MEMBER_STATUSES), metadata={"description": "moved or died; absent: present"}
    )


class RegistryEventSchema(Schema):
    id = fields.String(required=True)
    type = fields.String(validate=validate.OneOf(["birth", "death", "marriage"]))
    state = fields.String(validate=validate.OneOf([s.value for s in State]))
    name = fields.String(metadata={"description": "The child, the deceased, or husband & wife"})
    date = fields.String(metadata={"description": "Birth, death or marriage date (partial dates allowed)"})
    cal = fields.String(metadata={"description": "lunar when that date is a lunar date"})


class RegistryHouseholdSchema(Schema):
    id = fields.String(required=True, metadata={"description": "The household record's UUID"})
    gone = fields.Boolean(
        metadata={"description": "true: no longer in the caller's area (moved, rejected, merged); drop it"}
    )
    version = fields.Integer(metadata={"description": "base_version for a household update"})
    state = fields.String(validate=validate.OneOf([s.value for s in State]))
    commune_code = fields.String(metadata={"description": "The commune the household lives in"})
    village = fields.String()
    address = fields.String()
    receipt_code = fields.String()
    mine = fields.Boolean(metadata={"description": "true when the caller collected it; absent otherwise"})
    editable = fields.Boolean(
        metadata={"description": "true when the caller may push a new version; absent: read-only"}
    )
    members = fields.List(fields.Nested(RegistryMemberSchema))
    events = fields.List(fields.Nested(RegistryEventSchema))


class RegistryPageSchema(Schema):
    households = fields.List(fields.Nested(RegistryHouseholdSchema), required=True)
    cursor = fields.String(
        required=True, metadata={"description": "Store it with this page; ask the next page from it"}
    )
    more = fields.Boolean(required=True, metadata={"description": "true: ask again from `cursor` now"})
    total = fields.Integer(metadata={"description": "Households in the caller's area (first page only)"})
    reset = fields.Boolean(
        metadata={
            "description": "true: the cursor sent is unknown (the server was restored from a backup); this "
            "is the first page of a full download: replace the stored registry when it ends"
        }
    )
