"""The areas progress is counted for: the country, a province, a commune, or an old district.

An old district (pre-2025, 3-digit code) is counted through today's communes its old communes became
(LegacyUnitMapping). A commune formed from old communes of two districts counts in both.
"""

from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import or_, select

from fieldapp.accounts.models import Role, User
from fieldapp.accounts.scope import covers
from fieldapp.extensions import db
from fieldapp.progress.models import AreaKind
from fieldapp.vn.models import AdminUnit, LegacyUnit, LegacyUnitMapping

COUNTRY = "country"


@dataclass
class Area:
    kind: str  # "country" or an AreaKind value
    code: str
    name: str
    #: today's province ("" for the country)
    province_code: str = ""
    #: the communes counted, for a commune or an old district; None = every commune of the province/country
    communes: list[str] | None = field(default=None)


def country() -> Area:
    return Area(COUNTRY, "", "Toàn quốc")


def resolve(kind: str, code: str) -> Area | None:
    """The area named by kind and code, or None when there is no such unit."""
    if kind == AreaKind.DISTRICT:
        return district(code)
    unit = db.session.get(AdminUnit, code)
    if unit is None or unit.level != kind:
        return None
    if unit.level == AreaKind.PROVINCE:
        return Area(AreaKind.PROVINCE, unit.code, unit.name, unit.code)
    return Area(AreaKind.COMMUNE, unit.code, unit.name, unit.province_code or "", [unit.code])


def kind_of_code(code: str) -> str:
    return {2: AreaKind.PROVINCE, 3: AreaKind.DISTRICT, 5: AreaKind.COMMUNE}.get(len(code), "")


def district(code: str) -> Area | None:
    unit = db.session.scalar(
        select(LegacyUnit).where(LegacyUnit.level == "district", LegacyUnit.code == code)
    )
    if unit is None:
        return None
    old_communes = select(LegacyUnit.id).where(
        LegacyUnit.level == "commune", LegacyUnit.district_code == code
    )
    rows = db.session.execute(
        select(LegacyUnitMapping.commune_code, AdminUnit.province_code)
        .join(AdminUnit, AdminUnit.code == LegacyUnitMapping.commune_code)
        .where(
            or_(
                LegacyUnitMapping.legacy_unit_id.in_(old_communes),
                LegacyUnitMapping.legacy_unit_id == unit.id,
            )
        )
        .distinct()
        .order_by(LegacyUnitMapping.commune_code)
    ).all()
    if not rows:
        return None
    provinces = sorted({province for _, province in rows})
    return Area(AreaKind.DISTRICT, code, unit.name, provinces[0], [commune for commune, _ in rows])


def may_see(user: User, area: Area) -> bool:
    """Area scoping through accounts.scope: a district or a province needs the whole province."""
    if area.kind == COUNTRY:
        return user.area_code is None and user.role is Role.ADMIN
    if area.kind == AreaKind.COMMUNE:
        return covers(user, area.province_code, area.code)
    return covers(user, area.province_code, None)


def visible_area(user: User, kind: str, code: str) -> Area:
    """The area if the user may see it; 404 otherwise (outside the area nothing is enumerable)."""
    area = resolve(kind, code)
    if area is None or not may_see(user, area):
        abort(404)
    return area


def home_area(user: User) -> Area:
    """Where a user's dashboard opens: their own area, the country for an administrator without one."""
    if user.area_code is None:
        return country()
    area = resolve(kind_of_code(user.area_code), user.area_code)
    return area or country()


def unit_names(codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(
        db.session.execute(select(AdminUnit.code, AdminUnit.name).where(AdminUnit.code.in_(codes))).all()
    )


def communes_of(province_code: str) -> list[tuple[str, str]]:
    query = select(AdminUnit.code, AdminUnit.name).where(AdminUnit.province_code == province_code)
    return [(code, name) for code, name in db.session.execute(query.order_by(AdminUnit.name_folded))]
