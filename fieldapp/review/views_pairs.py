"""Office pages for duplicates: the pairs to act on and those waiting, one pair, settle or take a turn.

Nothing of a record outside the viewer's area reaches these pages: not its name, code or fields; only
what matched and what differs (stored on the pair) and whose turn it is.
"""

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.progress.areas import unit_names
from fieldapp.records.states import STATE_LABELS
from fieldapp.review import editing, pairs
from fieldapp.review.display import shown
from fieldapp.review.duplicates import CRITERIA
from fieldapp.review.pairs import OTHER, PairView, Turn
from fieldapp.review.services import ReviewRefused
from fieldapp.review.web import bp, fail, me, reviewer_required, staff_required
from fieldapp.vn.models import AdminUnit

PAGE_SIZE = 100
CRITERION_LABELS = {
    "personal_id": _l("số định danh"),
    "name": _l("họ tên"),
    "birth": _l("ngày sinh"),
    "parents": _l("cha mẹ"),
    "household": _l("thôn, xã"),
}
REASON_LABELS = {"personal_id": _l("Cùng số định danh"), "name": _l("Họ tên và năm sinh gần giống")}


@bp.get("/duplicates", endpoint="duplicates")
@staff_required
def duplicates_list() -> ResponseReturnValue:
    statement = pairs.visible_pairs(me())
    views = pairs.views_of(me(), db.session.scalars(statement.limit(PAGE_SIZE)))
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    sections = {turn: [v for v in views if v.turn is turn] for turn in Turn}
    return render_template("review/duplicates.html", sections=sections, total=total, **_helpers(views))


@bp.get("/duplicates/<int:pair_id>")
@staff_required
def duplicate(pair_id: int) -> ResponseReturnValue:
    try:
        view = pairs.find_pair(me(), pair_id)
    except ReviewRefused as refused:
        fail(refused)
        raise
    records = [r for r in (view.a, view.b) if r is not None]
    flats = [editing.flatten(r.data) for r in records]
    # the row's label already says "Xã, phường": the value is the commune's own name
    codes = sorted({r.commune_code for r in records})
    names = select(AdminUnit.code, AdminUnit.short_name).where(AdminUnit.code.in_(codes))
    units = {code: name for code, name in db.session.execute(names)}
    paths = list(dict.fromkeys(p for flat in flats for p in flat))
    rows = [(editing.field_label(p), [shown(p, flat.get(p), flat, units) for flat in flats]) for p in paths]
    return render_template(
        "review/duplicate.html",
        view=view,
        pair=view.pair,
        records=records,
        rows=rows,
        state_labels=STATE_LABELS,
        other=OTHER,
        **_helpers([view]),
    )


@bp.post("/duplicates/<int:pair_id>")
@reviewer_required
def resolve(pair_id: int) -> ResponseReturnValue:
    """Settle a pair whose two records the reviewer sees."""
    verdict = request.form.get("verdict", "")
    try:
        pairs.resolve_pair(me(), pair_id, verdict, request.form.get("keep") or None)
    except ReviewRefused as refused:
        return _refused(pair_id, refused)
    flash(_settled_message(verdict), "success")
    return redirect(url_for("review.duplicates"))


@bp.post("/duplicates/<int:pair_id>/turn")
@reviewer_required
def take_turn(pair_id: int) -> ResponseReturnValue:
    """A clerk who sees one record of the pair: propose, or agree with the other commune's proposal."""
    verdict = request.form.get("verdict", "")
    try:
        outcome = pairs.take_turn(me(), pair_id, verdict, request.form.get("keep") or None)
    except ReviewRefused as refused:
        return _refused(pair_id, refused)
    if outcome == "resolved":
        flash(_settled_message(verdict), "success")
    else:
        flash(_("Đã gửi đề nghị; cặp này chờ cán bộ hộ tịch của xã kia đồng ý."), "success")
    return redirect(url_for("review.duplicates"))


def _refused(pair_id: int, refused: ReviewRefused) -> ResponseReturnValue:
    if refused.status in (403, 404):
        fail(refused)
    db.session.rollback()
    flash(refused.message, "error")
    return redirect(url_for("review.duplicate", pair_id=pair_id)), 303


def _settled_message(verdict: str) -> str:
    if verdict == "duplicate":
        return _("Đã gộp hai hồ sơ; hồ sơ bị gộp được giữ lại làm lịch sử.")
    return _("Đã đánh dấu là hai người khác nhau; cặp này sẽ không bị báo trùng nữa.")


def _helpers(views: list[PairView]) -> dict:
    codes = sorted({r.commune_code for v in views for r in (v.a, v.b) if r is not None})
    return {
        "criteria": lambda keys: [CRITERION_LABELS[k] for k in CRITERIA if k in (keys or "").split(",")],
        "reason_labels": REASON_LABELS,
        "commune_names": unit_names(codes),
        "turns": Turn,
    }
