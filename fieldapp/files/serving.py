"""Answering a browser with the bytes of a stored object."""

from flask import Response, request, send_file, stream_with_context

from fieldapp.files.stores import FileStore, LocalFolder, StoreUnavailable


def send_object(store: FileStore, sha256: str, mimetype: str) -> Response | None:
    """The object as a private, immutable response; None when the store does not hold it."""
    if isinstance(store, LocalFolder):
        path = store.object_path(sha256)
        if not path.is_file():
            return None
        response = send_file(path, mimetype=mimetype, max_age=86400, conditional=True, etag=sha256)
    else:
        try:
            if not store.has_object(sha256):
                return None
        except StoreUnavailable:
            return None
        response = Response(stream_with_context(store.object_chunks(sha256)), mimetype=mimetype)
        response.set_etag(sha256)
        response.make_conditional(request)
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
