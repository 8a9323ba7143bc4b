"""Every error becomes a clear answer in the user's language: JSON under /api/, a page elsewhere."""

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from fieldapp.extensions import db

log = logging.getLogger(__name__)


def default_message(code: int) -> str:
    messages = {
        400: _("Yêu cầu không hợp lệ."),
        401: _("Bạn cần đăng nhập (phiên đăng nhập đã hết hạn hoặc thiết bị đã bị thu hồi)."),
        403: _("Bạn không có quyền thực hiện thao tác này."),
        404: _("Không tìm thấy."),
        405: _("Phương thức không được hỗ trợ."),
        409: _("Dữ liệu đã bị người khác thay đổi; hãy tải lại rồi thử lại."),
        413: _("Dữ liệu gửi lên vượt quá giới hạn cho phép."),
        416: _("Phần tệp gửi lên không nối tiếp được phần máy chủ đã có."),
        415: _("Định dạng dữ liệu không được hỗ trợ."),
        422: _("Dữ liệu chưa hợp lệ; xem chi tiết từng trường."),
        429: _("Quá nhiều yêu cầu; vui lòng đợi một lát rồi thử lại."),
        503: _("Máy chủ tạm thời không lưu được dữ liệu; vui lòng thử lại sau."),
        507: _("Máy chủ hết chỗ lưu trữ; vui lòng báo quản trị viên."),
    }
    return messages.get(code, _("Đã có lỗi xảy ra; vui lòng thử lại sau."))


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(code: int, message: str | None = None, errors: dict[str, Any] | None = None) -> Response:
    """The one error shape of the API: {"code", "status", "message", "errors"?}."""
    phrase = _status_phrase(code)
    message = message or default_message(code)
    if wants_json():
        body: dict[str, Any] = {"code": code, "status": phrase, "message": message}
        if errors:
            body["errors"] = errors
        response = jsonify(body)
    else:
        html = render_template("error.html", code=code, message=message, errors=errors or {})
        response = Response(html, mimetype="text/html")
    response.status_code = code
    return response


def _status_phrase(code: int) -> str:
    from werkzeug.http import HTTP_STATUS_CODES

    return HTTP_STATUS_CODES.get(code, "Error")


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """{"data": {"members": {0: {"sex": [..]}}}} -> {"data.members.0.sex": [..]}."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, path))
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {prefix or "_schema": [str(m) for m in messages]}
    return {prefix or "_schema": [str(messages)]}


def _validation_errors(exc: HTTPException) -> dict[str, list[str]] | None:
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if not messages:
        return None
    # webargs nests errors under the location ("json", "query"); the location is noise to a user.
    if isinstance(messages, dict) and len(messages) == 1:
        messages = next(iter(messages.values()))
    return flatten_errors(messages)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        code = exc.code or 500
        if code >= 500:
            return _server_error(exc)
        message = (getattr(exc, "data", None) or {}).get("message")
        response = error_response(code, message, _validation_errors(exc))
        for name, value in ((getattr(exc, "data", None) or {}).get("headers") or {}).items():
            response.headers[name] = value
        if exc.response is None and hasattr(exc, "get_headers"):
            for name, value in exc.get_headers():
                if name.lower() != "content-type":
                    response.headers.setdefault(name, value)
        return response

    @app.errorhandler(StaleDataError)
    def _changed_meanwhile(exc: StaleDataError) -> Response:
        db.session.rollback()
        return error_response(409)

    @app.errorhandler(OperationalError)
    def _database_unavailable(exc: OperationalError) -> Response:
        db.session.rollback()
        log.error("database unavailable", extra={"event": "db_error", "error": type(exc.orig).__name__})
        return error_response(ServiceUnavailable.code)

    @app.errorhandler(RecursionError)
    def _too_deep(_exc: RecursionError) -> Response:
        # JSON nested thousands of levels deep exhausts the parser's recursion: bad input, not a crash.
        db.session.rollback()
        log.warning("request nested too deeply", extra={"event": "bad_input"})
        return error_response(400, _("Dữ liệu lồng nhau quá sâu."))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        return _server_error(exc)


def _server_error(exc: BaseException) -> Response:
    db.session.rollback()
    log.exception("unhandled error", extra={"event": "server_error"}, exc_info=exc)
    code = getattr(exc, "code", None) or InternalServerError.code
    return error_response(code if isinstance(code, int) and code >= 500 else 500)
