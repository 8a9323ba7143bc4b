"""The administrator's user pages: who has which role and area, and a collector's villages. Thin."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import abort
from sqlalchemy import select

from fieldapp.accounts import villages
from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db

bp = Blueprint("users", __name__, url_prefix="/users")

ROLE_LABELS = {
    Role.COLLECTOR: _l("Cán bộ thu thập"),
    Role.CLERK: _l("Công chức tư pháp - hộ tịch"),
    Role.MANAGER: _l("Quản lý"),
    Role.ADMIN: _l("Quản trị viên"),
}


def _admin() -> User:
    me: User = current_user._get_current_object()  # type: ignore[attr-defined]
    if me.role is not Role.ADMIN:
        abort(403, message=_("Trang này dành cho quản trị viên."))
    return me


def _managed(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not villages.may_manage(_admin(), user):
        abort(404, message=_("Không có người dùng này trong địa bàn của bạn."))
    return user


@bp.get("/", endpoint="list")
@login_required
def user_list() -> ResponseReturnValue:
    me = _admin()
    users = [
        u for u in db.session.scalars(select(User).order_by(User.username)) if villages.may_manage(me, u)
    ]
    return render_template(
        "accounts/users.html", users=users, role_labels=ROLE_LABELS, takes_villages=villages.takes_villages
    )


@bp.get("/<int:user_id>", endpoint="edit")
@login_required
def user_form(user_id: int) -> ResponseReturnValue:
    return _form(_managed(user_id))


def _form(user: User, typed: str | None = None, error: str | None = None) -> ResponseReturnValue:
    text = typed if typed is not None else "\n".join(user.villages or [])
    html = render_template(
        "accounts/user.html",
        user=user,
        villages_text=text,
        known=villages.known_villages(user),
        error=error,
        role_labels=ROLE_LABELS,
        max_villages=villages.MAX_VILLAGES,
        takes_villages=villages.takes_villages,
    )
    return html, 422 if error else 200


@bp.post("/<int:user_id>", endpoint="save")
@login_required
def save_villages(user_id: int) -> ResponseReturnValue:
    user = _managed(user_id)
    typed = request.form.get("villages", "")
    try:
        saved = villages.set_villages(user, typed, _admin())
    except villages.VillagesRefused as refused:
        return _form(user, typed, str(refused))
    if saved:
        flash(_("Đã giao %(n)s thôn cho %(user)s.", n=len(saved), user=user.username), "success")
    else:
        flash(_("%(user)s thu thập ở cả xã.", user=user.username), "success")
    return redirect(url_for("users.edit", user_id=user.id)), 303
