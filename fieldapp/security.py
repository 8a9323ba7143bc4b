"""Security headers on every response."""

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _add_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if _is_document(response):
            headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            headers.setdefault("Referrer-Policy", "same-origin")
            headers.setdefault("X-Frame-Options", "DENY")
            headers.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.path.startswith("/api/"):
            headers.setdefault("Cache-Control", "no-store")
        return response


def _is_document(response: Response) -> bool:
    """Pages, API answers and the service worker carry the policy headers; a script, stylesheet, image or
    font does not need them, and on 2G their bytes on every asset add up (about 8 KB on a first load)."""
    if response.mimetype in ("text/html", "application/json"):
        return True
    return request.path.endswith("sw.js") or not response.mimetype.startswith(STATIC_TYPES)


STATIC_TYPES = (
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/",
    "font/",
    "application/manifest",
)
