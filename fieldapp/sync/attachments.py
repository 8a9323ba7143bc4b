"""Attachments stored by SHA-256: idempotent, checked on arrival, resumable with Content-Range."""

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.sync.models import Attachment
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


class AttachmentStore:
    """Files under UPLOAD_DIR: objects/ab/<sha256> once complete, partial/<sha256>.part meanwhile."""

    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def object_path(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / sha256

    def partial_path(self, sha256: str) -> Path:
        return self.root / "partial" / f"{sha256}.part"

    def receive(
        self, sha256: str, content_type: str, part: UploadPart, user: User
    ) -> tuple[Attachment, bool]:
        """Take one part of an upload; returns the attachment and whether it was already complete."""
        if content_type not in MAGIC:
            raise UploadError(415, _("Chỉ nhận ảnh JPEG, PNG hoặc tệp PDF."))
        attachment = db.session.scalar(
            select(Attachment).where(Attachment.sha256 == sha256).with_for_update()
        )
        if attachment is not None and attachment.complete:
            return attachment, True
        if attachment is None:
            attachment = Attachment(
                sha256=sha256, content_type=content_type, size=part.total, received=0, uploaded_by_id=user.id
            )
            db.session.add(attachment)
        elif attachment.size != part.total or attachment.content_type != content_type:
            self._discard(attachment)
            attachment.size, attachment.content_type = part.total, content_type
        self._append(attachment, part)
        if attachment.received == attachment.size:
            self._finish(attachment)
        db.session.flush()
        return attachment, False

    def _append(self, attachment: Attachment, part: UploadPart) -> None:
        path = self.partial_path(attachment.sha256)
        have = path.stat().st_size if path.exists() else 0
        if part.start != have:
            attachment.received = have
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
        attachment.received = have + len(part.body)

    def _finish(self, attachment: Attachment) -> None:
        path = self.partial_path(attachment.sha256)
        if _sha256_of(path) != attachment.sha256:
            self._discard(attachment)
            raise UploadError(422, _("Nội dung tệp không khớp với mã băm SHA-256; hãy gửi lại từ đầu."), 0)
        with path.open("rb") as stream:
            head = stream.read(16)
        if not head.startswith(MAGIC[attachment.content_type]):
            self._discard(attachment)
            raise UploadError(
                415, _("Nội dung tệp không phải %(type)s như đã khai.", type=attachment.content_type)
            )
        final = self.object_path(attachment.sha256)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, final)
        except OSError as exc:
            raise UploadError(
                507, _("Máy chủ không ghi được tệp (hết chỗ hoặc thư mục không ghi được).")
            ) from exc
        attachment.complete = True
        attachment.completed_at = utcnow()

    def _discard(self, attachment: Attachment) -> None:
        self.partial_path(attachment.sha256).unlink(missing_ok=True)
        attachment.received = 0


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


def attachment_status(sha256: str) -> Attachment | None:
    return db.session.get(Attachment, sha256)
