"""GET /api/v1/sync/registry: the households of the caller's area, by pages, compressed. Thin."""

import json
from typing import Any

from flask import Response, request
from flask_smorest import abort

from fieldapp.accounts.auth import api_user, require_device_token
from fieldapp.apiparsing import Blueprint
from fieldapp.compression import compress_body
from fieldapp.registry import services
from fieldapp.registry.schemas import RegistryPageSchema, RegistryQuerySchema

blp = Blueprint("registry", __name__, url_prefix="/api/v1", description="The households of the area")
blp.before_request(require_device_token)


@blp.get("/sync/registry")
@blp.arguments(RegistryQuerySchema, location="query")
@blp.response(200, RegistryPageSchema)
@blp.doc(
    description="The households of the caller's area with their members and events, changed since the "
    "cursor (0: all of them). Ask again from `cursor` while `more` is true. gzip or brotli per "
    "Accept-Encoding. See docs/api.md, Registry."
)
def registry(query: dict[str, Any]) -> Response:
    try:
        page = services.feed_page(api_user(), int(query["cursor"]), query["limit"])
    except services.NoArea as refused:
        abort(403, message=refused.message)
    body, encoding = compress_body(
        json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode(), request.accept_encodings
    )
    response = Response(body, mimetype="application/json")
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "private, no-store"
    return response
