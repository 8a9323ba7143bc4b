"""Registration indicators page and its downloads (managers and administrators)."""

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from fieldapp.accounts.auth import require_role
from fieldapp.accounts.models import User
from fieldapp.numbers import whole_number
from fieldapp.progress import areas, exports, indicators
from fieldapp.progress.counters import local_day
from fieldapp.progress.models import AreaKind
from fieldapp.progress.views import EDITORS, area_url, bp

FIRST_YEAR = 1900


def indicator_viewer() -> User:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    require_role(user, *EDITORS)
    return user


def chosen_area(user: User) -> areas.Area:
    code = (request.args.get("area") or "").strip()
    if not code:
        return areas.home_area(user)
    return areas.visible_area(user, areas.kind_of_code(code), code)


def chosen_year() -> int:
    today = local_day()
    year = request.args.get("year", "")
    if not year:
        return today.year
    chosen = whole_number(year, low=FIRST_YEAR, high=today.year)
    if chosen is None:
        abort(400)
    return chosen


@bp.get("/indicators", endpoint="indicators")
@login_required
def indicators_page() -> ResponseReturnValue:
    user = indicator_viewer()
    area, year = chosen_area(user), chosen_year()
    home = areas.home_area(user)
    choices = areas.communes_of(home.code) if home.kind == AreaKind.PROVINCE else []
    return render_template(
        "progress/indicators.html",
        area=area,
        year=year,
        years=list(range(local_day().year, local_day().year - 10, -1)),
        rows=indicators.compute(area, year),
        communes=choices,
        area_url=area_url,
    )


@bp.get("/indicators/export.<fmt>")
@login_required
def indicators_export(fmt: str) -> ResponseReturnValue:
    user = indicator_viewer()
    if fmt not in exports.FORMATS:
        abort(404)
    area, year = chosen_area(user), chosen_year()
    return exports.respond_indicators(area, year, indicators.compute(area, year), fmt)
