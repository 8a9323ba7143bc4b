"""POST /api/v1/auth/token: a device logs in with the password and keeps a bearer token;
POST /api/v1/auth/logout: the phone signs out and its token ends."""

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_smorest import abort

from fieldapp.accounts import devices, services
from fieldapp.accounts.auth import api_device, api_user, require_device_token, token_lifetimes
from fieldapp.accounts.schemas import TokenRequestSchema, TokenResponseSchema
from fieldapp.apiparsing import Blueprint
from fieldapp.database import keep_changes_on_refusal
from fieldapp.extensions import limiter
from fieldapp.timeutil import isoformat_utc

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Device login")


@blp.post("/token")
@blp.doc(security=[])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenResponseSchema)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(429, description="Too many attempts")
def issue_token(payload: dict) -> dict[str, Any]:
    try:
        user = services.sign_in(payload["username"], payload["password"])
    except services.LoginRefused as refused:
        keep_changes_on_refusal()
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
        abort(refused.status, message=refused.message, headers=headers)
    login = devices.password_login(
        user, payload["device_name"], payload.get("previous_device_id"), token_lifetimes()
    )
    config = current_app.config
    answer: dict[str, Any] = {
        "token": login.token,
        "device_id": login.device.id,
        "expires_at": isoformat_utc(login.device.token_ends_at),
        "device_key": login.device.wrap_key,
        "settings": {
            "lock_minutes": config["FIELD_LOCK_MINUTES"],
            "pin_tries": config["FIELD_PIN_TRIES"],
            "renew_warning_days": config["FIELD_RENEW_WARNING_DAYS"],
        },
        "user": user,
    }
    if login.previous_key:
        answer["previous_device_key"] = login.previous_key
    return answer


@blp.post("/logout")
@blp.response(204)
def sign_out() -> None:
    """The phone signs out: its token stops working at once (the phone clears its own data)."""
    require_device_token()
    services.revoke_device(api_device(), api_user(), _("Người dùng đăng xuất trên máy"))
