"""Who is calling: a device's bearer token on the API, a session cookie on the web pages."""

import hmac
from datetime import timedelta

from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import abort

from fieldapp.accounts import services
from fieldapp.accounts.models import Device, Role, User
from fieldapp.extensions import db, login_manager
from fieldapp.numbers import whole_number


def setup_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The user of a session cookie "<id>:<session token>"; a token ended by a logout finds nobody."""
    user_id, _, token = session_id.partition(":")
    number = whole_number(user_id, low=1)
    user = db.session.get(User, number) if number is not None else None
    if user is None or not user.active or not user.session_token:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


def token_lifetime() -> timedelta:
    """How long an unused token lives (its idle expiry)."""
    return timedelta(days=current_app.config["DEVICE_TOKEN_LIFETIME_DAYS"])


def token_lifetimes() -> services.TokenLifetime:
    config = current_app.config
    return services.TokenLifetime(token_lifetime(), timedelta(days=config["DEVICE_TOKEN_MAX_DAYS"]))


REFUSALS = {
    "revoked": _l(
        "Thiết bị này đã bị thu hồi. Hồ sơ chưa gửi vẫn còn trên máy; hãy đăng nhập lại bằng mật khẩu."
    ),
    "expired": _l("Phiên đăng nhập đã hết hạn. Hồ sơ chưa gửi vẫn còn trên máy; hãy đăng nhập lại."),
}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_device_token() -> None:
    """before_request of the API blueprints: a valid bearer token or a 401 JSON answer."""
    if request.method == "OPTIONS":
        return
    token = bearer_token()
    try:
        device = services.check_token(token or "")
    except services.TokenRefused as refused:
        # RFC 6750: the phone reads the reason here (a revoked phone clears its synced copies)
        header = f'Bearer error="invalid_token", error_description="{refused.reason}"'
        message = REFUSALS.get(refused.reason)
        abort(401, message=str(message) if message else None, headers={"WWW-Authenticate": header})
    every = timedelta(seconds=current_app.config["DEVICE_TOKEN_TOUCH_SECONDS"])
    services.touch_device(device, token_lifetime(), every)
    g.api_device = device
    g.api_user = device.user
    g.log_user_id = device.user_id
    g.log_device_id = device.id


def api_user() -> User:
    return g.api_user


def api_device() -> Device:
    return g.api_device


def acting_user() -> User | None:
    """The caller on routes open to both: the bearer token's user, else the session's user."""
    token = bearer_token()
    if token:
        device = services.find_device(token)
        if device is None:
            return None
        g.api_user, g.api_device = device.user, device
        return device.user
    if current_user.is_authenticated:
        return current_user._get_current_object()  # type: ignore[attr-defined]
    return None


def require_role(user: User, *roles: Role) -> None:
    if user.role not in roles:
        abort(403)
