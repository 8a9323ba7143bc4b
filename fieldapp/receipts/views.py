"""Receipt pages: PDFs for staff and collectors, batch and pad printing, and the public status page."""

from typing import Any

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from fieldapp.accounts.auth import acting_user, bearer_token
from fieldapp.accounts.models import Role, User
from fieldapp.errors import default_message, error_response, flatten_errors, wants_json
from fieldapp.extensions import csrf, db, limiter
from fieldapp.jobs.services import submit
from fieldapp.numbers import whole_number
from fieldapp.receipts import services, slips, status
from fieldapp.receipts.codes import is_valid_code, normalize_code
from fieldapp.receipts.models import ReceiptPad
from fieldapp.receipts.pdf import Format, receipts_pdf
from fieldapp.receipts.schemas import BatchQuery, PadForm, ReceiptPdfQuery
from fieldapp.receipts.services import pad_manager_allowed
from fieldapp.records.states import STATE_LABELS

bp = Blueprint("receipts", __name__)


@bp.record_once
def _defaults(state: Any) -> None:
    config = state.app.config
    config.setdefault("RECEIPT_BATCH_MAX", 1000)  # receipts in one batch PDF
    # processes for a big batch: each costs ~2 CPU s to start; pays off only with idle cores (see
    # docs/benchmarks.md, receipts), so off unless the server has them
    config.setdefault("RECEIPT_RENDER_PROCESSES", 1)
    config.setdefault("RECEIPT_PARALLEL_MIN", 150)  # a batch this big is rendered in several processes
    # a bigger batch asked for by URL is sent to the batch page, which prints it as a background job
    config.setdefault("RECEIPT_INLINE_MAX", 100)


PUBLIC_ENDPOINTS = frozenset({"receipts.status", "receipts.lookup"})
PRINTERS = frozenset({Role.COLLECTOR, Role.CLERK, Role.MANAGER, Role.ADMIN})
PAD_MAKERS = frozenset({Role.COLLECTOR, Role.CLERK, Role.ADMIN})

public_limit = limiter.shared_limit(
    lambda: current_app.config["PUBLIC_LOOKUP_RATE_LIMIT"], scope="public-lookup"
)


# ---- public status -------------------------------------------------------------------------------


@bp.get("/r", strict_slashes=False)  # "/r/" as well: people type the address either way
@public_limit
def lookup() -> ResponseReturnValue:
    """The page where a code is typed; with ?code= it answers like /r/<code>."""
    typed = request.args.get("code", "")
    if not typed.strip():
        return _public(render_template("receipts/lookup.html"))
    return _status_page(typed[:40])


@bp.get("/r/<code>", endpoint="status")
@public_limit
def status_page(code: str) -> ResponseReturnValue:
    return _status_page(code[:40])


def _status_page(typed: str) -> Response:
    found = status.lookup(typed)
    if found is None:
        return _public(render_template("receipts/not_found.html"), 404)
    return _public(render_template("receipts/status.html", status=found))


def _public(html: str, code: int = 200) -> Response:
    response = Response(html, status=code, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.errorhandler(429)
def _too_many(exc: HTTPException) -> ResponseReturnValue:
    if request.endpoint not in PUBLIC_ENDPOINTS:
        return error_response(429)
    response = _public(render_template("receipts/too_many.html"), 429)
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers.setdefault(name, value)
    return response


# ---- PDFs for staff and collectors ----------------------------------------------------------------


@bp.errorhandler(401)
@bp.errorhandler(403)
@bp.errorhandler(404)
def _refused(exc: HTTPException) -> ResponseReturnValue:
    """Refusals on the receipt routes: a page without the usual layout, whose language link would
    repeat the requested path (and the receipt code in it) back to someone who may not see it."""
    code = exc.code or 404
    if request.endpoint in PUBLIC_ENDPOINTS or wants_json():
        return error_response(code)
    page = render_template("receipts/plain_error.html", code=code, message=default_message(code))
    return Response(page, status=code, mimetype="text/html")


def _printer() -> User:
    """The caller (bearer token or session) allowed to print; 401 / login redirect otherwise."""
    user = acting_user()
    if user is None:
        if bearer_token() or wants_json():
            abort(401)
        # to the sign-in page and back; no body, which would repeat the path and the code in it
        login = url_for("accounts.login", next=request.full_path.rstrip("?"))
        abort(Response(status=302, headers={"Location": login}))
    if user.role not in PRINTERS:
        abort(403)
    return user


def _pdf_response(pdf: bytes, filename: str) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _base_url() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or request.url_root


def _load(schema: Any, data: Any) -> Any:
    try:
        return schema(data)
    except ValidationError as exc:
        abort(error_response(422, errors=flatten_errors(exc.messages)))


@bp.get("/receipts/<code>.pdf")
def pdf(code: str) -> ResponseReturnValue:
    """One receipt: staff of the record's area, or the collector who captured it; 404 for anyone else."""
    user = _printer()
    options = _load(ReceiptPdfQuery().load, dict(request.args.items()))
    code = normalize_code(code)
    record = services.receipt_for(user, code) if is_valid_code(code) else None
    if record is None:
        abort(404)
    body = receipts_pdf(slips.record_slips([record], _base_url()), Format(options["format"]))
    return _pdf_response(body, f"bien-nhan-{code}.pdf")


@bp.get("/receipts/batch")
def batch() -> ResponseReturnValue:
    """The page to choose a village (or a filter of the queue) and print all its receipts."""
    return _batch_page(_printer())


def _batch_page(user: User, errors: dict[str, list[str]] | None = None, status: int = 200) -> Any:
    """The batch page; after a refused filter, with what was typed and each field's reason."""
    villages = services.villages_of(user)
    communes = services.units_by_code({commune for commune, _village, _count in villages})
    html = render_template(
        "receipts/batch.html",
        villages=villages,
        communes=communes,
        state_choices=[(state.value, label) for state, label in STATE_LABELS.items()],
        type_choices=[(kind.value, label) for kind, label in slips.TYPE_LABELS.items()],
        max_batch=current_app.config["RECEIPT_BATCH_MAX"],
        can_make_pads=user.role in PAD_MAKERS,
        errors=errors or {},
        form=request.form if errors else {},
    )
    return html, status


@bp.get("/receipts/batch.pdf")
def batch_pdf() -> ResponseReturnValue:
    user = _printer()
    wanted, fmt = _load(BatchQuery().load_filter, request.args)
    limit = current_app.config["RECEIPT_BATCH_MAX"]
    records = services.receipts_matching(user, wanted, limit)
    if not records:
        abort(error_response(404, _("Không có biên nhận nào khớp với bộ lọc.")))
    if len(records) > limit:
        message = _("Quá %(n)s biên nhận; hãy chọn từng thôn, bản hoặc thu hẹp khoảng ngày.", n=limit)
        abort(error_response(422, message))
    if len(records) > current_app.config["RECEIPT_INLINE_MAX"]:
        message = _("Nhiều biên nhận: hãy in từ trang «In biên nhận», máy chủ chuẩn bị tệp và báo khi xong.")
        abort(error_response(422, message))
    return _pdf_response(receipts_pdf(slips.record_slips(records, _base_url()), fmt), "bien-nhan.pdf")


@bp.post("/receipts/batch")
def batch_job() -> ResponseReturnValue:
    """Print a batch as a background job: checked here, rendered by the worker, offered on the job page."""
    user = _printer()
    query = {key: value for key, value in request.form.items() if key != "csrf_token"}
    try:
        BatchQuery().load_filter(query)
    except ValidationError as exc:
        if wants_json():
            abort(error_response(422, errors=flatten_errors(exc.messages)))
        return _batch_page(user, flatten_errors(exc.messages), 422)
    job = submit(user, "receipts.batch", {"query": query, "base_url": _base_url()}, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


# ---- receipt pads -------------------------------------------------------------------------------


def _pad_maker() -> User:
    user = _printer()
    if user.role not in PAD_MAKERS:
        abort(403)
    return user


@bp.get("/receipts/pad")
def pad() -> ResponseReturnValue:
    """The form to print a pad of fresh codes for a collector (a collector: for themselves)."""
    user = _pad_maker()
    collectors = [user] if user.role is Role.COLLECTOR else services.collectors_of(user)
    return render_template("receipts/pad.html", collectors=collectors, max_size=200)


@bp.post("/receipts/pad")
@csrf.exempt  # checked below for session callers; a bearer token carries no cookie to forge
def pad_create() -> ResponseReturnValue:
    if not bearer_token() and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    user = _pad_maker()
    form = _load(PadForm().load, request.form.to_dict() or (request.get_json(silent=True) or {}))
    collector = db.session.get(User, form["collector_id"])
    if collector is None or not pad_manager_allowed(user, collector):
        abort(404)
    new_pad, codes = services.allocate_pad(collector, user, form["size"])
    return _pad_pdf_response(new_pad, codes, collector)


@bp.get("/receipts/pad.pdf")
def pad_pdf() -> ResponseReturnValue:
    """Print a pad again (?pad=<id>): its codes not yet used."""
    user = _pad_maker()
    pad_id = request.args.get("pad", "")
    number = whole_number(pad_id, low=1)
    existing = db.session.get(ReceiptPad, number) if number is not None else None
    collector = db.session.get(User, existing.user_id) if existing else None
    if existing is None or collector is None or not pad_manager_allowed(user, collector):
        abort(404)
    codes = services.unused_pad_codes(existing)
    if not codes:
        abort(error_response(404, _("Mọi mã của tập phiếu này đã được dùng.")))
    return _pad_pdf_response(existing, codes, collector)


def _pad_pdf_response(existing: ReceiptPad, codes: list[str], collector: User) -> Response:
    body = receipts_pdf(
        slips.pad_slips(codes, _base_url()), Format.PAD, collector=collector.full_name or collector.username
    )
    return _pdf_response(body, f"tap-phieu-{existing.id}.pdf")


@bp.get("/receipts")
@login_required
def index() -> ResponseReturnValue:
    return redirect(url_for("receipts.batch"))
