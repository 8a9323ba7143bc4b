"""Compressed bodies both ways: gunzip request bodies sent with Content-Encoding: gzip (phones compress
their pushes), and brotli or gzip for large JSON answers (the registry feed) as Accept-Encoding allows."""

import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterable
from typing import Any

import brotli
from werkzeug.datastructures import Accept
from werkzeug.wsgi import get_content_length

READ_CHUNK = 64 * 1024
#: brotli 9 and gzip 9 on a registry page of 500 households: a few ms each (bench/registry_bench.py)
BROTLI_QUALITY = 9
GZIP_LEVEL = 9


def compress_body(body: bytes, accepted: Accept) -> tuple[bytes, str | None]:
    """The body in the best encoding the client accepts (brotli, then gzip), and that encoding's name."""
    if accepted.quality("br") > 0:
        return brotli.compress(body, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT), "br"
    if accepted.quality("gzip") > 0:
        return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0), "gzip"
    return body, None


class GzipRequestMiddleware:
    """WSGI middleware: inflate gzip bodies with a hard cap, so a zip bomb gets a 413, not the memory."""

    def __init__(self, app: Callable[..., Iterable[bytes]], max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        encoding = environ.get("HTTP_CONTENT_ENCODING", "").strip().lower()
        if encoding not in ("gzip", "x-gzip"):
            return self.app(environ, start_response)
        try:
            body = self._inflate(environ)
        except _TooLarge:
            return _error(start_response, 413, "Dữ liệu gửi lên quá lớn sau khi giải nén.")
        except (OSError, EOFError, zlib.error):
            return _error(start_response, 400, "Dữ liệu nén gzip bị hỏng, không giải nén được.")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        del environ["HTTP_CONTENT_ENCODING"]
        environ.pop("HTTP_TRANSFER_ENCODING", None)  # now a body of known length
        return self.app(environ, start_response)

    def _inflate(self, environ: dict[str, Any]) -> bytes:
        raw = self._read_compressed(environ)
        out = bytearray()
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            while chunk := stream.read(READ_CHUNK):
                out += chunk
                if len(out) > self.max_bytes:
                    raise _TooLarge
        return bytes(out)

    def _read_compressed(self, environ: dict[str, Any]) -> bytes:
        """The compressed body, never more than the cap: by its Content-Length, or, for a chunked body
        (no length; the server marks the stream terminated), read in pieces until the cap is passed."""
        length = get_content_length(environ)
        if length is not None:
            if length > self.max_bytes:
                raise _TooLarge
            return environ["wsgi.input"].read(length) if length else b""
        if not environ.get("wsgi.input_terminated"):
            return b""  # a stream without an end cannot be read safely (werkzeug does the same)
        raw = bytearray()
        while chunk := environ["wsgi.input"].read(READ_CHUNK):
            raw += chunk
            if len(raw) > self.max_bytes:
                raise _TooLarge
        return bytes(raw)


class _TooLarge(Exception):
    pass


def _error(start_response: Callable[..., Any], code: int, message: str) -> list[bytes]:
    status = {400: "400 Bad Request", 413: "413 Payload Too Large"}[code]
    body = json.dumps({"code": code, "status": status[4:], "message": message}, ensure_ascii=False).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
