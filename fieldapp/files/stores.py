"""Two places for the bytes of photos and page scans, behind one interface.

Objects are content-addressed: `objects/ab/<sha256>`. An upload in progress is kept as a partial: a file
appended to on the local folder; on S3, one object per received part (`partial/<sha256>/<offset>`), joined
when the last part arrives. Every app server sees the same partial, so a phone whose connection dropped can
resume through any server.
"""

import functools
import os
import shutil
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import urlparse

CHUNK = 1024 * 1024


class StoreUnavailable(OSError):
    """The bucket could not be reached or refused the operation; callers treat it like a full disk."""


def _wrapped(method: Any) -> Any:
    """Turn the S3 client's errors into StoreUnavailable, so callers handle one kind of failure."""

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return method(*args, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(str(exc)) from exc

    return call


class FileStore(Protocol):
    """What the attachment logic needs from a place that keeps bytes."""

    def partial_size(self, sha256: str) -> int: ...
    def append_partial(self, sha256: str, start: int, body: bytes) -> None: ...
    def truncate_partial(self, sha256: str, size: int) -> None: ...
    def partial_chunks(self, sha256: str) -> Iterator[bytes]: ...
    def promote(self, sha256: str, partial: str | None = None) -> None: ...
    def has_object(self, sha256: str) -> bool: ...
    def object_chunks(self, sha256: str) -> Iterator[bytes]: ...
    def put_object(self, sha256: str, body: bytes) -> None: ...
    def object_names(self) -> Iterator[str]: ...
    def put_named(self, name: str, body: bytes | BinaryIO) -> None: ...
    def named_chunks(self, name: str) -> Iterator[bytes]: ...
    def delete_named(self, name: str) -> None: ...


def object_key(sha256: str) -> str:
    return f"objects/{sha256[:2]}/{sha256}"


class LocalFolder:
    """Files under one folder: objects/ab/<sha256> once complete, partial/<sha256>.part meanwhile."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def object_path(self, sha256: str) -> Path:
        return self.root / object_key(sha256)

    def partial_path(self, sha256: str) -> Path:
        return self.root / "partial" / f"{sha256}.part"

    def partial_size(self, sha256: str) -> int:
        path = self.partial_path(sha256)
        return path.stat().st_size if path.exists() else 0

    def append_partial(self, sha256: str, start: int, body: bytes) -> None:
        path = self.partial_path(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())

    def truncate_partial(self, sha256: str, size: int) -> None:
        path = self.partial_path(sha256)
        if path.exists():
            os.truncate(path, size)

    def partial_chunks(self, sha256: str) -> Iterator[bytes]:
        yield from _file_chunks(self.partial_path(sha256))

    def promote(self, sha256: str, partial: str | None = None) -> None:
        """The partial (named `sha256` unless given) becomes the object `sha256`."""
        final = self.object_path(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.partial_path(partial or sha256), final)

    def has_object(self, sha256: str) -> bool:
        return self.object_path(sha256).is_file()

    def object_chunks(self, sha256: str) -> Iterator[bytes]:
        yield from _file_chunks(self.object_path(sha256))

    def put_object(self, sha256: str, body: bytes) -> None:
        _atomic_write(self.object_path(sha256), body)

    def object_names(self) -> Iterator[str]:
        objects = self.root / "objects"
        if objects.is_dir():
            yield from sorted(path.name for path in objects.glob("*/*") if path.is_file())

    def _named_path(self, name: str) -> Path:
        return self.root / "files" / name

    def put_named(self, name: str, body: bytes | BinaryIO) -> None:
        _atomic_write(self._named_path(name), body)

    def named_chunks(self, name: str) -> Iterator[bytes]:
        yield from _file_chunks(self._named_path(name))

    def delete_named(self, name: str) -> None:
        self._named_path(name).unlink(missing_ok=True)


class S3Bucket:
    """An S3-compatible bucket (AWS, MinIO, Ceph RGW, ...), under an optional key prefix."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _key(self, name: str) -> str:
        return self.prefix + name

    def _parts(self, sha256: str) -> list[tuple[int, str, int]]:
        """(offset, key, size) of each stored part of an upload, in order."""
        parts = []
        for item in self._list(f"partial/{sha256}/"):
            offset = int(item["Key"].rsplit("/", 1)[1])
            parts.append((offset, item["Key"], item["Size"]))
        return sorted(parts)

    def _list(self, name_prefix: str) -> Iterator[dict[str, Any]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(name_prefix)):
            yield from page.get("Contents", [])

    @_wrapped
    def partial_size(self, sha256: str) -> int:
        size = 0
        for offset, _key, length in self._parts(sha256):
            if offset != size:  # a part past a gap (an older, longer attempt) does not count
                break
            size += length
        return size

    @_wrapped
    def append_partial(self, sha256: str, start: int, body: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(f"partial/{sha256}/{start:012d}"), Body=body)

    @_wrapped
    def truncate_partial(self, sha256: str, size: int) -> None:
        doomed = [key for offset, key, _length in self._parts(sha256) if offset >= size]
        for start in range(0, len(doomed), 1000):
            batch = [{"Key": key} for key in doomed[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})

    def partial_chunks(self, sha256: str) -> Iterator[bytes]:
        for _offset, key, _length in self._parts(sha256):
            yield from self._read(key)

    @_wrapped
    def promote(self, sha256: str, partial: str | None = None) -> None:
        body = b"".join(self.partial_chunks(partial or sha256))
        self.put_object(sha256, body)
        self.truncate_partial(partial or sha256, 0)

    @_wrapped
    def has_object(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:  # a missing key is an answer, not a failure
            self.client.head_object(Bucket=self.bucket, Key=self._key(object_key(sha256)))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def object_chunks(self, sha256: str) -> Iterator[bytes]:
        yield from self._read(self._key(object_key(sha256)))

    def _read(self, key: str) -> Iterator[bytes]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
            try:
                yield from body.iter_chunks(CHUNK)
            finally:
                body.close()
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(str(exc)) from exc

    @_wrapped
    def put_object(self, sha256: str, body: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(object_key(sha256)), Body=body)

    def object_names(self) -> Iterator[str]:
        for item in self._list("objects/"):
            yield item["Key"].rsplit("/", 1)[1]

    @_wrapped
    def put_named(self, name: str, body: bytes | BinaryIO) -> None:
        key = self._key(f"files/{name}")
        if isinstance(body, bytes):
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body)
        else:  # a big job file: sent in parts, never whole in memory
            self.client.upload_fileobj(body, self.bucket, key)

    def named_chunks(self, name: str) -> Iterator[bytes]:
        yield from self._read(self._key(f"files/{name}"))

    @_wrapped
    def delete_named(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(f"files/{name}"))


def _atomic_write(path: Path, body: bytes | BinaryIO) -> None:
    """Readers see the whole file or none of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    if isinstance(body, bytes):
        temporary.write_bytes(body)
    else:
        with temporary.open("wb") as out:
            shutil.copyfileobj(body, out, CHUNK)
    os.replace(temporary, path)


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


_clients: dict[tuple[str, str], Any] = {}
_clients_lock = threading.Lock()


def _s3_client(endpoint_url: str, region: str) -> Any:
    """One client per process and endpoint: creating one costs tens of milliseconds."""
    import boto3
    from botocore.config import Config

    with _clients_lock:
        key = (endpoint_url, region)
        if key not in _clients:
            _clients[key] = boto3.client(
                "s3",
                endpoint_url=endpoint_url or None,
                region_name=region or None,
                config=Config(retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5),
            )
        return _clients[key]


def file_store(config: Mapping[str, Any]) -> FileStore:
    """The store the settings name: FILE_STORAGE `s3://bucket/prefix`, or else the UPLOAD_DIR folder."""
    target = config.get("FILE_STORAGE") or ""
    if not target:
        return LocalFolder(config["UPLOAD_DIR"])
    parsed = urlparse(target)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"FILE_STORAGE must be empty or s3://bucket/prefix, not {target!r}")
    client = _s3_client(config.get("S3_ENDPOINT_URL") or "", config.get("S3_REGION") or "")
    return S3Bucket(client, parsed.netloc, parsed.path)
