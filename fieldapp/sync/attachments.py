"""Attachments stored by SHA-256: idempotent, checked on arrival, resumable with Content-Range."""

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fieldapp.accounts.models import User
from fieldapp.extensions import db
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


class AttachmentStore:
    """Files under UPLOAD_DIR: objects/ab/<sha256> once complete, partial/<sha256>.<user id>.part meanwhile.

    Every user uploads into their own partial file: an upload never reveals, nor resumes from, the bytes
    another user sent. A file whose bytes are already stored is checked like any other and then kept once.
    """

    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def object_path(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / sha256

    def partial_path(self, sha256: str, user_id: int) -> Path:
        return self.root / "partial" / f"{sha256}.{user_id}.part"

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
        elif upload.size != part.total or upload.content_type != content_type:
            self.partial_path(sha256, user.id).unlink(missing_ok=True)
            upload.size, upload.content_type = part.total, content_type
        received = self._append(upload, part)
        if received == upload.size:
            self._finish(upload)
        db.session.flush()
        return Received(upload.size, received, upload.completed_at is not None)

    def receive_whole(self, sha256: str, content_type: str, body: bytes, user: User) -> Received:
        """A whole file in one piece (an import, a page scan): any earlier partial upload is dropped."""
        self.partial_path(sha256, user.id).unlink(missing_ok=True)
        return self.receive(sha256, content_type, UploadPart(0, len(body), body), user)

    def status(self, sha256: str, user: User) -> Received | None:
        """How much of the file this user sent; None if they never started (whoever else did)."""
        upload = db.session.get(AttachmentUpload, (sha256, user.id))
        if upload is None:
            return None
        if upload.completed_at is not None:
            return Received(upload.size, upload.size, True)
        path = self.partial_path(sha256, user.id)
        return Received(upload.size, path.stat().st_size if path.exists() else 0, False)

    def _append(self, upload: AttachmentUpload, part: UploadPart) -> int:
        path = self.partial_path(upload.sha256, upload.user_id)
        have = path.stat().st_size if path.exists() else 0
        if part.start != have:
            raise UploadError(
                416, _("Máy chủ đã có %(n)s byte của tệp này; hãy gửi tiếp từ đó.", n=have), have
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("ab") as out:
                out.write(part.body)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            _truncate(path, have)
            raise UploadError(
                507, _("Máy chủ không ghi được tệp (hết chỗ hoặc thư mục không ghi được).")
            ) from exc
        return have + len(part.body)

    def _finish(self, upload: AttachmentUpload) -> None:
        path = self.partial_path(upload.sha256, upload.user_id)
        if _sha256_of(path) != upload.sha256:
            path.unlink(missing_ok=True)
            raise UploadError(422, _("Nội dung tệp không khớp với mã băm SHA-256; hãy gửi lại từ đầu."), 0)
        with path.open("rb") as stream:
            head = stream.read(16)
        if not head.startswith(MAGIC[upload.content_type]):
            path.unlink(missing_ok=True)
            raise UploadError(
                415, _("Nội dung tệp không phải %(type)s như đã khai.", type=upload.content_type)
            )
        final = self.object_path(upload.sha256)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, final)  # the same bytes if another user stored them first: the hash says so
        except OSError as exc:
            raise UploadError(
                507, _("Máy chủ không ghi được tệp (hết chỗ hoặc thư mục không ghi được).")
            ) from exc
        upload.completed_at = utcnow()
        _record_object(upload)


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


def _truncate(path: Path, size: int) -> None:
    try:
        if path.exists():
            os.truncate(path, size)
    except OSError:
        pass


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


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
