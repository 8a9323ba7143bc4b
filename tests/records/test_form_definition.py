"""The one form definition: every path it names is in the schema, every field the schema requires is in
the form, and names typed without diacritics resolve to the reference data's codes."""

import pytest
from marshmallow import Schema, fields

from fieldapp.records.choices import matches, resolve
from fieldapp.records.forms import EACH, FORMS, Kind, fields_of, label_of, pattern
from fieldapp.records.formvalues import apply_typed, expand_digits, show_date
from fieldapp.records.models import RecordType
from fieldapp.records.schemas import DATA_SCHEMAS
from fieldapp.sync.schemas import RecordItemSchema
from fieldapp.vn.ethnic import ETHNIC_GROUPS

KINDS = list(RecordType)
SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # messages need a request, not a db


@pytest.fixture
def request_ctx(app):
    with app.test_request_context():
        yield


def schema_field(schema: Schema, path: str) -> fields.Field | None:
    """The marshmallow field at a dotted path ("members.*.full_name"), through Nested and List."""
    node: object = schema
    for part in path.split("."):
        if isinstance(node, fields.List):
            if part != EACH:
                return None
            node = node.inner
            continue
        if isinstance(node, fields.Nested):
            node = node.schema
        if not isinstance(node, Schema) or part not in node.fields:
            return None
        node = node.fields[part]
    return node  # type: ignore[return-value]


def required_paths(schema: Schema, prefix: str = "") -> list[str]:
    out = []
    for name, f in schema.fields.items():
        if not f.required:
            continue
        path = f"{prefix}{name}"
        if isinstance(f, fields.Nested):
            out += required_paths(f.schema, path + ".")
        elif isinstance(f, fields.List) and isinstance(f.inner, fields.Nested):
            out += required_paths(f.inner.schema, f"{path}.{EACH}.")
        else:
            out.append(path)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_every_path_of_the_form_is_in_its_schema(kind):
    schema = DATA_SCHEMAS[kind]()
    for f in fields_of(kind):
        if f.on_item:
            assert f.path in RecordItemSchema().fields
            continue
        for path in filter(None, (f.path, f.calendar, f.leap)):
            assert schema_field(schema, path) is not None, f"{kind}: {path} is not in {type(schema).__name__}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_the_schema_requires_is_in_the_form(kind):
    in_form = {f.path for f in fields_of(kind)}
    for path in required_paths(DATA_SCHEMAS[kind]()):
        assert path in in_form, f"{kind}: the schema requires {path} but the form does not ask for it"
        assert next(f for f in fields_of(kind) if f.path == path).required


def test_labels_are_vietnamese_and_name_the_block():
    assert label_of(RecordType.HOUSEHOLD, "members.1.full_name") == "Thành viên 2 · Họ, chữ đệm và tên"
    assert label_of(RecordType.BIRTH, "mother.date_of_birth") == "Ngày, tháng, năm sinh (Mẹ)"
    assert label_of(RecordType.BIRTH, "register.official") == "Người ký (cán bộ đăng ký)"
    assert pattern("members.12.sex") == "members.*.sex"


def test_each_record_type_has_a_form_in_paper_order():
    assert set(FORMS) == set(RecordType)
    birth = [f.path for f in fields_of(RecordType.BIRTH)]
    assert (
        birth.index("register.registered_on")
        < birth.index("child.full_name")
        < birth.index("mother.full_name")
    )
    assert {f.path for f in fields_of(RecordType.BIRTH) if f.carry} == {
        "village",
        "register.registered_on",
        "register.place",
        "register.official",
    }


@SQLITE
@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("thai", "03"),
        ("Thái", "03"),
        ("hmong", "08"),
        ("mong", "08"),
        ("03", "03"),
        ("kinh", "01"),
        ("EDE", "12"),
    ],
)
def test_ethnic_group_typed_without_diacritics_or_by_code(request_ctx, typed, code):
    ethnicity = next(f for f in fields_of(RecordType.BIRTH) if f.path == "child.ethnicity")
    assert resolve(ethnicity, typed) == code


@SQLITE
def test_an_unknown_or_ambiguous_name_is_refused_in_words(request_ctx):
    ethnicity = next(f for f in fields_of(RecordType.BIRTH) if f.path == "child.ethnicity")
    with pytest.raises(ValueError, match="Không có “xyz” trong danh mục Dân tộc"):
        resolve(ethnicity, "xyz")
    with pytest.raises(ValueError, match=r"có thể là: .*La Chí.*La Ha"):
        resolve(ethnicity, "la")
    assert [c for c, _ in matches(list(ETHNIC_GROUPS.items()), "mu")][:2] == ["06", "29"]  # Mường, Khơ-mú
    with pytest.raises(ValueError, match="Mường, Khơ-mú"):
        resolve(ethnicity, "mu")


@SQLITE
def test_nationality_and_relationship_choices_come_from_the_reference_data(request_ctx):
    nationality = next(f for f in fields_of(RecordType.BIRTH) if f.path == "child.nationality")
    assert resolve(nationality, "lao") == "LA"
    assert resolve(nationality, "han quoc") == "KR"
    relationship = next(f for f in fields_of(RecordType.HOUSEHOLD) if f.kind is Kind.RELATIONSHIP)
    assert resolve(relationship, "chu ho") == "head"


def test_dates_typed_as_digits():
    assert expand_digits("12081980") == "12/08/1980"
    assert expand_digits("081980") == "08/1980"
    assert expand_digits("1980") == "1980"
    assert expand_digits(" 12/8/1980 ") == "12/8/1980"
    assert show_date("1980-08-12") == "12/08/1980" and show_date("1980-08") == "08/1980"


@SQLITE
def test_typed_values_become_data_in_the_schema_shape(request_ctx):
    typed = {
        "child.full_name": "Lò Thị Ún",
        "child.date_of_birth": "12081980",
        "child.ethnicity": "thai",
        "mother.date_of_birth": "15081962",
        "mother.dob_calendar": "lunar",
        "father.full_name": "",
    }
    data, problems = apply_typed(RecordType.BIRTH, {}, typed)
    assert problems == {}
    assert data == {
        "child": {
            "full_name": "Lò Thị Ún",
            "date_of_birth": "12/08/1980",
            "ethnicity": "03",
            "dob_calendar": "solar",
        },
        "mother": {"date_of_birth": "15/08/1962", "dob_calendar": "lunar"},
    }
    _, problems = apply_typed(RecordType.BIRTH, {}, {"child.ethnicity": "xyz"})
    assert list(problems) == ["child.ethnicity"]
