"""The shape of a record's data, per type, in the order of the paper forms."""

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from fieldapp.records.models import RecordType
from fieldapp.vn.dates import DateRuleError, parse_partial_date
from fieldapp.vn.ethnic import ETHNICITIES
from fieldapp.vn.fields import Digits, VnText
from fieldapp.vn.nationality import is_nationality
from fieldapp.vn.personal_id import check_personal_id
from fieldapp.vn.relationships import RELATIONSHIPS

CALENDARS = ("solar", "lunar")
SEXES = ("male", "female")
#: a household member's status; "present" is what a missing status means, so it is never stored
MEMBER_STATUSES = ("present", "moved", "died")
DOOR_DECISIONS = ("new", "existing")
#: record ids a worker was shown at the door, at most
DOOR_MATCHES_MAX = 20
COMMUNE_CODE = validate.Regexp(r"^[0-9]{5}$", error=_l("Mã xã gồm 5 chữ số."))
PARTIAL_DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD; solar unless the calendar field says lunar"


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


def _nationality(value: str) -> None:
    if not is_nationality(value):
        raise ValidationError(_l("Quốc tịch phải là mã quốc gia 2 chữ cái (ví dụ VN)."))


def _partial_date(data: dict[str, Any], key: str, calendar_key: str, leap_key: str) -> Any:
    """Parse one partial date of a loaded dict in place; a DateRuleError names the field."""
    value = data.get(key)
    if value is None:
        return None
    try:
        parsed = parse_partial_date(value, data.get(calendar_key, "solar"), data.get(leap_key, False))
    except DateRuleError as exc:
        raise ValidationError(str(exc), key) from exc
    data[key] = parsed.isoformat()
    return parsed


class PersonSchema(StrictSchema):
    """A person as the paper forms describe one."""

    full_name = VnText(required=True, validate=validate.Length(min=1, max=120))
    sex = fields.String(required=True, validate=validate.OneOf(SEXES))
    date_of_birth = fields.String(required=True, metadata={"description": PARTIAL_DATE_HELP})
    dob_calendar = fields.String(load_default="solar", validate=validate.OneOf(CALENDARS))
    dob_leap_month = fields.Boolean(load_default=False)
    ethnicity = fields.String(required=True, validate=validate.OneOf(list(ETHNICITIES)))
    nationality = fields.String(load_default="VN", validate=_nationality)
    personal_id = Digits(metadata={"description": "12 digits, or an old 9-digit ID card number"})

    @post_load
    def _apply_rules(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        birth = _birth_and_id(data)
        if birth is not None and birth.calendar == "lunar" and birth.solar() is not None:
            data["dob_solar"] = birth.solar().isoformat()
        if not data.get("dob_leap_month"):
            data.pop("dob_leap_month", None)
        return data


def _birth_and_id(data: dict[str, Any]) -> Any:
    """Check the birth date and the personal ID together: one answer names every problem of both
    (the phone's validate.js does the same). Returns the parsed birth date, if any."""
    errors: dict[str, list[str]] = {}
    birth = None
    try:
        birth = _partial_date(data, "date_of_birth", "dob_calendar", "dob_leap_month")
    except ValidationError as exc:
        errors.update(exc.normalized_messages())
    try:
        _check_id(data, birth.solar_years() if birth else ())
    except ValidationError as exc:
        for field, messages in exc.normalized_messages().items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return birth


def _check_id(data: dict[str, Any], birth_years: tuple[int, ...]) -> None:
    if not data.get("personal_id"):
        data.pop("personal_id", None)
        return
    problems = check_personal_id(data["personal_id"], sex=data.get("sex"), birth_years=birth_years)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        if problem.severity == "error":
            errors.setdefault(problem.field, []).append(str(problem.message))
    if errors:
        raise ValidationError(errors)


class MemberSchema(PersonSchema):
    relationship = fields.String(required=True, validate=validate.OneOf(list(RELATIONSHIPS)))
    status = fields.String(
        validate=validate.OneOf(MEMBER_STATUSES),
        metadata={"description": "present (the default, never stored), moved away, or died"},
    )

    @post_load
    def _present_by_default(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if data.get("status") == "present":
            del data["status"]
        return data


class ParentSchema(StrictSchema):
    """A parent on a birth record: the paper form asks less of them than of the child."""

    full_name = VnText(required=True, validate=validate.Length(min=1, max=120))
    date_of_birth = fields.String(metadata={"description": PARTIAL_DATE_HELP})
    dob_calendar = fields.String(load_default="solar", validate=validate.OneOf(CALENDARS))
    ethnicity = fields.String(validate=validate.OneOf(list(ETHNICITIES)))
    nationality = fields.String(load_default="VN", validate=_nationality)
    personal_id = Digits(metadata={"description": "12 digits, or an old 9-digit ID card number"})
    residence = VnText(validate=validate.Length(max=255))

    @post_load
    def _apply_rules(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        _birth_and_id(data)
        return data


class RegisterEntrySchema(StrictSchema):
    """Where the event stands in the commune's paper register book, when it was registered."""

    book_number = VnText(validate=validate.Length(max=40))
    book_year = fields.Integer(validate=validate.Range(min=1850, max=2100))
    page = fields.Integer(validate=validate.Range(min=1, max=10000))
    entry_number = VnText(validate=validate.Length(max=40))
    registered_on = fields.String(metadata={"description": PARTIAL_DATE_HELP})
    #: where the event was registered (the commune's people's committee, as the book writes it)
    place = VnText(validate=validate.Length(max=255))
    #: the official who signed the entry
    official = VnText(validate=validate.Length(max=120))

    @post_load
    def _apply_rules(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        _partial_date(data, "registered_on", "_", "_")
        return data


class RecordId(fields.UUID):
    """A record's UUID, stored as its lower-case canonical text."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return str(super()._deserialize(value, attr, data, **kwargs))


class DoorCheckSchema(StrictSchema):
    """What the phone showed before a new record was saved: the possible duplicates, and the choice."""

    matches = fields.List(
        RecordId(),
        load_default=list,
        validate=validate.Length(max=DOOR_MATCHES_MAX),
        metadata={"description": "ids of the records shown to the worker as possible duplicates"},
    )
    decision = fields.String(required=True, validate=validate.OneOf(DOOR_DECISIONS))
    chosen = RecordId(metadata={"description": "the record the worker opened instead (decision existing)"})

    @post_load
    def _chosen_with_existing(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["matches"] = list(dict.fromkeys(data["matches"]))
        if data["decision"] == "existing" and not data.get("chosen"):
            raise ValidationError(_l("Hãy cho biết hồ sơ đã có được chọn."), "chosen")
        if data["decision"] == "new":
            data.pop("chosen", None)
        if not data["matches"]:
            del data["matches"]
        return data


class PlaceSchema(StrictSchema):
    commune_code = fields.String(required=True, validate=COMMUNE_CODE)
    village = VnText(required=True, validate=validate.Length(min=1, max=120))
    door_check = fields.Nested(DoorCheckSchema)


class FollowUpSchema(PlaceSchema):
    """An event of a member of a known household names it."""

    household_id = RecordId(metadata={"description": "the household record this event follows up"})


class HouseholdDataSchema(PlaceSchema):
    address = VnText(validate=validate.Length(max=255))
    members = fields.List(fields.Nested(MemberSchema), required=True, validate=validate.Length(min=1, max=40))

    @post_load
    def _one_head(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        heads = [m for m in data["members"] if m["relationship"] == "head"]
        if len(heads) != 1:
            raise ValidationError(_l("Hộ phải có đúng một chủ hộ."), "members")
        return data


class BirthDataSchema(FollowUpSchema):
    child = fields.Nested(PersonSchema, required=True)
    place_of_birth = VnText(validate=validate.Length(max=255))
    mother = fields.Nested(ParentSchema)
    father = fields.Nested(ParentSchema)
    register = fields.Nested(RegisterEntrySchema)


class DeathDataSchema(FollowUpSchema):
    deceased = fields.Nested(PersonSchema, required=True)
    date_of_death = fields.String(required=True, metadata={"description": PARTIAL_DATE_HELP})
    dod_calendar = fields.String(load_default="solar", validate=validate.OneOf(CALENDARS))
    dod_leap_month = fields.Boolean(load_default=False)
    place_of_death = VnText(validate=validate.Length(max=255))
    cause_of_death = VnText(validate=validate.Length(max=255))
    register = fields.Nested(RegisterEntrySchema)

    @post_load
    def _death_after_birth(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        death = _partial_date(data, "date_of_death", "dod_calendar", "dod_leap_month")
        born = data["deceased"].get("dob_solar") or data["deceased"]["date_of_birth"]
        died = death.solar().isoformat() if death.solar() else data["date_of_death"]
        if died[: len(born)] < born[: len(died)]:
            raise ValidationError(_l("Ngày mất không thể trước ngày sinh."), "date_of_death")
        if not data.get("dod_leap_month"):
            data.pop("dod_leap_month", None)
        return data


class SpouseSchema(PersonSchema):
    sex = fields.String(validate=validate.OneOf(SEXES))


class MarriageDataSchema(FollowUpSchema):
    husband = fields.Nested(SpouseSchema, required=True)
    wife = fields.Nested(SpouseSchema, required=True)
    marriage_date = fields.String(metadata={"description": PARTIAL_DATE_HELP})
    register = fields.Nested(RegisterEntrySchema)

    @post_load
    def _spouses(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["husband"].setdefault("sex", "male")
        data["wife"].setdefault("sex", "female")
        _partial_date(data, "marriage_date", "_", "_")
        return data


DATA_SCHEMAS: dict[RecordType, type[Schema]] = {
    RecordType.HOUSEHOLD: HouseholdDataSchema,
    RecordType.BIRTH: BirthDataSchema,
    RecordType.DEATH: DeathDataSchema,
    RecordType.MARRIAGE: MarriageDataSchema,
}
_DATA_SCHEMA_INSTANCES = {kind: schema() for kind, schema in DATA_SCHEMAS.items()}


def load_record_data(kind: RecordType, data: Any) -> dict[str, Any]:
    """Validate and normalize a record's data for its type; raises ValidationError keyed by field."""
    return _DATA_SCHEMA_INSTANCES[kind].load(data)
