"""Shapes of the review API and of the office forms."""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from fieldapp.records.documents import DOCUMENT_KINDS
from fieldapp.records.schemas import StrictSchema
from fieldapp.review.services import REVIEW_ACTIONS
from fieldapp.vn.fields import VnText


class ReviewActionSchema(StrictSchema):
    action = fields.String(
        required=True,
        validate=validate.OneOf([a.value for a in REVIEW_ACTIONS], error=_l("Thao tác không hợp lệ.")),
    )
    comment = fields.String(
        validate=validate.Length(max=2000),
        metadata={"description": "Required for return and reject; goes to the collector's phone"},
    )
    registration_number = fields.String(
        validate=validate.Length(max=64), metadata={"description": "Required for transfer"}
    )
    registration_date = fields.Date(metadata={"description": "Required for transfer"})
    documents = fields.List(
        fields.String(validate=validate.OneOf(list(DOCUMENT_KINDS), error=_l("Loại giấy tờ không hợp lệ."))),
        validate=validate.Length(max=len(DOCUMENT_KINDS)),
        metadata={
            "description": "For return: the kinds of document the household must bring, shown on the public "
            "status page (the comment never is): " + ", ".join(DOCUMENT_KINDS)
        },
    )
    version = fields.Integer(
        validate=validate.Range(min=1),
        metadata={"description": "The version the clerk saw; a stale one is answered 409"},
    )


class ReviewResultSchema(Schema):
    id = fields.String()
    state = fields.Function(lambda r: r.state.value)
    version = fields.Integer()


class BookSchema(Schema):
    """A paper register book entered in the inventory (office form)."""

    commune_code = fields.String(load_default="", validate=validate.Regexp(r"^([0-9]{5})?$"))
    type = fields.String(required=True, validate=validate.OneOf(["birth", "death", "marriage"]))
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2100))
    book_number = VnText(required=True, validate=validate.Length(min=1, max=40))
    entries_total = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100000))
    pages_total = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=10000)
    )
    note = VnText(load_default="", validate=validate.Length(max=255))
