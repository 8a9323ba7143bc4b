"""What a progress page shows for one area: its own line, the units under it, members, series."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.progress import areas, stats
from fieldapp.progress.areas import COUNTRY, Area
from fieldapp.progress.models import AreaKind, Measure, Period, Quota, Target
from fieldapp.progress.projection import STATUS_ORDER, Projection, Status
from fieldapp.vn.models import AdminUnit, LegacyUnit, LegacyUnitMapping


@dataclass
class UnitLine:
    kind: str
    code: str
    name: str
    counts: stats.Counts
    target: Target | None = None

    @property
    def measure(self) -> Measure:
        return self.target.measure if self.target else Measure.COLLECTED

    def projection(self, today: date) -> Projection | None:
        if self.target is None:
            return None
        m = self.measure
        return Projection(
            self.counts.total[m],
            self.target.amount,
            self.target.deadline,
            today,
            self.counts.last_7[m],
            self.counts.last_30[m],
        )

    def risk(self, today: date) -> tuple[int, float]:
        projection = self.projection(today)
        return projection.risk if projection else (STATUS_ORDER[Status.NO_TARGET], 0.0)


@dataclass
class QuotaLine:
    quota: Quota
    done: int

    @property
    def attainment(self) -> float:
        return self.done / self.quota.amount if self.quota.amount else 0.0


@dataclass
class MemberLine:
    user: User
    counts: stats.Counts
    quotas: list[QuotaLine] = field(default_factory=list)


@dataclass
class AreaReport:
    area: Area
    today: date
    period: Period
    own: UnitLine
    units: list[UnitLine]
    districts: list[UnitLine]
    members: list[MemberLine]
    series: list[tuple[date, dict]]
    idle_units: int = 0

    @property
    def at_risk(self) -> list[UnitLine]:
        """Every unit on the page that has a target, most at risk of missing its deadline first."""
        lines = [line for line in [self.own, *self.units, *self.districts] if line.target is not None]
        return sorted(lines, key=lambda line: line.risk(self.today))


def targets_for(kind: str, codes: list[str]) -> dict[str, Target]:
    if not codes:
        return {}
    query = select(Target).where(Target.area_kind == kind, Target.area_code.in_(codes))
    return {t.area_code: t for t in db.session.scalars(query)}


def build(area: Area, today: date, period: Period = Period.DAY) -> AreaReport:
    units, districts, members, idle = [], [], [], 0
    if area.kind == COUNTRY:
        units = _child_units(area, AreaKind.PROVINCE, "province_code", today)
    elif area.kind == AreaKind.PROVINCE:
        units = _child_units(area, AreaKind.COMMUNE, "commune_code", today)
        districts = _districts(area, units, today)
        idle = _commune_count(area.code) - len(units)
    elif area.kind == AreaKind.DISTRICT:
        units = _child_units(area, AreaKind.COMMUNE, "commune_code", today, keep_all=True)
    else:
        members = member_lines(area, today)
    if area.kind in (COUNTRY, AreaKind.PROVINCE, AreaKind.DISTRICT):
        own_counts = stats.Counts()  # the units under it add up to it: no second pass over the counters
        for line in units:
            own_counts.add(line.counts)
    else:
        own_counts = stats.totals(area, today).get(None, stats.Counts())
    own_target = targets_for(area.kind, [area.code]).get(area.code) if area.kind != COUNTRY else None
    own = UnitLine(area.kind, area.code, area.name, own_counts, own_target)
    return AreaReport(
        area, today, period, own, units, districts, members, stats.series(area, today, period), idle
    )


def _child_units(
    area: Area, kind: AreaKind, column: str, today: date, keep_all: bool = False
) -> list[UnitLine]:
    counts = stats.totals(area, today, column)
    target_query = select(Target).where(Target.area_kind == kind)
    if area.kind == AreaKind.PROVINCE:
        target_query = target_query.where(Target.province_code == area.code)
    elif area.kind == AreaKind.DISTRICT:
        target_query = target_query.where(Target.area_code.in_(area.communes or []))
    targets = {t.area_code: t for t in db.session.scalars(target_query)}
    codes = sorted(set(counts) | set(targets) | (set(area.communes or []) if keep_all else set()))
    names = areas.unit_names(codes)
    lines = [
        UnitLine(kind, code, names.get(code, code), counts.get(code, stats.Counts()), targets.get(code))
        for code in codes
    ]
    return sorted(lines, key=lambda line: line.risk(today))


def _commune_count(province_code: str) -> int:
    from sqlalchemy import func

    query = select(func.count()).select_from(AdminUnit).where(AdminUnit.province_code == province_code)
    return db.session.scalar(query) or 0


def district_communes(province_code: str) -> dict[str, set[str]]:
    """Old district code -> today's communes of the province its old communes became."""
    rows = db.session.execute(
        select(LegacyUnit.district_code, LegacyUnitMapping.commune_code)
        .select_from(AdminUnit)
        .join(LegacyUnitMapping, LegacyUnitMapping.commune_code == AdminUnit.code)
        .join(LegacyUnit, LegacyUnit.id == LegacyUnitMapping.legacy_unit_id)
        # only old communes carry a district code; filtering on it (not on level) keeps SQLite's plan
        # starting from the province's communes
        .where(AdminUnit.province_code == province_code, LegacyUnit.district_code.is_not(None))
    ).all()
    result: dict[str, set[str]] = {}
    for district, commune in rows:
        result.setdefault(district, set()).add(commune)
    return result


def _districts(area: Area, communes: list[UnitLine], today: date) -> list[UnitLine]:
    """Old districts of a province: their communes' counts added up (the counts are already here)."""
    by_commune = {line.code: line.counts for line in communes}
    mapping = district_communes(area.code)
    names = dict(
        db.session.execute(
            select(LegacyUnit.code, LegacyUnit.name).where(
                LegacyUnit.level == "district", LegacyUnit.code.in_(mapping)
            )
        ).all()
    )
    targets = targets_for(AreaKind.DISTRICT, list(mapping))
    lines = []
    for code, members in sorted(mapping.items()):
        total = stats.Counts()
        for commune in members:
            if commune in by_commune:
                total.add(by_commune[commune])
        if targets.get(code) is not None or any(total.total.values()):
            lines.append(UnitLine(AreaKind.DISTRICT, code, names.get(code, code), total, targets.get(code)))
    return sorted(lines, key=lambda line: line.risk(today))


def member_lines(area: Area, today: date, user_id: int | None = None) -> list[MemberLine]:
    """Team members of a commune: who worked there, plus who is assigned there, with their quotas."""
    counts = stats.totals(area, today, "user_id", user_id=user_id)
    query = select(User).where(or_(User.id.in_(list(counts)), User.area_code.in_(area.communes or [])))
    if user_id is not None:
        query = select(User).where(User.id == user_id)
    query = query.where(User.role.in_([Role.COLLECTOR, Role.CLERK]))
    users = list(db.session.scalars(query.order_by(User.username)))
    ids = [u.id for u in users]
    quotas: dict[int, list[Quota]] = {}
    for quota in db.session.scalars(select(Quota).where(Quota.user_id.in_(ids)).order_by(Quota.period)):
        quotas.setdefault(quota.user_id, []).append(quota)
    done = stats.user_period_counts(ids, today)
    return [
        MemberLine(
            user,
            counts.get(user.id, stats.Counts()),
            [QuotaLine(q, done.get((user.id, q.period, q.measure), 0)) for q in quotas.get(user.id, [])],
        )
        for user in users
    ]
