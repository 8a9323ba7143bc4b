"""Imports every part's models so SQLAlchemy and Alembic see the whole schema. Holds no model itself."""

from fieldapp.accounts.models import Device, LoginFailures, Role, User
from fieldapp.jobs.models import Job  # noqa: F401  (background jobs)
from fieldapp.progress.models import DailyCount, Quota, Target  # noqa: F401  (progress tables)
from fieldapp.receipts.models import CommuneOffice, ReceiptCode, ReceiptPad
from fieldapp.records.audit import AuditEntry
from fieldapp.records.models import Record, RecordAttachment, RecordEvent, RecordPerson, RecordVersion
from fieldapp.registry import capture  # noqa: F401  (writes the registry's change rows at every commit)
from fieldapp.registry.models import RegistryChange
from fieldapp.review.models import (  # noqa: F401  (review tables)
    DuplicatePair,
    FieldChange,
    RecordMerge,
    RegisterBook,
    RegisterEntry,
    RegisterPage,
    ReviewComment,
)
from fieldapp.sync.models import Attachment, AttachmentUpload
from fieldapp.vn.models import AdminUnit, LegacyUnit, LegacyUnitMapping

__all__ = [
    "AdminUnit",
    "Attachment",
    "AttachmentUpload",
    "AuditEntry",
    "CommuneOffice",
    "Device",
    "LegacyUnit",
    "LegacyUnitMapping",
    "LoginFailures",
    "ReceiptCode",
    "ReceiptPad",
    "Record",
    "RecordAttachment",
    "RecordEvent",
    "RecordPerson",
    "RecordVersion",
    "RegistryChange",
    "Role",
    "User",
]
