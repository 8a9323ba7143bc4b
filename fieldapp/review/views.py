"""Office pages: the work queue and the record page. Thin: rules live in the services."""

from datetime import date
from typing import Any

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_smorest import abort
from sqlalchemy import exists, select

from fieldapp.extensions import db
from fieldapp.files import file_store
from fieldapp.files.serving import send_object
from fieldapp.numbers import whole_number
from fieldapp.records.choices import type_ahead_lists
from fieldapp.records.documents import DOCUMENT_KINDS
from fieldapp.records.models import Record, RecordAttachment
from fieldapp.records.states import ACTION_LABELS, STATE_LABELS, Action, State, allowed_from
from fieldapp.review import editing, history, links, queue, services
from fieldapp.review.models import RegisterEntry, RegisterPage
from fieldapp.review.web import (
    bp,
    fail,
    me,
    parse_date,
    query_from_args,
    reviewer_required,
    staff_required,
)
from fieldapp.sync.models import Attachment

#: actions the office page may take straight from "submitted": review starts with them
AUTO_START = (Action.VERIFY, Action.RETURN, Action.REJECT)


@bp.get("/", endpoint="queue")
@staff_required
def queue_view() -> ResponseReturnValue:
    user = me()
    wanted = query_from_args(request.args)
    try:
        page = queue.queue_page(user, wanted)
    except queue.BadCursor:
        abort(400, message=_("Con trỏ trang không hợp lệ."))
    return render_template(
        "review/queue.html",
        page=page,
        wanted=wanted,
        args=wanted.as_args(),
        villages=queue.villages_of_area(user),
        collectors=queue.collectors_of_area(user),
        state_labels=STATE_LABELS,
    )


@bp.get("/records/<record_id>")
@staff_required
def record(record_id: str) -> ResponseReturnValue:
    return _record_page(_find(record_id))


def _record_page(
    found: Record, status: int = 200, errors: dict[str, list[str]] | None = None, typed: Any = None
) -> ResponseReturnValue:
    user = me()
    wanted = query_from_args(request.args)
    previous_id, next_id = queue.neighbours(user, wanted, found)
    html = render_template(
        "review/record.html",
        record=found,
        blocks=editing.form_blocks(found, user, typed, errors),
        lists=type_ahead_lists(editing.units_for(user, found)),
        field_label=editing.field_label,
        typed=typed or {},
        errors=errors or {},
        editable=services.may_review(user) and found.state in editing.EDITABLE_STATES,
        locked=editing.LOCKED_FIELDS,
        can_review=services.may_review(user),
        actions=_allowed_actions(found),
        action_labels=ACTION_LABELS,
        state_labels=STATE_LABELS,
        files=_files_of(found),
        comments=services.comments_of(found),
        history=history.versions_of(found, user),
        door_check=links.door_check_of(found, user),
        household=links.household_of(found, user),
        follow_ups=links.follow_ups_of(found, user),
        trail=history.trail_of(found),
        undo=_pending_undo(found),
        duplicates=_open_pairs(found),
        args=wanted.as_args(),
        previous_id=previous_id,
        next_id=next_id,
        today=date.today().isoformat(),
        document_kinds=DOCUMENT_KINDS,
    )
    return html, status


def _pending_undo(found: Record) -> bool:
    """The decision just taken on this record, offered for undo once, on the page it led to."""
    pending = session.get("undo")
    if not pending or pending.get("record") != found.id:
        return False
    session.pop("undo")
    return pending.get("version") == found.version


def _find(record_id: str, *, for_update: bool = False) -> Record:
    try:
        return services.find_record(me(), record_id, for_update=for_update)
    except services.ReviewRefused as refused:
        fail(refused)
        raise


def _allowed_actions(found: Record) -> list[Action]:
    allowed = [a for a in services.REVIEW_ACTIONS if found.state in allowed_from(a)]
    if found.state is State.SUBMITTED:
        allowed += list(AUTO_START)
    return allowed


@bp.post("/records/<record_id>/action")
@reviewer_required
def act(record_id: str) -> ResponseReturnValue:
    found = _find(record_id, for_update=True)
    form = request.form
    version = whole_number(form.get("version", "0"))
    try:
        action = Action(form.get("action", ""))
    except ValueError:
        abort(400)
        raise
    if version is None:
        abort(400)
    try:
        if action in AUTO_START and found.state is State.SUBMITTED:
            services.review(found, me(), Action.START, base_version=version)
        services.review(
            found,
            me(),
            action,
            comment=form.get("comment"),
            registration_number=form.get("registration_number"),
            registration_date=parse_date(form.get("registration_date", "")),
            base_version=version,
            documents=form.getlist("documents"),
        )
    except services.ReviewRefused as refused:
        if refused.status in (403, 404):
            fail(refused)
        db.session.rollback()
        flash(refused.message, "error")
        return _record_page(_find(record_id), refused.status, refused.errors)
    flash(_("Đã %(action)s.", action=ACTION_LABELS[action]), "success")
    if action in services.UNDOABLE:
        session["undo"] = {"record": found.id, "version": found.version}
    return redirect(url_for("review.record", record_id=found.id, **query_from_args(request.args).as_args()))


@bp.post("/records/<record_id>/undo")
@reviewer_required
def undo(record_id: str) -> ResponseReturnValue:
    found = _find(record_id, for_update=True)
    try:
        undone = services.undo(found, me(), int(request.form.get("version", "0") or 0))
    except services.ReviewRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return _record_page(_find(record_id), refused.status)
    except ValueError:
        abort(400)
    flash(_("Đã hoàn tác: %(action)s.", action=ACTION_LABELS[undone]), "success")
    return redirect(url_for("review.record", record_id=found.id, **query_from_args(request.args).as_args()))


@bp.post("/records/<record_id>/edit")
@reviewer_required
def edit(record_id: str) -> ResponseReturnValue:
    found = _find(record_id, for_update=True)
    typed = {k[2:]: v for k, v in request.form.items() if k.startswith("f:")}
    try:
        changed = editing.edit_record(found, me(), typed, whole_number(request.form.get("version")) or 0)
    except services.ReviewRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return _record_page(_find(record_id), refused.status, refused.errors, typed)
    except ValueError:
        abort(400)
    if changed:
        flash(_("Đã lưu %(n)s thay đổi (phiên bản %(v)s).", n=len(changed), v=found.version), "success")
    else:
        flash(_("Không có gì thay đổi."), "info")
    return redirect(url_for("review.record", record_id=found.id, **query_from_args(request.args).as_args()))


@bp.post("/records/<record_id>/comment")
@reviewer_required
def comment(record_id: str) -> ResponseReturnValue:
    found = _find(record_id)
    try:
        services.add_comment(found, me(), request.form.get("body", ""))
    except services.ReviewRefused as refused:
        flash(refused.message, "error")
        return _record_page(found, refused.status, refused.errors)
    flash(_("Đã thêm ghi chú."), "success")
    return redirect(url_for("review.record", record_id=found.id, **query_from_args(request.args).as_args()))


@bp.get("/attachments/<sha256>")
@staff_required
def attachment(sha256: str) -> ResponseReturnValue:
    """Bytes of a photo or page scan, only if it belongs to a record or book in the user's area."""
    from fieldapp.records.search import visible_records
    from fieldapp.review.books import book_scan_visible

    user = me()
    of_record = visible_records(user).where(
        exists().where(RecordAttachment.record_id == Record.id, RecordAttachment.sha256 == sha256)
    )
    allowed = db.session.scalar(select(of_record.exists())) or book_scan_visible(user, sha256)
    stored = db.session.get(Attachment, sha256) if allowed else None
    if stored is None or not stored.complete:
        abort(404)
    response = send_object(file_store(current_app.config), sha256, stored.content_type)
    if response is None:
        abort(404)
    return response


def _files_of(found: Record) -> list[dict[str, Any]]:
    """Photos the collector attached, then the register page the record was keyed from."""
    rows = db.session.execute(
        select(Attachment.sha256, Attachment.content_type, Attachment.complete)
        .join(RecordAttachment, RecordAttachment.sha256 == Attachment.sha256)
        .where(RecordAttachment.record_id == found.id)
    ).all()
    files = [
        {"sha256": r.sha256, "type": r.content_type, "label": _("Ảnh/tài liệu")} for r in rows if r.complete
    ]
    scan = db.session.execute(
        select(RegisterPage.sha256, RegisterEntry.page, RegisterEntry.entry_number, Attachment.content_type)
        .join(
            RegisterEntry,
            (RegisterEntry.book_id == RegisterPage.book_id) & (RegisterEntry.page == RegisterPage.page),
        )
        .join(Attachment, Attachment.sha256 == RegisterPage.sha256)
        .where(RegisterEntry.record_id == found.id)
    ).first()
    if scan is not None:
        label = _("Trang %(page)s sổ hộ tịch (số %(entry)s)", page=scan.page, entry=scan.entry_number)
        files.append({"sha256": scan.sha256, "type": scan.content_type, "label": label})
    missing = sum(1 for r in rows if not r.complete)
    if missing:
        files.append({"sha256": None, "type": None, "label": _("%(n)s tệp chưa tải lên xong", n=missing)})
    return files


def _open_pairs(found: Record) -> list[Any]:
    from fieldapp.review.pairs import open_pairs_of

    return open_pairs_of(found)


@bp.get("/export.<fmt>")
@staff_required
def export(fmt: str) -> ResponseReturnValue:
    """The queue's records as CSV or Excel, filtered like the queue, streamed."""
    from fieldapp.review import exports

    if fmt not in ("csv", "xlsx"):
        abort(404)
    wanted = query_from_args(request.args)
    wanted.after = ""
    selection = exports.prepare(me(), wanted)
    stamp = date.today().strftime("%Y%m%d")
    if fmt == "csv":
        body, mimetype = exports.csv_chunks(selection), "text/csv; charset=utf-8"
    else:
        body = exports.xlsx_chunks(selection)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="ho-so-{stamp}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


from fieldapp.review import (  # noqa: E402, F401  (their routes join bp)
    views_books,
    views_pairs,
    views_paper,
    views_transfers,
)
