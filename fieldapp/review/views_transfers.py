"""The hand-off page: national-layout exports per event type, and the bulk import of the answers."""

from datetime import date

from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_smorest import abort

from fieldapp import spreadsheets
from fieldapp.jobs.services import submit_with_input
from fieldapp.records.states import State
from fieldapp.review import handoff
from fieldapp.review.services import may_review
from fieldapp.review.web import bp, me, reviewer_required, staff_required

MAX_UPLOAD = 8 * 1024 * 1024


def _page(status: int = 200, **context: object) -> ResponseReturnValue:
    return (
        render_template(
            "review/handoff.html",
            counts=handoff.ready_counts(me()),
            titles=handoff.TITLES,
            slugs=handoff.SLUGS,
            verified=State.VERIFIED,
            transferred=State.TRANSFERRED,
            can_review=may_review(me()),
            **context,
        ),
        status,
    )


@bp.get("/handoff", endpoint="handoff")
@staff_required
def handoff_page() -> ResponseReturnValue:
    return _page()


@bp.get("/handoff/<slug>.<fmt>")
@staff_required
def handoff_export(slug: str, fmt: str) -> ResponseReturnValue:
    kind = next((k for k, s in handoff.SLUGS.items() if s == slug), None)
    state = State.TRANSFERRED if request.args.get("state") == "transferred" else State.VERIFIED
    if kind is None or fmt not in ("csv", "xlsx"):
        abort(404)
    headers = handoff.headers(kind)
    rows = handoff.rows(me(), kind, state)
    if fmt == "csv":
        body, mimetype = spreadsheets.csv_bytes(headers, rows), "text/csv; charset=utf-8"
    else:
        body = spreadsheets.xlsx_bytes([(str(handoff.TITLES[kind]), headers, rows)])
        mimetype = spreadsheets.XLSX_MIME
    response = Response(body, mimetype=mimetype)
    name = f"chuyen-he-thong-{slug}-{date.today():%Y%m%d}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/handoff/import")
@reviewer_required
def handoff_import() -> ResponseReturnValue:
    """The answers file is kept and read by the background worker; its page shows the rows as they are
    checked, then what was transferred or which rows were refused and why."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(422, error=_("Hãy chọn tệp CSV trả về từ hệ thống hộ tịch điện tử."))
    raw = upload.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        return _page(413, error=_("Tệp lớn quá 8 MB; hãy chia thành nhiều tệp."))
    job = submit_with_input(me(), "review.transfers", raw, {}, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id), code=303)
