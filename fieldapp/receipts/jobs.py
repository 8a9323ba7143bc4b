"""Batch receipts as a background job: rendered in parts, so the job page can show how far it is."""

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from fieldapp.accounts.models import User
from fieldapp.jobs.services import JobFailed, JobFile, Progress, job_kind
from fieldapp.receipts import services, slips
from fieldapp.receipts.parallel import join_pdfs
from fieldapp.receipts.pdf import receipts_pdf
from fieldapp.receipts.schemas import BatchQuery

#: receipts rendered between two progress reports (~1.5 s of work each)
PART = 40


@job_kind("receipts.batch", _l("In biên nhận hàng loạt"), back="receipts.batch")
def batch(user: User, params: dict[str, Any], progress: Progress) -> JobFile:
    wanted, fmt = BatchQuery().load_filter(params["query"])
    limit = current_app.config["RECEIPT_BATCH_MAX"]
    records = services.receipts_matching(user, wanted, limit)
    if not records:
        raise JobFailed("nothing")
    if len(records) > limit:
        raise JobFailed("too_many", n=limit)
    every_slip = slips.record_slips(records, params["base_url"])
    progress.start(len(every_slip))
    parts = []
    for start in range(0, len(every_slip), PART):
        part = every_slip[start : start + PART]
        parts.append(receipts_pdf(part, fmt))
        progress.advance(len(part))
    body = parts[0] if len(parts) == 1 else join_pdfs(parts)
    return JobFile(body, f"bien-nhan-{len(every_slip)}.pdf", "application/pdf")
