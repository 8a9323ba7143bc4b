"""Office pages for register books: the inventory, one book's progress, page scans, keying entries."""

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from marshmallow import ValidationError

from fieldapp.errors import flatten_errors
from fieldapp.extensions import db
from fieldapp.numbers import whole_number
from fieldapp.records.states import STATE_LABELS
from fieldapp.review import books
from fieldapp.review.models import RegisterBook
from fieldapp.review.schemas import BookSchema
from fieldapp.review.services import ReviewRefused
from fieldapp.review.web import bp, fail, me, reviewer_required, staff_required

#: the highest page number of a register book
MAX_PAGE = 9999


@bp.get("/books", endpoint="books")
@staff_required
def books_list(errors: dict[str, list[str]] | None = None, status: int = 200) -> ResponseReturnValue:
    html = render_template(
        "review/books.html",
        progress=books.inventory(me()),
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
    entries = books.entries_of(found)
    html = render_template(
        "review/book.html",
        book=found,
        progress=books.progress_of(found),
        labels=books.BOOK_LABELS,
        fields=books.ENTRY_FIELDS[found.type],
        page_number=page_number,
        scan=books.page_scan(found, page_number),
        entries=entries,
        state_labels=STATE_LABELS,
        errors=errors or {},
        typed=typed or {},
        next_entry=_next_entry(entries),
    )
    return html, status


def _next_entry(entries: list[Any]) -> str:
    last = entries[0].entry_number if entries else "0"
    number = whole_number(last)
    return "" if number is None else str(number + 1)


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
    found = _book(book_id)
    form = request.form
    typed = {k[2:]: v for k, v in form.items() if k.startswith("d:")}
    page = whole_number(form.get("page"), low=1, high=MAX_PAGE)
    if page is None:
        return _book_page(found, {"page": [_("Số trang không hợp lệ.")]}, 422, typed)
    record_id, errors = books.key_entry(
        me(), found, page, form.get("entry_number", ""), typed, form.get("village", "")
    )
    if record_id is None:
        db.session.rollback()
        flash(_("Mục này chưa lưu được; xem lỗi từng trường."), "error")
        return _book_page(found, errors, 422, {**typed, "village": form.get("village", "")})
    flash(_("Đã nhập số thứ tự %(n)s.", n=form.get("entry_number", "")), "success")
    return redirect(url_for("review.book", book_id=found.id, page=page, village=form.get("village", "")))


@bp.post("/books/<int:book_id>/complete")
@reviewer_required
def book_complete(book_id: int) -> ResponseReturnValue:
    found = _book(book_id)
    books.set_complete(me(), found, request.form.get("complete") == "1")
    return redirect(url_for("review.book", book_id=found.id))
