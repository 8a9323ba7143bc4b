"""Office pages for register books: the inventory, one book's progress, page scans, keying entries."""

from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from marshmallow import ValidationError

from fieldapp.errors import flatten_errors
from fieldapp.extensions import db
from fieldapp.numbers import whole_number
from fieldapp.records.choices import type_ahead_lists
from fieldapp.records.formvalues import typed_warnings
from fieldapp.records.states import STATE_LABELS, State
from fieldapp.review import books, editing, keying
from fieldapp.review.models import RegisterBook
from fieldapp.review.schemas import BookSchema
from fieldapp.review.services import ReviewRefused
from fieldapp.review.web import bp, fail, me, reviewer_required, staff_required

#: the highest page number of a register book
MAX_PAGE = 9999


@bp.get("/books", endpoint="books")
@staff_required
def books_list(errors: dict[str, list[str]] | None = None, status: int = 200) -> ResponseReturnValue:
    progress = books.inventory(me())
    html = render_template(
        "review/books.html",
        progress=progress,
        communes=books.commune_names({p.book.commune_code for p in progress}),
        labels=books.BOOK_LABELS,
        errors=errors or {},
        form=request.form,
    )
    return html, status


@bp.post("/books")
@reviewer_required
def book_create() -> ResponseReturnValue:
    form = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
    try:
        values = BookSchema().load(form)
        book = books.create_book(me(), values)
    except ValidationError as exc:
        return books_list(flatten_errors(exc.messages), 422)
    except ReviewRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return books_list(refused.errors, refused.status)
    flash(_("Đã thêm sổ vào danh mục."), "success")
    return redirect(url_for("review.book", book_id=book.id))


def _book(book_id: int) -> RegisterBook:
    try:
        return books.find_book(me(), book_id)
    except ReviewRefused as refused:
        fail(refused)
        raise


@bp.get("/books/<int:book_id>")
@staff_required
def book(book_id: int) -> ResponseReturnValue:
    return _book_page(_book(book_id))


def _book_page(
    found: RegisterBook, errors: dict[str, list[str]] | None = None, status: int = 200, typed: Any = None
) -> ResponseReturnValue:
    page = request.values.get("page", "1")
    page_number = whole_number(page, low=1, high=MAX_PAGE) or 1
    typed = typed if typed is not None else session.get(_carry_key(found), {})
    scans = keying.scans_of(found)
    html = render_template(
        "review/book.html",
        book=found,
        progress=books.progress_of(found),
        labels=books.BOOK_LABELS,
        blocks=keying.entry_blocks(found, typed, errors),
        lists=type_ahead_lists(keying.book_units(found)),
        page_number=page_number,
        scan=books.page_scan(found, page_number),
        scans={p: url_for("review.attachment", sha256=sha) for p, sha in scans.items()},
        entries=books.entries_of(found, limit=20),
        state_labels=STATE_LABELS,
        errors=errors or {},
        entry_number=typed.get("entry_number") or keying.next_entry_number(found),
        today=keying.today_of(me()),
    )
    return html, status


def _carry_key(book: RegisterBook) -> str:
    return f"carry-{book.id}"


@bp.post("/books/<int:book_id>/pages")
@reviewer_required
def book_page(book_id: int) -> ResponseReturnValue:
    found = _book(book_id)
    page = whole_number(request.form.get("page"), low=1, high=MAX_PAGE)
    upload = request.files.get("scan")
    if page is None:
        return _book_page(found, {"page": [_("Số trang không hợp lệ.")]}, 422)
    try:
        books.upload_page(
            me(),
            found,
            page,
            upload.read() if upload else b"",
            (upload.mimetype if upload else "") or "",
            current_app.config,
            current_app.config["ATTACHMENT_MAX_BYTES"],
        )
    except ReviewRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return _book_page(found, refused.errors, refused.status)
    flash(_("Đã lưu bản quét trang %(page)s.", page=page), "success")
    return redirect(url_for("review.book", book_id=found.id, page=page))


@bp.post("/books/<int:book_id>/entries")
@reviewer_required
def book_entry(book_id: int) -> ResponseReturnValue:
    """Save one keyed entry. The keying page posts it in the background and asks for JSON (no page load
    between entries); without scripts the form posts and the page comes back as usual."""
    found = _book(book_id)
    form = request.form
    typed = keying.typed_from(form)
    page = whole_number(form.get("page"), low=1, high=MAX_PAGE)
    entry_number = form.get("entry_number", "")
    wants_json = request.accept_mimetypes.best == "application/json"
    if page is None:
        errors, message = {"page": [_("Số trang không hợp lệ.")]}, _("Số trang không hợp lệ.")
        return _refused(found, errors, message, {**typed, "entry_number": entry_number}, wants_json)
    record_id, errors, message = keying.key_entry(me(), found, page, entry_number, typed)
    if record_id is None:
        db.session.rollback()
        return _refused(found, errors, message, {**typed, "entry_number": entry_number}, wants_json)
    session[_carry_key(found)] = keying.carried(found, typed)
    message = _("Đã lưu số %(n)s.", n=entry_number)
    for path, warnings in typed_warnings(found.type, typed).items():  # saved, but worth a second look
        field = editing.field_label(path, found.type)
        message += " " + _("Lưu ý (%(field)s): %(warning)s", field=field, warning=" ".join(warnings))
    if wants_json:
        return jsonify(_saved_answer(found, record_id, entry_number, page, typed, message))
    flash(message, "success")
    return redirect(url_for("review.book", book_id=found.id, page=page))


def _refused(
    found: RegisterBook, errors: dict[str, list[str]], message: str, typed: dict[str, str], wants_json: bool
) -> ResponseReturnValue:
    if wants_json:
        return jsonify({"message": message, "errors": errors}), 422
    flash(message, "error")
    return _book_page(found, errors, 422, typed)


def _saved_answer(
    found: RegisterBook, record_id: str, entry_number: str, page: int, typed: dict[str, str], message: str
) -> dict[str, Any]:
    today = keying.today_of(me())
    progress = books.progress_of(found)
    name_path = next(p for p in typed if p.endswith("full_name"))
    return {
        "message": message,
        "next_entry": keying.next_entry_number(found),
        "today": str(today),
        "progress": str(progress),
        "row": {
            "page": page,
            "entry_number": entry_number,
            "name": typed.get(name_path, ""),
            "url": url_for("review.record", record_id=record_id, state="all"),
            "state": str(STATE_LABELS[State.SUBMITTED]),
        },
    }


@bp.post("/books/<int:book_id>/complete")
@reviewer_required
def book_complete(book_id: int) -> ResponseReturnValue:
    found = _book(book_id)
    books.set_complete(me(), found, request.form.get("complete") == "1")
    return redirect(url_for("review.book", book_id=found.id))
