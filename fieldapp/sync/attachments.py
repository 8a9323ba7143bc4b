"""Attachments stored by SHA-256: idempotent, checked on arrival, resumable with Content-Range."""

import hashlib
import re
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from fieldapp.files import FileStore, file_store
from fieldapp.sync.models import Attachment
from fieldapp.timeutil import utcnow

MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


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
    """Receives uploads into a file store (local folder or S3 bucket), checked by hash and type."""

    def __init__(self, files: FileStore) -> None:
        self.files = files

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
        try:
            if attachment.size != part.total or attachment.content_type != content_type:
                self.discard(attachment)
                attachment.size, attachment.content_type = part.total, content_type
            self._append(attachment, part)
            if attachment.received == attachment.size:
                self._finish(attachment)
        except OSError as exc:  # a full disk, an unwritable folder, a bucket out of reach
            raise _cannot_store() from exc
        db.session.flush()
        return attachment, False

    def _append(self, attachment: Attachment, part: UploadPart) -> None:
        have = self.files.partial_size(attachment.sha256)
        if part.start != have:
            attachment.received = have
            raise UploadError(
                416, _("Máy chủ đã có %(n)s byte của tệp này; hãy gửi tiếp từ đó.", n=have), have
            )
        try:
            self.files.append_partial(attachment.sha256, have, part.body)
        except OSError:
            with suppress(OSError):
                self.files.truncate_partial(attachment.sha256, have)
            raise
        attachment.received = have + len(part.body)

    def _finish(self, attachment: Attachment) -> None:
        digest = hashlib.sha256()
        head = b""
        for chunk in self.files.partial_chunks(attachment.sha256):
            head += chunk[: 16 - len(head)]
            digest.update(chunk)
        if digest.hexdigest() != attachment.sha256:
            self.discard(attachment)
            raise UploadError(422, _("Nội dung tệp không khớp với mã băm SHA-256; hãy gửi lại từ đầu."), 0)
        if not head.startswith(MAGIC[attachment.content_type]):
            self.discard(attachment)
            raise UploadError(
                415, _("Nội dung tệp không phải %(type)s như đã khai.", type=attachment.content_type)
            )
        self.files.promote(attachment.sha256)
        attachment.complete = True
        attachment.completed_at = utcnow()

    def discard(self, attachment: Attachment) -> None:
        """Forget what was received of an incomplete upload: the next part must start from 0."""
        self.files.truncate_partial(attachment.sha256, 0)
        attachment.received = 0


def _cannot_store() -> UploadError:
    return UploadError(507, _("Máy chủ không ghi được tệp (hết chỗ hoặc thư mục không ghi được)."))


def attachment_store(config: Mapping[str, Any]) -> AttachmentStore:
    return AttachmentStore(file_store(config))


def attachment_status(sha256: str) -> Attachment | None:
    return db.session.get(Attachment, sha256)
