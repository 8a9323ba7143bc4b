"""The PWA for collectors: the shell, its hashed assets, the manifest and the service worker."""

import gzip
import json
from functools import lru_cache
from pathlib import Path

import brotli
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from fieldapp.accounts.models import Role
from fieldapp.config import project_root
from fieldapp.field import assets, imports
from fieldapp.jobs.services import submit_with_input

bp = Blueprint("field", __name__)

ASSET_MAX_AGE = 365 * 24 * 3600
SHELL_CACHE = "no-cache"  # the shell revalidates every time it is fetched over the network


@bp.record_once
def _build_on_register(state: object) -> None:
    rebuild(state.app)  # type: ignore[attr-defined]


def rebuild(app: Flask) -> assets.AssetManifest:
    """(Re)build the hashed, pre-compressed assets; a deploy is a restart, tests call it directly."""
    source = Path(app.config.get("FIELD_ASSET_SOURCE") or project_root() / "static" / "field")
    build_dir = Path(app.config.get("FIELD_BUILD_DIR") or Path(app.instance_path) / "field-build")
    manifest = assets.build_assets(source, build_dir)
    app.extensions["field_assets"] = manifest
    app.extensions["field_source"] = source
    _shell_body.cache_clear()
    return manifest


def manifest() -> assets.AssetManifest:
    return current_app.extensions["field_assets"]


def asset_url(logical: str) -> str:
    return url_for("field.asset", name=manifest().url_name(logical))


def status_base() -> str:
    return (current_app.config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")


@bp.get("/field/")
def app() -> ResponseReturnValue:
    body = _shell_body(manifest().version, status_base())
    response = _compressed(body, "text/html", SHELL_CACHE)
    # revalidation (the service worker's precache, a reload) costs a 304, not the page again
    response.set_etag(f"{assets.content_hash(body)}-{response.headers.get('Content-Encoding', 'identity')}")
    return response.make_conditional(request)


@lru_cache(maxsize=8)
def _shell_body(version: str, base: str) -> bytes:
    # modules the app imports only when a screen needs them (import("./x.js")) stay out of the first load
    modules = [asset_url(n) for n in manifest().static_closure("js/app.js")]
    html = render_template(
        "field/app.html",
        css=asset_url("css/field.css"),
        main=asset_url("js/app.js"),
        modules=modules,
        manifest_url=url_for("field.web_manifest"),
        icon=asset_url("icons/icon-192.png"),
        status_base=base,
        version=version,
    )
    return html.encode()


def shell_version() -> str:
    """Version of the whole app: the assets and the shell page that names them."""
    return assets.content_hash(_shell_body(manifest().version, status_base()))


@bp.get("/field/static/<path:name>")
def asset(name: str) -> ResponseReturnValue:
    build_dir = manifest().build_dir.resolve()
    path = (build_dir / name).resolve()
    if build_dir not in path.parents or not path.is_file() or path.suffix in (".br", ".gz"):
        abort(404)
    chosen, encoding = assets.negotiate(request.headers.get("Accept-Encoding", ""), path)
    response = send_file(chosen, mimetype=_mimetype(path), conditional=True, max_age=ASSET_MAX_AGE)
    response.headers.pop("Content-Disposition", None)
    response.headers["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}, immutable"
    response.headers["Vary"] = "Accept-Encoding"
    if encoding:
        response.headers["Content-Encoding"] = encoding
    return response


def _mimetype(path: Path) -> str:
    return {
        ".js": "text/javascript",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".webmanifest": "application/manifest+json",
    }.get(path.suffix, "application/octet-stream")


@bp.get("/field/manifest.webmanifest")
def web_manifest() -> ResponseReturnValue:
    body = {
        "name": "Thu thập hộ tịch",
        "short_name": "Hộ tịch",
        "lang": "vi",
        "start_url": url_for("field.app"),
        "scope": url_for("field.app"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [
            *(
                {"src": asset_url(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
                for size in (192, 512)
            ),
            # the drawing kept inside the central circle that any launcher's mask leaves visible
            {
                "src": asset_url("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    data = json.dumps(body, ensure_ascii=False).encode()
    return _compressed(data, "application/manifest+json", "public, max-age=3600")


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """What every browser asks for on every page (16, 32 and 48 px from icons/icon-512.png)."""
    icon = project_root() / "static" / "favicon.ico"
    return send_file(icon, mimetype="image/x-icon", max_age=7 * 24 * 3600)


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    """The service worker at the site root: its precache list and version are written into it."""
    source = (current_app.extensions["field_source"] / "sw.js").read_text()
    precache = [url_for("field.app"), *(url_for("field.asset", name=n) for n in manifest().names.values())]
    header = f"const VERSION = {json.dumps(shell_version())};\nconst PRECACHE = {json.dumps(precache)};\n"
    response = _compressed((header + source).encode(), "text/javascript", "no-cache")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def _compressed(body: bytes, mimetype: str, cache_control: str) -> Response:
    encoding = _pick_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding == "br":
        body = _brotli(body)
    elif encoding == "gzip":
        body = gzip.compress(body, mtime=0)
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = cache_control
    response.headers["Vary"] = "Accept-Encoding"
    if encoding:
        response.headers["Content-Encoding"] = encoding
    return response


@lru_cache(maxsize=32)
def _brotli(body: bytes) -> bytes:
    return brotli.compress(body, quality=11)


def _pick_encoding(accept: str) -> str | None:
    offered = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    return "br" if "br" in offered else "gzip" if "gzip" in offered else None


@bp.route("/field/import", methods=["GET", "POST"])
@login_required
def import_file() -> ResponseReturnValue:
    """A clerk imports a phone's export file (records and photos) for a collector of their area."""
    if current_user.role not in (Role.CLERK, Role.ADMIN):
        abort(403)
    if request.method == "GET":
        return render_template("field/import.html")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("field/import.html", error=_("Hãy chọn tệp xuất từ điện thoại.")), 400
    raw = upload.read()
    clerk = current_user._get_current_object()
    try:
        imports.check_file(clerk, raw)
    except imports.ImportRefused as exc:
        return render_template("field/import.html", error=exc.message), 400
    job = submit_with_input(clerk, "field.import", raw, {}, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id), code=303)
