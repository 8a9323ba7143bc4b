"""The office import of a phone's export file: the same push rules, with the collector as the author.

A phone that cannot reach the server for days exports its unsent records and photos to one JSON file.
A clerk imports it here. Records go through ``push_batch`` under the collector's name with
``Source.IMPORT``: their UUIDs make a second import, or a later sync from the phone, a duplicate.
"""

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from fieldapp.accounts.models import Role, User
from fieldapp.accounts.scope import covers
from fieldapp.extensions import db
from fieldapp.records.models import Source
from fieldapp.sync import attachments
from fieldapp.sync.schemas import load_push_items
from fieldapp.sync.services import push_batch
from fieldapp.vn.models import AdminUnit

FILE_FORMAT = "fieldapp-outbox"
FILE_VERSION = 1
MAX_RECORDS = 2000
CHUNK = 100  # records per push_batch call, under PUSH_MAX_RECORDS
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ImportRefused(Exception):
    """The file cannot be imported at all; `message` says why, for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportResult:
    collector: User
    results: list[dict[str, Any]]
    photos_stored: int = 0
    photo_errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r["status"] == status)


def parse_file(raw: bytes) -> dict[str, Any]:
    try:
        content = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportRefused(_("Tệp không đọc được: không phải tệp xuất từ ứng dụng thu thập.")) from exc
    if not isinstance(content, dict) or content.get("format") != FILE_FORMAT:
        raise ImportRefused(_("Tệp không đọc được: không phải tệp xuất từ ứng dụng thu thập."))
    if content.get("version") != FILE_VERSION:
        raise ImportRefused(_("Phiên bản tệp xuất không được hỗ trợ."))
    records = content.get("records")
    if not isinstance(records, list) or len(records) > MAX_RECORDS:
        raise ImportRefused(_("Tệp xuất không có danh sách hồ sơ hợp lệ."))
    return content


def find_collector(clerk: User, content: dict[str, Any]) -> User:
    """The collector the file names, if the clerk's area covers theirs (else the same refusal)."""
    named = content.get("collector") or {}
    user_id, username = named.get("id"), named.get("username")
    collector = db.session.get(User, user_id) if isinstance(user_id, int) else None
    refusal = ImportRefused(_("Tệp không thuộc một cán bộ thu thập trong địa bàn của bạn."))
    if collector is None or collector.username != username or collector.role is not Role.COLLECTOR:
        raise refusal
    area = collector.area_code
    if not area:
        raise refusal
    province = area if len(area) == 2 else _province_of(area)
    if not covers(clerk, province, None if len(area) == 2 else area):
        raise refusal
    return collector


def _province_of(commune_code: str) -> str | None:
    return db.session.scalar(select(AdminUnit.province_code).where(AdminUnit.code == commune_code))


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, count: int = 1) -> None: ...


def import_export(
    clerk: User, raw: bytes, config: Mapping[str, Any], progress: Progress | None = None
) -> ImportResult:
    """Check and import one export file. Flushes, never commits."""
    content = parse_file(raw)
    collector = find_collector(clerk, content)
    result = ImportResult(collector, [])
    photos, records = content.get("photos") or [], content["records"]
    if progress:
        progress.start(len(photos) + len(records))
    _store_photos(photos, collector, config, result)
    if progress:
        progress.advance(len(photos))
    for start in range(0, len(records), CHUNK):
        items = load_push_items(records[start : start + CHUNK])
        result.results += push_batch(collector, None, items, source=Source.IMPORT)
        if progress:
            progress.advance(len(items))
    return result


def check_file(clerk: User, raw: bytes) -> User:
    """What can be refused at once, before the import is queued: the file's form and its collector."""
    return find_collector(clerk, parse_file(raw))


#: each record's outcome, in words
OUTCOMES = {
    "created": _l("Hồ sơ mới"),
    "duplicate": _l("Đã có trước đó"),
    "updated": _l("Cập nhật"),
    "conflict": _l("Xung đột"),
    "invalid": _l("Không hợp lệ"),
}


def summary(result: ImportResult) -> dict[str, Any]:
    """What the import's page shows, kept with the job."""
    return {
        "collector": result.collector.full_name or result.collector.username,
        "counts": {status: result.count(status) for status in OUTCOMES},
        "photos_stored": result.photos_stored,
        "photo_errors": result.photo_errors,
        "rows": [
            {"id": row["id"], "status": row["status"], "errors": row.get("errors") or {}}
            for row in result.results
        ],
    }


def _store_photos(
    photos: list[Any], collector: User, config: Mapping[str, Any], result: ImportResult
) -> None:
    store = attachments.attachment_store(config)
    for photo in photos if isinstance(photos, list) else []:
        sha = photo.get("sha256") if isinstance(photo, dict) else None
        if not isinstance(sha, str) or not _SHA256.match(sha):
            result.photo_errors.append(_("Một ảnh trong tệp bị hỏng."))
            continue
        try:
            body = base64.b64decode(photo.get("data", ""), validate=True)
            store.receive_whole(sha, photo.get("type") or "image/jpeg", body, collector)
            result.photos_stored += 1
        except (binascii.Error, AttributeError, TypeError, ValueError):
            result.photo_errors.append(_("Một ảnh trong tệp bị hỏng."))
        except attachments.UploadError as exc:
            result.photo_errors.append(exc.message)
