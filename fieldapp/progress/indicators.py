"""Registration indicators from the collected data, per area and year, each with its definition.

Households give the population (their members, as listed at the visit, are alive); birth, death and
marriage records give the registered events. A household member "has a registered birth" when a birth
record (not rejected) names them as the child, matched by personal ID number or by folded name and
date of birth, and that record is registered: it carries an entry of the paper register (book, entry
number or date of registration) or an official registration number. Rejected records never count.
"""

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, text
from sqlalchemy.orm import aliased

from fieldapp.extensions import db
from fieldapp.progress.areas import COUNTRY, Area
from fieldapp.progress.models import AreaKind
from fieldapp.records.models import Record, RecordPerson, RecordType
from fieldapp.records.states import State
from fieldapp.vn.ethnic import MINORITY_CODES


@dataclass
class Indicator:
    key: str
    label: Any
    definition: Any
    numerator: int
    denominator: int
    #: how many records the figures were read from
    records: int

    @property
    def share(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def in_area(area: Area) -> ColumnElement[bool]:
    if area.kind == COUNTRY:
        return Record.state != State.REJECTED
    if area.kind == AreaKind.PROVINCE:
        return and_(Record.province_code == area.code, Record.state != State.REJECTED)
    return and_(Record.commune_code.in_(area.communes or []), Record.state != State.REJECTED)


def _json_text(*path: str) -> Any:
    return Record.data[path].as_string()


def registered(record: Any = Record) -> ColumnElement[bool]:
    """The record stands in a register: register entry (book / entry number / date) or an official number."""
    data = record.data
    return or_(
        record.registration_number.is_not(None),
        data[("register", "registered_on")].as_string().is_not(None),
        data[("register", "entry_number")].as_string().is_not(None),
        data[("register", "book_number")].as_string().is_not(None),
    )


def _registered_birth_of(member: Any) -> ColumnElement[bool]:
    """EXISTS a registered, non-rejected birth record whose child is this household member."""
    birth, child = aliased(Record), aliased(RecordPerson)

    def matching(condition: ColumnElement[bool]) -> Any:
        return exists().where(
            child.role == "child",
            condition,
            birth.id == child.record_id,
            birth.type == RecordType.BIRTH,
            birth.state != State.REJECTED,
            registered(birth),
        )

    by_id = matching(and_(member.personal_id.is_not(None), child.personal_id == member.personal_id))
    by_name = matching(
        and_(
            child.name_folded == member.name_folded,
            child.birth_year == member.birth_year,
            child.date_of_birth == member.date_of_birth,
        )
    )
    return or_(by_id, by_name)


def births_registered(area: Area, year: int) -> Indicator:
    total, matched, records = _members_with_birth_for(area, lambda m: m.birth_year == year)
    return Indicator(
        "births_registered",
        _l("Trẻ sinh ra còn sống được đăng ký khai sinh"),
        _l(
            "Thành viên hộ sinh trong năm có hồ sơ khai sinh đã đăng ký (khớp số định danh, hoặc họ tên "
            "và ngày sinh) / thành viên hộ sinh trong năm."
        ),
        matched,
        total,
        records,
    )


def minority_births_registered(area: Area, year: int) -> Indicator:
    """Only the 53 minority groups count: not Kinh, not a foreign national, not "not known"."""
    total, matched, records = _members_with_birth_for(
        area, lambda m: and_(m.birth_year == year, m.ethnicity.in_(MINORITY_CODES))
    )
    return Indicator(
        "minority_births_registered",
        _l("Trẻ em dân tộc thiểu số sinh ra được đăng ký khai sinh"),
        _l(
            "Thành viên hộ sinh trong năm thuộc một trong 53 dân tộc thiểu số có hồ sơ khai sinh đã đăng "
            "ký / các thành viên đó. Không tính người Kinh, người nước ngoài và người không xác định dân tộc."
        ),
        matched,
        total,
        records,
    )


def _members_with_birth_for(area: Area, condition: Any) -> tuple[int, int, int]:
    """(household members matching, of them with a registered birth, household records read)."""
    member = aliased(RecordPerson)
    query = (
        select(
            func.count(),
            func.coalesce(func.sum(case((_registered_birth_of(member), 1), else_=0)), 0),
            func.count(func.distinct(Record.id)),
        )
        .select_from(member)
        .join(Record, Record.id == member.record_id)
        .where(
            Record.type == RecordType.HOUSEHOLD,
            in_area(area),
            member.role.in_(("head", "member")),
            condition(member),
        )
    )
    total, matched, records = db.session.execute(query).one()
    return int(total or 0), int(matched or 0), int(records or 0)


def under_five_registered(area: Area, year: int) -> Indicator:
    total, matched, records = _members_with_birth_for(
        area, lambda m: and_(m.birth_year >= year - 4, m.birth_year <= year)
    )
    return Indicator(
        "under_five_registered",
        _l("Trẻ dưới 5 tuổi đã được đăng ký khai sinh"),
        _l(
            "Thành viên hộ sinh từ năm %(first)s đến %(year)s có hồ sơ khai sinh đã đăng ký / thành viên hộ "
            "sinh trong các năm đó.",
            first=year - 4,
            year=year,
        ),
        matched,
        total,
        records,
    )


def registered_before_five(area: Area, year: int) -> Indicator:
    """Birth records of children born in the year with a known registration date: before age 5?"""
    child = aliased(RecordPerson)
    registered_on = func.coalesce(
        _json_text("register", "registered_on"), func.cast(Record.registration_date, db.String)
    )
    reg_year = func.cast(func.substr(registered_on, 1, 4), db.Integer)
    query = (
        select(func.count(), func.coalesce(func.sum(case((reg_year < child.birth_year + 5, 1), else_=0)), 0))
        .select_from(Record)
        .join(child, and_(child.record_id == Record.id, child.role == "child"))
        .where(
            Record.type == RecordType.BIRTH,
            in_area(area),
            child.birth_year == year,
            registered_on.is_not(None),
        )
    )
    total, early = db.session.execute(query).one()
    return Indicator(
        "registered_before_five",
        _l("Khai sinh được đăng ký trước 5 tuổi"),
        _l(
            "Hồ sơ khai sinh của trẻ sinh trong năm có ngày đăng ký, đăng ký trước năm trẻ tròn 5 tuổi / "
            "các hồ sơ đó."
        ),
        int(early or 0),
        int(total or 0),
        int(total or 0),
    )


def population_registered(area: Area, year: int) -> Indicator:
    total, matched, records = _members_with_birth_for(
        area, lambda m: or_(m.birth_year <= year, m.birth_year.is_(None))
    )
    return Indicator(
        "population_registered",
        _l("Dân số có giấy khai sinh được đăng ký"),
        _l(
            "Thành viên hộ (sinh đến năm %(year)s) có hồ sơ khai sinh đã đăng ký / tổng số thành viên hộ.",
            year=year,
        ),
        matched,
        total,
        records,
    )


def _deaths(area: Area, year: int, counted: ColumnElement[bool]) -> tuple[int, int]:
    died = _json_text("date_of_death")
    query = select(func.count(), func.coalesce(func.sum(case((counted, 1), else_=0)), 0)).where(
        Record.type == RecordType.DEATH, in_area(area), func.substr(died, 1, 4) == str(year)
    )
    total, hit = db.session.execute(query).one()
    return int(total or 0), int(hit or 0)


def deaths_registered(area: Area, year: int) -> Indicator:
    total, hit = _deaths(area, year, registered())
    return Indicator(
        "deaths_registered",
        _l("Trường hợp tử vong được đăng ký khai tử"),
        _l(
            "Hồ sơ tử vong có ngày mất trong năm, đã đăng ký (có số sổ, số đăng ký hoặc ngày đăng ký) / "
            "hồ sơ tử vong có ngày mất trong năm."
        ),
        hit,
        total,
        total,
    )


def deaths_with_cause(area: Area, year: int) -> Indicator:
    cause = _json_text("cause_of_death")
    total, hit = _deaths(area, year, and_(cause.is_not(None), cause != ""))
    return Indicator(
        "deaths_with_cause",
        _l("Trường hợp tử vong có ghi nguyên nhân chết"),
        _l(
            "Hồ sơ tử vong có ngày mất trong năm có ghi nguyên nhân chết / "
            "hồ sơ tử vong có ngày mất trong năm."
        ),
        hit,
        total,
        total,
    )


COUPLES_SQL = {
    "sqlite": "SELECT r.id AS record_id, CAST(m.key AS INTEGER) AS position FROM records r, "
    "json_each(r.data, '$.members') m WHERE json_extract(m.value, '$.relationship') = 'spouse'",
    "postgresql": "SELECT r.id AS record_id, (m.ordinality - 1)::int AS position FROM records r, "
    "json_array_elements(r.data -> 'members') WITH ORDINALITY AS m(value, ordinality) "
    "WHERE m.value ->> 'relationship' = 'spouse'",
}


def couples_married(area: Area, year: int) -> Indicator:
    """Head of household and spouse, as listed; married when a registered marriage record names both."""
    dialect = db.session.get_bind().dialect.name
    spouses = (
        text(COUPLES_SQL["postgresql" if dialect == "postgresql" else "sqlite"])
        .columns(record_id=db.String, position=db.Integer)
        .subquery("spouses")
    )
    head, spouse = aliased(RecordPerson), aliased(RecordPerson)
    marriage, one, other = aliased(Record), aliased(RecordPerson), aliased(RecordPerson)

    def same(a: Any, b: Any) -> ColumnElement[bool]:
        return or_(
            and_(a.personal_id.is_not(None), a.personal_id == b.personal_id),
            and_(a.name_folded == b.name_folded, a.birth_year == b.birth_year),
        )

    married = exists().where(
        marriage.type == RecordType.MARRIAGE,
        marriage.state != State.REJECTED,
        registered(marriage),
        one.record_id == marriage.id,
        other.record_id == marriage.id,
        one.id != other.id,
        one.role.in_(("husband", "wife")),
        other.role.in_(("husband", "wife")),
        same(one, head),
        same(other, spouse),
    )
    query = (
        select(
            func.count(),
            func.coalesce(func.sum(case((married, 1), else_=0)), 0),
            func.count(func.distinct(Record.id)),
        )
        .select_from(spouses)
        .join(Record, Record.id == spouses.c.record_id)
        .join(head, and_(head.record_id == Record.id, head.role == "head"))
        .join(spouse, and_(spouse.record_id == Record.id, spouse.position == spouses.c.position))
        .where(Record.type == RecordType.HOUSEHOLD, in_area(area))
    )
    total, hit, records = db.session.execute(query).one()
    del year
    return Indicator(
        "couples_married",
        _l("Cặp vợ chồng chung sống có đăng ký kết hôn"),
        _l(
            "Cặp chủ hộ và vợ/chồng trong hồ sơ hộ có hồ sơ kết hôn đã đăng ký ghi tên cả hai (khớp số định "
            "danh, hoặc họ tên và năm sinh) / số cặp chủ hộ và vợ/chồng. "
            "Tính trên mọi hồ sơ hộ, không theo năm."
        ),
        int(hit or 0),
        int(total or 0),
        int(records or 0),
    )


ALL = (
    births_registered,
    minority_births_registered,
    under_five_registered,
    registered_before_five,
    population_registered,
    deaths_registered,
    deaths_with_cause,
    couples_married,
)


def compute(area: Area, year: int) -> list[Indicator]:
    return [indicator(area, year) for indicator in ALL]
