"""Progress pages: the manager's area, drillable province -> commune (or old district) -> team member."""

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fieldapp.accounts.auth import require_role
from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from fieldapp.progress import areas, charts, exports, reports, stats
from fieldapp.progress.areas import COUNTRY, Area
from fieldapp.progress.counters import local_day
from fieldapp.progress.labels import MEASURE_LABELS, num, register_filters
from fieldapp.progress.models import AreaKind, Period
from fieldapp.progress.services import member_visible

bp = Blueprint("progress", __name__, url_prefix="/progress")
register_filters(bp)

VIEWERS = (Role.CLERK, Role.MANAGER, Role.ADMIN)
EDITORS = (Role.MANAGER, Role.ADMIN)


def viewer() -> User:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    require_role(user, *VIEWERS)
    return user


def chosen_period() -> Period:
    try:
        return Period(request.args.get("period", Period.DAY.value))
    except ValueError:
        return Period.DAY


def area_url(kind: str, code: str, **args: str) -> str:
    if kind == COUNTRY:
        return url_for("progress.dashboard", **args)
    if kind == AreaKind.DISTRICT:
        return url_for("progress.district", code=code, **args)
    return url_for("progress.area", code=code, **args)


def breadcrumbs(area: Area, user: User) -> list[tuple[str, str]]:
    """Links up the tree, as far as the user may go."""
    crumbs: list[tuple[str, str]] = []
    if user.area_code is None:
        crumbs.append((_("Toàn quốc"), url_for("progress.dashboard")))
    if area.kind in (AreaKind.COMMUNE, AreaKind.DISTRICT) and areas.may_see(
        user, areas.resolve(AreaKind.PROVINCE, area.province_code) or area
    ):
        province = areas.resolve(AreaKind.PROVINCE, area.province_code)
        if province is not None:
            crumbs.append((province.name, area_url(province.kind, province.code)))
    return crumbs


def render_area(area: Area, user: User) -> str:
    period = chosen_period()
    report = reports.build(area, local_day(), period)
    chart = charts.series_chart(
        report.series, MEASURE_LABELS, _("Số hồ sơ theo thời gian"), num, monthly=period is Period.MONTH
    )
    return render_template(
        "progress/area.html",
        report=report,
        chart=chart,
        bar=charts.progress_bar,
        crumbs=breadcrumbs(area, user),
        area_url=area_url,
        can_edit=user.role in EDITORS,
        measure_labels=MEASURE_LABELS,
        export_kind=area.kind,
        export_code=area.code or "all",
    )


@bp.get("/")
@login_required
def dashboard() -> ResponseReturnValue:
    user = viewer()
    return render_area(areas.home_area(user), user)


@bp.get("/area/<code>")
@login_required
def area(code: str) -> ResponseReturnValue:
    user = viewer()
    return render_area(areas.visible_area(user, areas.kind_of_code(code), code), user)


@bp.get("/district/<code>")
@login_required
def district(code: str) -> ResponseReturnValue:
    user = viewer()
    return render_area(areas.visible_area(user, AreaKind.DISTRICT, code), user)


@bp.get("/member/<int:user_id>")
@login_required
def member(user_id: int) -> ResponseReturnValue:
    user = viewer()
    person = db.session.get(User, user_id)
    if person is None or person.role not in (Role.COLLECTOR, Role.CLERK) or not member_visible(user, person):
        abort(404)
    today, period = local_day(), chosen_period()
    home = areas.home_area(person)
    lines = reports.member_lines(home, today, user_id=person.id)
    series = stats.series(home, today, period, user_id=person.id)
    chart = charts.series_chart(
        series, MEASURE_LABELS, _("Số hồ sơ theo thời gian"), num, monthly=period is Period.MONTH
    )
    return render_template(
        "progress/member.html",
        person=person,
        home=home,
        line=lines[0] if lines else None,
        chart=chart,
        series=series,
        period=period,
        area_url=area_url,
        measure_labels=MEASURE_LABELS,
        today=today,
    )


@bp.get("/<kind>/<code>/export.<fmt>")
@login_required
def export(kind: str, code: str, fmt: str) -> ResponseReturnValue:
    user = viewer()
    if fmt not in exports.FORMATS:
        abort(404)
    if kind == COUNTRY:
        if not areas.may_see(user, areas.country()):
            abort(404)
        area = areas.country()
    else:
        area = areas.visible_area(user, kind, code)
    report = reports.build(area, local_day(), chosen_period())
    return exports.respond(report, fmt)


from fieldapp.progress import indicator_views, target_views  # noqa: E402, F401  (routes on bp)
