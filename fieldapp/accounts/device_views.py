"""The office's device page: every phone with its user, version, last sync and waiting records;
revoke a lost one with a reason. Administrators see all, managers their area's."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_smorest import abort

from fieldapp.accounts import devices
from fieldapp.accounts.models import User
from fieldapp.review.web import local_time

bp = Blueprint("devices", __name__, url_prefix="/devices")


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined]


def _refusal_message(refused: devices.DeviceRefused) -> str:
    return {
        "forbidden": _("Trang này dành cho quản trị viên và quản lý."),
        "not found": _("Không có thiết bị này trong địa bàn của bạn."),
        "reason": _("Hãy ghi lý do thu hồi (tối đa %(n)d ký tự).", n=devices.REASON_MAX),
        "revoked": _("Thiết bị này đã bị thu hồi trước đó."),
    }[refused.kind]


@bp.get("/", endpoint="list")
@login_required
def device_list() -> ResponseReturnValue:
    return _page()


def _page(error: str | None = None, failed_id: int | None = None, status: int = 200) -> ResponseReturnValue:
    me = _me()
    if me.role not in devices.MANAGING_ROLES:
        abort(403, message=_("Trang này dành cho quản trị viên và quản lý."))
    html = render_template(
        "accounts/devices.html",
        devices=devices.list_devices(me),
        state_of=devices.device_state,
        local_time=local_time,
        reason_max=devices.REASON_MAX,
        error=error,
        failed_id=failed_id,
    )
    return html, status


@bp.post("/<int:device_id>/revoke")
@login_required
def revoke(device_id: int) -> ResponseReturnValue:
    try:
        device = devices.revoke(_me(), device_id, request.form.get("reason", ""))
    except devices.DeviceRefused as refused:
        if refused.status in (403, 404):
            abort(refused.status, message=_refusal_message(refused))
        return _page(_refusal_message(refused), device_id, refused.status)
    flash(
        _("Đã thu hồi thiết bị «%(name)s» của %(user)s.", name=device.name, user=device.user.username),
        "success",
    )
    return redirect(url_for("devices.list")), 303
