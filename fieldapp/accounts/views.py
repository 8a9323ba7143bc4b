"""Web sign-in for the office pages (same users as the API), sign-out and the language switch."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from fieldapp.accounts import services
from fieldapp.database import keep_changes_on_refusal
from fieldapp.extensions import limiter
from fieldapp.i18n import LANGUAGE_COOKIE, LANGUAGES

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: an open redirect would let a link send a clerk elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> ResponseReturnValue:
    next_url = safe_next(request.args.get("next"))
    if request.method == "GET":
        return render_template("accounts/login.html", next_url=next_url)
    username = request.form.get("username", "")
    try:
        user = services.sign_in(username, request.form.get("password", ""))
    except services.LoginRefused as refused:
        keep_changes_on_refusal()
        html = render_template(
            "accounts/login.html", error=refused.message, username=username, next_url=next_url
        )
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else {}
        return html, refused.status, headers
    services.open_web_session(user)
    login_user(user)
    _new_csrf_token()  # a token seen before the sign-in (on a shared PC, in a page) is worth nothing after
    return redirect(next_url or url_for("accounts.home"))


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    services.end_web_sessions(current_user._get_current_object())  # type: ignore[attr-defined]
    logout_user()
    session.clear()
    return redirect(url_for("accounts.login"))


def _new_csrf_token() -> None:
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


@bp.get("/")
def home() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render_template("accounts/home.html")


@bp.get("/lang/<code>")
def set_language(code: str) -> ResponseReturnValue:
    target = safe_next(request.args.get("next")) or url_for("accounts.home")
    response = make_response(redirect(target))
    if code in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
