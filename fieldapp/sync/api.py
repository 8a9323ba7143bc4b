"""The device contract: push, pull, attachments. Thin: the rules live in services."""

from typing import Any

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_smorest import abort
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge

from fieldapp.accounts import devices
from fieldapp.accounts.auth import api_device, api_user, require_device_token
from fieldapp.apiparsing import Blueprint
from fieldapp.database import is_retryable, writes
from fieldapp.extensions import db
from fieldapp.sync import attachments, pull, services
from fieldapp.sync.schemas import (
    SHA256,
    PullQuerySchema,
    PullResponseSchema,
    PushRequestSchema,
    PushResponseSchema,
)
from fieldapp.sync.services import PUSH_ROLES

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="Push, pull and attachments")
blp.before_request(require_device_token)

#: documents what _check_sha enforces, so a client (or a fuzzer) knows a malformed hash is a 400
SHA256_PARAMETER = {
    "in": "path",
    "name": "sha256",
    "required": True,
    "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
}
PUSH_ATTEMPTS = 3


@blp.before_request
def _limit_push_body() -> None:
    """A push over the cap is refused whether it says its length or comes in chunks of unknown length.

    The cap holds while the body is read, so a chunked body is never read past it; werkzeug stops a
    chunked read at the cap without a word, so one byte more than the cap is allowed in and means 413.
    """
    if request.endpoint != "sync.push":
        return
    cap = current_app.config["PUSH_MAX_BYTES"]
    request.max_content_length = cap + 1
    try:
        too_large = len(request.get_data(cache=True)) > cap
    except RequestEntityTooLarge:
        too_large = True
    if too_large:
        abort(413, message=_("Gói dữ liệu quá lớn; hãy gửi ít hồ sơ hơn mỗi lần."))


@blp.post("/sync/push")
@blp.arguments(PushRequestSchema())  # one instance: webargs would build one per request
@blp.response(200, PushResponseSchema)
@blp.alt_response(413, description="Batch or body over the limit")
def push(payload: dict[str, Any]) -> dict[str, Any]:
    user = api_user()
    if user.role not in PUSH_ROLES:
        abort(403, message=_("Vai trò của bạn không được gửi hồ sơ."))
    for attempt in range(PUSH_ATTEMPTS):
        try:
            return {"results": services.push_batch(user, api_device(), payload["records"])}
        except (DBAPIError, StaleDataError) as exc:
            # A clash with a concurrent push (the same record changed meanwhile, a deadlock, a receipt
            # code drawn twice): start over; this time the record is answered duplicate or conflict.
            db.session.rollback()
            if not is_retryable(exc) or attempt == PUSH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@blp.get("/sync/pull")
@writes
@blp.arguments(PullQuerySchema, location="query")
@blp.response(200, PullResponseSchema)
def pull_view(query: dict[str, Any]) -> dict[str, Any]:
    config = current_app.config
    devices.note_sync(api_device(), request.headers.get("X-App-Version"), _reported_waiting())
    return pull.pull_changes(
        api_user(),
        api_device(),
        int(query["cursor"]),
        limit=config["PULL_MAX_CHANGES"],
        pool_size=config["RECEIPT_POOL_SIZE"],
    )


@blp.route("/attachments/<sha256>", methods=["PUT"], parameters=[SHA256_PARAMETER])
@blp.doc(
    summary="Upload an attachment by its SHA-256",
    description="Raw bytes (image/jpeg, image/png or application/pdf). Resumable: send parts with "
    "Content-Range: bytes start-end/total; 202 says how much the server holds, 416 says where to resume.",
    requestBody={
        "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in attachments.MAGIC}
    },
    responses={
        "201": {"description": "Stored"},
        "200": {"description": "Already had it"},
        "202": {"description": "Part stored"},
        "416": {"description": "Resume from `received`"},
        "400": {"description": "Malformed hash or Content-Range"},
        "413": {"description": "Larger than the attachment limit"},
        "415": {"description": "Not a JPEG, PNG or PDF, or not what the Content-Type says"},
        "422": {"description": "The bytes do not hash to the SHA-256 in the path; send again from 0"},
        "507": {"description": "The server cannot store files now (disk full); retry later"},
    },
)
def put_attachment(sha256: str) -> ResponseReturnValue:
    _check_sha(sha256)
    content_type = (request.mimetype or "").lower()
    max_bytes = current_app.config["ATTACHMENT_MAX_BYTES"]
    store = attachments.attachment_store(current_app.config)
    try:
        part = attachments.parse_part(request.headers.get("Content-Range"), request.get_data(), max_bytes)
        held = store.receive(sha256, content_type, part, api_user())
    except attachments.UploadError as exc:
        db.session.rollback()
        return _upload_error(exc)
    status = 200 if held.had_it else 201 if held.complete else 202
    return jsonify(_held(sha256, held)), status


@blp.route("/attachments/<sha256>", methods=["GET"], parameters=[SHA256_PARAMETER])
@blp.doc(
    summary="How much of this file the caller has uploaded (to resume an upload)",
    description="Only the caller's own upload counts: a file someone else sent is answered 404 like an "
    "unknown one, so a hash tells nothing about other users' files.",
    responses={"200": {"description": "Known"}, "404": {"description": "Nothing received from you yet"}},
)
def attachment_status(sha256: str) -> ResponseReturnValue:
    _check_sha(sha256)
    held = attachments.attachment_store(current_app.config).status(sha256, api_user())
    if held is None:
        return jsonify({"sha256": sha256, "received": 0, "complete": False}), 404
    return jsonify(_held(sha256, held))


def _held(sha256: str, held: attachments.Received) -> dict[str, Any]:
    return {"sha256": sha256, "size": held.size, "received": held.received, "complete": held.complete}


def _reported_waiting() -> int | None:
    """X-Outbox-Count: how many records the phone still holds unsent (a device list column only)."""
    value = request.headers.get("X-Outbox-Count", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 7 else None


def _check_sha(sha256: str) -> None:
    try:
        SHA256(sha256)
    except Exception:
        abort(400, message=_("Mã băm SHA-256 gồm 64 ký tự hex thường."))


def _upload_error(exc: attachments.UploadError) -> ResponseReturnValue:
    from fieldapp.errors import error_response

    response = error_response(exc.status, exc.message)
    if exc.received is not None:
        response.headers["Upload-Offset"] = str(exc.received)
    return response
