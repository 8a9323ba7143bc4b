"""Setting targets and quotas on the web (managers and administrators), and importing them from CSV."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from fieldapp.accounts.auth import require_role
from fieldapp.accounts.models import User
from fieldapp.accounts.scope import area_clause
from fieldapp.extensions import db
from fieldapp.numbers import whole_number
from fieldapp.progress import areas, services
from fieldapp.progress.labels import KIND_LABELS, MEASURE_LABELS, QUOTA_PERIOD_LABELS
from fieldapp.progress.models import AreaKind, Measure, Period, Quota, Target
from fieldapp.progress.services import TEAM_ROLES, ImportFailed, ProgressError
from fieldapp.progress.views import EDITORS, bp
from fieldapp.vn.models import AdminUnit


def editor() -> User:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    require_role(user, *EDITORS)
    return user


def targets_in_scope(user: User) -> list[Target]:
    query = select(Target).where(area_clause(user, Target.province_code, Target.area_code))
    return list(db.session.scalars(query.order_by(Target.deadline, Target.area_kind, Target.area_code)))


def team_in_scope(user: User) -> list[User]:
    province = func.coalesce(AdminUnit.province_code, AdminUnit.code)
    query = (
        select(User)
        .join(AdminUnit, AdminUnit.code == User.area_code)
        .where(User.role.in_(TEAM_ROLES), User.active.is_(True), area_clause(user, province, User.area_code))
    )
    return list(db.session.scalars(query.order_by(User.area_code, User.username)))


def area_names(targets: list[Target]) -> dict[tuple[str, str], str]:
    names = {}
    for target in targets:
        area = areas.resolve(target.area_kind.value, target.area_code)
        names[(target.area_kind.value, target.area_code)] = area.name if area else target.area_code
    return names


def unit_names(team: list[User]) -> dict[str, str]:
    """Where each team member works, by name (the quota form shows no unit code)."""
    names = {}
    for code in {member.area_code for member in team if member.area_code}:
        area = areas.resolve(areas.kind_of_code(code), code)
        names[code] = area.name if area else code
    return names


def render_page(user: User, status: int = 200, errors: list | None = None, form: dict | None = None):
    targets = targets_in_scope(user)
    team = team_in_scope(user)
    quotas = list(db.session.scalars(select(Quota).where(Quota.user_id.in_([m.id for m in team]))))
    page = render_template(
        "progress/targets.html",
        targets=targets,
        names=area_names(targets),
        team=team,
        team_units=unit_names(team),
        quotas=sorted(quotas, key=lambda q: (q.user.username, q.period.value)),
        kinds=KIND_LABELS,
        area_kinds=list(AreaKind),
        measures=MEASURE_LABELS,
        periods=QUOTA_PERIOD_LABELS,
        import_errors=errors or [],
        form=form or {},
    )
    return page, status


@bp.get("/targets")
@login_required
def targets() -> ResponseReturnValue:
    return render_page(editor())


@bp.post("/targets")
@login_required
def save_target() -> ResponseReturnValue:
    user = editor()
    form = request.form
    try:
        kind = services.parse_choice(AreaKind, form.get("kind"))
        target = services.set_target(
            kind,
            form.get("code", ""),
            services.parse_amount(form.get("amount")),
            services.parse_day(form.get("deadline")),
            user,
            services.parse_choice(Measure, form.get("measure"), Measure.COLLECTED),
        )
    except ProgressError as exc:
        flash(str(exc), "error")
        return render_page(user, 422, form=form.to_dict())
    flash(_("Đã lưu chỉ tiêu của đơn vị mã %(code)s.", code=target.area_code), "success")
    return redirect(url_for("progress.targets"))


@bp.post("/targets/<int:target_id>/delete")
@login_required
def delete_target(target_id: int) -> ResponseReturnValue:
    user = editor()
    target = db.session.get(Target, target_id)
    area = areas.resolve(target.area_kind.value, target.area_code) if target else None
    if target is None or area is None or not areas.may_see(user, area):
        abort(404)
    services.delete_target(target, user)
    flash(_("Đã xóa chỉ tiêu."), "success")
    return redirect(url_for("progress.targets"))


@bp.post("/quotas")
@login_required
def save_quota() -> ResponseReturnValue:
    user = editor()
    form = request.form
    try:
        member_id = whole_number(form.get("user_id"), low=1)
        if member_id is None:
            raise ProgressError(_("Hãy chọn một cán bộ."))
        member = services.quota_member(member_id, user)
        services.set_quota(
            member,
            services.parse_choice(Period, form.get("period")),
            services.parse_amount(form.get("amount")),
            user,
            services.parse_choice(Measure, form.get("measure"), Measure.COLLECTED),
        )
    except ProgressError as exc:
        flash(str(exc), "error")
        return render_page(user, 422, form=form.to_dict())
    flash(_("Đã lưu định mức của %(name)s.", name=member.full_name or member.username), "success")
    return redirect(url_for("progress.targets"))


@bp.post("/quotas/<int:quota_id>/delete")
@login_required
def delete_quota(quota_id: int) -> ResponseReturnValue:
    user = editor()
    quota = db.session.get(Quota, quota_id)
    if quota is None or not services.member_visible(user, quota.user):
        abort(404)
    services.delete_quota(quota, user)
    flash(_("Đã xóa định mức."), "success")
    return redirect(url_for("progress.targets"))


@bp.post("/targets/import")
@login_required
def import_targets() -> ResponseReturnValue:
    user = editor()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Hãy chọn một tệp CSV."), "error")
        return render_page(user, 422)
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        flash(_("Tệp phải là CSV mã hóa UTF-8."), "error")
        return render_page(user, 422)
    try:
        counts = services.import_csv(text, user)
    except ImportFailed as exc:
        flash(_("Không nhập dòng nào: tệp có %(n)s dòng lỗi.", n=len(exc.errors)), "error")
        return render_page(user, 422, errors=exc.errors)
    flash(_("Đã nhập %(targets)s chỉ tiêu và %(quotas)s định mức.", **counts), "success")
    return redirect(url_for("progress.targets"))
