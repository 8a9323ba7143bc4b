"""The office page for households collected on paper: the household form, keyed for its collector."""

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from fieldapp.extensions import db
from fieldapp.receipts.codes import display_code
from fieldapp.receipts.services import collectors_of
from fieldapp.records.choices import type_ahead_lists
from fieldapp.review import paper
from fieldapp.review.editing import unit_choices
from fieldapp.review.keying import typed_from
from fieldapp.review.web import bp, me, reviewer_required


def _page(
    typed: dict[str, str], errors: dict[str, list[str]] | None = None, status: int = 200
) -> ResponseReturnValue:
    user = me()
    html = render_template(
        "review/paper.html",
        collectors=collectors_of(user),
        chosen=request.form.get("collector", ""),
        record_id=request.form.get("id") or str(uuid.uuid4()),
        blocks=paper.household_blocks(user, typed, errors),
        lists=type_ahead_lists(unit_choices(user)),
        errors=errors or {},
    )
    return html, status


@bp.get("/households/new")
@reviewer_required
def paper_household() -> ResponseReturnValue:
    return _page({})


@bp.post("/households/new")
@reviewer_required
def paper_household_save() -> ResponseReturnValue:
    typed = typed_from(request.form)
    record_id = request.form.get("id", "")
    try:
        uuid.UUID(record_id)
    except ValueError:
        record_id = str(uuid.uuid4())
    result, errors, message = paper.key_household(me(), request.form.get("collector", ""), typed, record_id)
    if result is None:
        db.session.rollback()
        flash(message, "error")
        return _page(typed, errors, 422)
    flash(_("Đã lưu hộ; mã biên nhận %(code)s.", code=display_code(result["receipt_code"])), "success")
    return redirect(url_for("review.record", record_id=result["id"], state="all"))
