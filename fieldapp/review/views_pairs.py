"""Office pages for duplicates: the open pairs, one pair side by side, merge or dismiss."""

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.records.models import Record
from fieldapp.records.states import STATE_LABELS
from fieldapp.review import duplicates, editing
from fieldapp.review.services import ReviewRefused
from fieldapp.review.web import bp, fail, me, reviewer_required, staff_required

PAGE_SIZE = 100


@bp.get("/duplicates", endpoint="duplicates")
@staff_required
def duplicates_list() -> ResponseReturnValue:
    statement = duplicates.visible_pairs(me())
    pairs = list(db.session.scalars(statement.limit(PAGE_SIZE)))
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    ids = {p.record_a for p in pairs} | {p.record_b for p in pairs}
    rows = db.session.execute(select(Record.id, Record.subject_name).where(Record.id.in_(ids)))
    names = {record_id: name for record_id, name in rows}
    return render_template("review/duplicates.html", pairs=pairs, names=names, total=total)


@bp.get("/duplicates/<int:pair_id>")
@staff_required
def duplicate(pair_id: int) -> ResponseReturnValue:
    try:
        pair, a, b = duplicates.find_pair(me(), pair_id)
    except ReviewRefused as refused:
        fail(refused)
        raise
    left = editing.flatten(a.data) if a else {}
    right = editing.flatten(b.data) if b else {}
    paths = list(dict.fromkeys([*left, *right]))
    rows = [(editing.field_label(p), left.get(p), right.get(p)) for p in paths]
    return render_template("review/duplicate.html", pair=pair, a=a, b=b, rows=rows, state_labels=STATE_LABELS)


@bp.post("/duplicates/<int:pair_id>")
@reviewer_required
def resolve(pair_id: int) -> ResponseReturnValue:
    verdict = request.form.get("verdict", "")
    try:
        duplicates.resolve_pair(me(), pair_id, verdict, request.form.get("keep") or None)
    except ReviewRefused as refused:
        if refused.status in (403, 404):
            fail(refused)
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for("review.duplicate", pair_id=pair_id)), 303
    if verdict == "duplicate":
        flash(_("Đã gộp hai hồ sơ; hồ sơ bị gộp được giữ lại làm lịch sử."), "success")
    else:
        flash(_("Đã đánh dấu là hai người khác nhau; cặp này sẽ không bị báo trùng nữa."), "success")
    return redirect(url_for("review.duplicates"))
