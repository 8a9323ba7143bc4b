"""Attachments stored by SHA-256: idempotent, checked on arrival, resumable with Content-Range.

Every user uploads into their own partial: an upload never reveals, nor resumes from, the bytes another
user sent, and a record may name only a file its user sent whole (see user_may_attach).
"""

import hashlib
import re
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.files import FileStore, file_store
from fieldapp.records.models import Record, RecordAttachment
from fieldapp.records.search import visible_records
from fieldapp.sync.models import Attachment, AttachmentUpload
from fieldapp.timeutil import utcnow

MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
_RANGE = re.compile(r"^bytes ([0-9]+)-([0-9]+)/([0-9]+)$")


class UploadError(Exception):
    """An upload the server refuses; `status` is the HTTP answer, `received` what it holds so far."""

    def __init__(self, status: int, message: str, received: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.received = received


@dataclass
class UploadPart:
    start: int
    total: int
    body: bytes


def parse_part(content_range: str | None, body: bytes, max_bytes: int) -> UploadPart:
    if not content_range:
        part = UploadPart(0, len(body), body)
    else:
        match = _RANGE.match(content_range.strip())
        if not match:
            raise UploadError(400, _("Tiêu đề Content-Range không đúng dạng «bytes đầu-cuối/tổng»."))
        start, end, total = (int(g) for g in match.groups())
        if end < start or end >= total or end - start + 1 != len(body):
            raise UploadError(400, _("Content-Range không khớp với số byte gửi lên."))
        part = UploadPart(start, total, body)
    if part.total > max_bytes:
        raise UploadError(413, _("Tệp lớn hơn giới hạn %(mb)s MB.", mb=max_bytes // (1024 * 1024)))
    if part.total == 0:
        raise UploadError(400, _("Tệp rỗng."))
    return part


@dataclass
class Received:
    """What the server holds of one user's upload of a file."""

    size: int
    received: int
    complete: bool
    #: the user had already sent the whole file before this request
    had_it: bool = False


def partial_name(sha256: str, user_id: int) -> str:
    """The partial of one user's upload of a file, in the file store."""
    return f"{sha256}.{user_id}"


class AttachmentStore:
    """Receives uploads into a file store (local folder or S3 bucket), checked by hash and type.

    A file whose bytes are already stored is received and checked like any other, then kept once.
    """

    def __init__(self, files: FileStore) -> None:
        self.files = files

    def receive(self, sha256: str, content_type: str, part: UploadPart, user: User) -> Received:
        """Take one part of the user's upload."""
        if content_type not in MAGIC:
            raise UploadError(415, _("Chỉ nhận ảnh JPEG, PNG hoặc tệp PDF."))
        upload = db.session.scalar(
            select(AttachmentUpload)
            .where(AttachmentUpload.sha256 == sha256, AttachmentUpload.user_id == user.id)
            .with_for_update()
        )
        if upload is not None and upload.completed_at is not None:
            return Received(upload.size, upload.size, True, had_it=True)
        if upload is None:
            upload = AttachmentUpload(
                sha256=sha256, user_id=user.id, content_type=content_type, size=part.total
            )
            db.session.add(upload)
        try:
            if upload.size != part.total or upload.content_type != content_type:
                self.discard(upload)
                upload.size, upload.content_type = part.total, content_type
            received = self._append(upload, part)
            if received == upload.size:
                self._finish(upload)
        except OSError as exc:  # a full disk, an unwritable folder, a bucket out of reach
            raise _cannot_store() from exc
        db.session.flush()
        return Received(upload.size, received, upload.completed_at is not None)

    def receive_whole(self, sha256: str, content_type: str, body: bytes, user: User) -> Received:
        """A whole file in one piece (an import, a page scan): any earlier partial upload is dropped."""
        try:
            self.files.truncate_partial(partial_name(sha256, user.id), 0)
        except OSError as exc:
            raise _cannot_store() from exc
        return self.receive(sha256, content_type, UploadPart(0, len(body), body), user)

    def status(self, sha256: str, user: User) -> Received | None:
        """How much of the file this user sent; None if they never started (whoever else did)."""
        upload = db.session.get(AttachmentUpload, (sha256, user.id))
        if upload is None:
            return None
        if upload.completed_at is not None:
            return Received(upload.size, upload.size, True)
        return Received(upload.size, self.files.partial_size(partial_name(sha256, user.id)), False)

    def _append(self, upload: AttachmentUpload, part: UploadPart) -> int:
        name = partial_name(upload.sha256, upload.user_id)
        have = self.files.partial_size(name)
        if part.start != have:
            raise UploadError(
                416, _("Máy chủ đã có %(n)s byte của tệp này; hãy gửi tiếp từ đó.", n=have), have
            )
        try:
            self.files.append_partial(name, have, part.body)
        except OSError:
            with suppress(OSError):
                self.files.truncate_partial(name, have)
            raise
        return have + len(part.body)

    def _finish(self, upload: AttachmentUpload) -> None:
        name = partial_name(upload.sha256, upload.user_id)
        digest = hashlib.sha256()
        head = b""
        for chunk in self.files.partial_chunks(name):
            head += chunk[: 16 - len(head)]
            digest.update(chunk)
        if digest.hexdigest() != upload.sha256:
            self.discard(upload)
            raise UploadError(422, _("Nội dung tệp không khớp với mã băm SHA-256; hãy gửi lại từ đầu."), 0)
        if not head.startswith(MAGIC[upload.content_type]):
            self.discard(upload)
            raise UploadError(
                415, _("Nội dung tệp không phải %(type)s như đã khai.", type=upload.content_type)
            )
        # the same bytes if another user stored them first: the hash says so
        self.files.promote(upload.sha256, partial=name)
        upload.completed_at = utcnow()
        _record_object(upload)

    def discard(self, upload: AttachmentUpload) -> None:
        """Forget what was received of an incomplete upload: the next part must start from 0."""
        self.files.truncate_partial(partial_name(upload.sha256, upload.user_id), 0)


def _record_object(upload: AttachmentUpload) -> None:
    """The stored file's row, once per file whoever sent it first (a concurrent twin is no error)."""
    insert_for = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {
        "sha256": upload.sha256,
        "content_type": upload.content_type,
        "size": upload.size,
        "received": upload.size,
        "complete": True,
        "uploaded_by_id": upload.user_id,
        "created_at": upload.started_at or utcnow(),
        "completed_at": upload.completed_at,
    }
    statement = insert_for(Attachment).values(values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["sha256"],
            set_={"complete": True, "received": statement.excluded.size, "completed_at": upload.completed_at},
        )
    )


def _cannot_store() -> UploadError:
    return UploadError(507, _("Máy chủ không ghi được tệp (hết chỗ hoặc thư mục không ghi được)."))


def attachment_store(config: Mapping[str, Any]) -> AttachmentStore:
    return AttachmentStore(file_store(config))


def user_may_attach(user: User, shas: set[str]) -> set[str]:
    """The files among `shas` the user may name in a record: sent whole by the user, or already part of
    a record the user may see (a clerk's push naming a photo of a record in their commune)."""
    if not shas:
        return set()
    allowed = set(
        db.session.scalars(
            select(AttachmentUpload.sha256).where(
                AttachmentUpload.user_id == user.id,
                AttachmentUpload.sha256.in_(shas),
                AttachmentUpload.completed_at.is_not(None),
            )
        )
    )
    rest = shas - allowed
    if rest:
        seen = visible_records(user).with_only_columns(Record.id).scalar_subquery()
        allowed |= set(
            db.session.scalars(
                select(RecordAttachment.sha256)
                .where(RecordAttachment.sha256.in_(rest), RecordAttachment.record_id.in_(seen))
                .distinct()
            )
        )
    return allowed
