"""The office import of a phone's file as a background job: checked at upload, imported by the worker."""

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from fieldapp.accounts.models import User
from fieldapp.field import imports
from fieldapp.jobs.services import JobFailed, JobSummary, Progress, job_kind, read_input


@job_kind(
    "field.import",
    _l("Nhập tệp từ điện thoại"),
    writes=True,
    context=lambda: {"outcomes": imports.OUTCOMES},
    back="field.import_file",
)
def import_phone_file(user: User, params: dict[str, Any], progress: Progress) -> JobSummary:
    raw = read_input(params["job_id"])
    try:
        result = imports.import_export(user, raw, current_app.config, progress)
    except imports.ImportRefused as exc:  # the collector left the area between upload and import
        raise JobFailed("refused", message=exc.message) from exc
    return JobSummary(imports.summary(result))
