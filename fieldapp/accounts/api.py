"""POST /api/v1/auth/token: a device logs in once and keeps a bearer token."""

from flask import current_app
from flask_smorest import abort

from fieldapp.accounts import services
from fieldapp.accounts.auth import token_lifetime
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
def issue_token(payload: dict) -> dict:
    try:
        user = services.sign_in(payload["username"], payload["password"])
    except services.LoginRefused as refused:
        keep_changes_on_refusal()
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
        abort(refused.status, message=refused.message, headers=headers)
    device, token = services.issue_device(user, payload["device_name"], token_lifetime())
    return {
        "token": token,
        "device_id": device.id,
        "expires_at": isoformat_utc(device.expires_at),
        "user": user,
    }
