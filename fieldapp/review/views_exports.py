"""The queue's export: asked for with a POST, made by the background worker, offered on the job page.

The old GET address (a bookmark, a link in a message) shows what would be exported and the button that
asks for it; a GET never starts work.
"""

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_smorest import abort

from fieldapp.jobs.services import submit
from fieldapp.records.display import unit_name
from fieldapp.records.models import RecordType
from fieldapp.records.states import STATE_LABELS, State
from fieldapp.review import exports
from fieldapp.review.queue import TODO, QueueQuery, collectors_of_area
from fieldapp.review.web import TYPE_LABELS, bp, me, query_from_args, staff_required

FORMATS = {"csv": "CSV", "xlsx": "Excel"}


@bp.get("/export.<fmt>")
@staff_required
def export(fmt: str) -> ResponseReturnValue:
    if fmt not in FORMATS:
        abort(404)
    wanted = query_from_args(request.args)
    return render_template(
        "review/export.html",
        fmt=fmt,
        format_name=FORMATS[fmt],
        args=wanted.as_args(),
        selection=selection_words(wanted),
        records=exports.count_records(exports.prepare(me(), wanted)),
    )


@bp.post("/export.<fmt>")
@staff_required
def export_job(fmt: str) -> ResponseReturnValue:
    """The export as a background job, with the queue's filters; its page shows how far it is."""
    if fmt not in FORMATS:
        abort(404)
    query = query_from_args(request.form).as_args()
    job = submit(me(), "review.export", {"query": query, "format": fmt}, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id), code=303)


def selection_words(wanted: QueueQuery) -> list[tuple[str, str]]:
    """The filters as the clerk chose them, in words (label, value)."""
    user = me()
    words = [(_("Địa bàn"), unit_name(user.area_code) if user.area_code else _("Cả nước"))]
    states = {TODO: _("Cần xử lý"), "all": _("Tất cả")}
    words.append((_("Trạng thái"), states.get(wanted.state) or str(STATE_LABELS[State(wanted.state)])))
    if wanted.type:
        words.append((_("Loại hồ sơ"), str(TYPE_LABELS[RecordType(wanted.type)])))
    if wanted.q:
        words.append((_("Tìm"), wanted.q))
    if wanted.village:
        words.append((_("Thôn, bản"), wanted.village))
    if wanted.collector_id:
        name = dict(collectors_of_area(user)).get(wanted.collector_id)  # another area's: not named
        words.append((_("Người thu thập"), name or _("(không có trong địa bàn)")))
    if wanted.captured_from:
        words.append((_("Thu thập từ ngày"), f"{wanted.captured_from:%d/%m/%Y}"))
    if wanted.captured_to:
        words.append((_("Thu thập đến ngày"), f"{wanted.captured_to:%d/%m/%Y}"))
    return words
