"""Jobs: submitted by a user, run by the worker with that user's rights, their file kept for a day.

A part registers what it runs in the background with `@job_kind("part.name")`; the function gets the user,
the job's parameters and a Progress, and returns the file (or a summary, with a file or not). It raises
JobFailed with a message of FAILURES for a failure the user can act on; anything else is logged and shown
as an unexpected failure.

A job and its file are its owner's alone, and only while the owner keeps the role and area the job was
asked under: a clerk moved to another commune no longer reads yesterday's export of the old one.
"""

import logging
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import force_locale, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from fieldapp.accounts.models import User
from fieldapp.database import set_write_intent
from fieldapp.extensions import db
from fieldapp.files import file_store
from fieldapp.jobs.models import Job, JobState
from fieldapp.jobs.queue import enqueue_after_commit, job_queue
from fieldapp.timeutil import utcnow

log = logging.getLogger(__name__)

#: Why a job failed, as the user reads it; the worker stores the key and the values.
FAILURES: dict[str, Any] = {
    "nothing": _l("Không có gì khớp với lựa chọn này."),
    "too_many": _l("Quá %(n)s dòng; hãy thu hẹp lựa chọn (từng xã, thôn, bản hoặc khoảng ngày)."),
    "refused": _l("%(message)s"),
    "interrupted": _l("Máy chủ dừng giữa chừng khi đang làm việc này; hãy chạy lại."),
    "unexpected": _l("Có lỗi không mong đợi; hãy chạy lại. Nếu vẫn lỗi, báo quản trị viên mã việc %(job)s."),
    "scope_changed": _l("Vai trò hoặc địa bàn của bạn đã đổi từ khi yêu cầu việc này; hãy yêu cầu lại."),
}
#: a running job not finished after this long was cut off by a stopped worker
STALE_AFTER = timedelta(minutes=30)
#: a job still waiting after this long was never handed to the worker (the queue was down): send again
RESEND_AFTER = timedelta(minutes=2)
KEEP_FILES = timedelta(days=1)


class JobFailed(Exception):
    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass
class JobFile:
    #: the bytes, or an open file positioned at its start (a big export, written to disk as it was made)
    body: bytes | BinaryIO
    filename: str
    mimetype: str


@dataclass
class JobSummary:
    """The outcome of a job, shown by the template jobs/summary/<kind>.html; it may come with a file
    (an import's list of refused rows)."""

    data: dict[str, Any]
    file: JobFile | None = None


class Progress:
    """What the job page shows. Each report commits the job's work so far with it: a job works in steps
    that are safe to repeat (an import's records carry their UUIDs), and on SQLite a long job must not hold
    the write lock that every phone's sync waits for."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self._write()

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        self._write()

    def _write(self) -> None:
        # the work first, in its own commit: on SQLite a transaction that has read cannot start writing
        # once someone else has written since (a phone's push), while a fresh one waits for its turn
        db.session.commit()
        db.session.execute(update(Job).where(Job.id == self.job_id).values(done=self.done, total=self.total))
        db.session.commit()


JobFunction = Callable[[User, dict[str, Any], Progress], JobFile | JobSummary]


@dataclass(frozen=True)
class JobKind:
    function: JobFunction
    title: Any  # what the user asked for, in words
    writes: bool  # on SQLite, take the write lock up front (as a writing request does)
    context: Callable[[], dict[str, Any]] | None  # what its summary template needs besides the summary
    back: str | None  # the endpoint of the page the job is asked from: the job page links back to it


_KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str,
    title: Any,
    *,
    writes: bool = False,
    context: Callable[[], dict[str, Any]] | None = None,
    back: str | None = None,
) -> Callable[[JobFunction], JobFunction]:
    def register(function: JobFunction) -> JobFunction:
        _KINDS[name] = JobKind(function, title, writes, context, back)
        return function

    return register


def summary_context(job: Job) -> dict[str, Any]:
    kind = _KINDS.get(job.kind)
    return kind.context() if kind and kind.context and job.summary is not None else {}


def back_of(job: Job) -> str | None:
    """The endpoint of the page the job was asked from, if its kind names one."""
    kind = _KINDS.get(job.kind)
    return kind.back if kind else None


def title_of(job: Job) -> str:
    kind = _KINDS.get(job.kind)
    return str(kind.title) if kind else _("Việc chạy nền")


def submit(user: User, kind: str, params: dict[str, Any], locale: str) -> Job:
    """A new job for the worker, handed over when the caller's transaction commits."""
    if kind not in _KINDS:
        raise KeyError(kind)
    params = {**params, "scope": scope_of(user)}
    job = Job(id=uuid.uuid4().hex, kind=kind, user_id=user.id, params=params, locale=locale)
    db.session.add(job)
    db.session.flush()
    enqueue_after_commit(job.id)
    return job


def scope_of(user: User) -> list[str]:
    """What a job's rights were taken from: the role and area of the user when they asked."""
    return [user.role.value, user.area_code or ""]


def _in_scope(job: Job, user: User) -> bool:
    # a job asked before jobs kept their scope (upgrade day) counts as asked under the present one
    return job.params.get("scope", scope_of(user)) == scope_of(user)


def job_of(user: User, job_id: str) -> Job | None:
    """The user's own job, asked under their present role and area; any other is as if it did not exist."""
    job = db.session.get(Job, job_id) if len(job_id) == 32 else None
    return job if job is not None and job.user_id == user.id and _in_scope(job, user) else None


def recent_jobs(user: User, limit: int = 20) -> list[Job]:
    query = select(Job).where(Job.user_id == user.id).order_by(Job.created_at.desc()).limit(limit)
    return [job for job in db.session.scalars(query) if _in_scope(job, user)]


def failure_text(job: Job) -> str:
    if not job.failure:
        return ""
    message = FAILURES.get(job.failure.get("key"), FAILURES["unexpected"])
    return str(message) % {"job": job.id[:8], **job.failure.get("values", {})}


def result_name(job: Job) -> str:
    return f"{job.id}.out"


def input_name(job: Job) -> str:
    return f"{job.id}.in"


def submit_with_input(user: User, kind: str, body: bytes, params: dict[str, Any], locale: str) -> Job:
    """A job that works on an uploaded file: the file is kept in the file store until the job is done."""
    job = submit(user, kind, params, locale)
    file_store(current_app.config).put_named(input_name(job), body)
    return job


def read_input(job_id: str) -> bytes:
    return b"".join(file_store(current_app.config).named_chunks(f"{job_id}.in"))


def read_result(job: Job) -> Any:
    return file_store(current_app.config).named_chunks(result_name(job))


def run(job_id: str) -> None:
    """The worker's side: claim the job (once, whoever else also got it), run it, keep its file or failure."""
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.QUEUED)
        .values(state=JobState.RUNNING, started_at=utcnow())
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return
    job = db.session.get(Job, job_id)
    user = db.session.get(User, job.user_id)
    kind = _KINDS[job.kind]
    if not user.active or not _in_scope(job, user):
        _finish(job_id, JobState.FAILED, failure={"key": "scope_changed", "values": {}})
        return
    try:
        result = _work(job, user, kind)
    except JobFailed as exc:
        db.session.rollback()
        _finish(job_id, JobState.FAILED, failure={"key": exc.key, "values": exc.values})
        return
    except Exception:
        db.session.rollback()
        log.exception("job failed", extra={"job": job_id, "kind": job.kind})
        _finish(job_id, JobState.FAILED, failure={"key": "unexpected", "values": {}})
        return
    kept = _file_of(result)
    named = {"filename": kept.filename, "mimetype": kept.mimetype} if kept else {}
    summary = {"summary": result.data} if isinstance(result, JobSummary) else {}
    _finish(job_id, JobState.DONE, **summary, **named)


def _work(job: Job, user: User, kind: JobKind) -> JobFile | JobSummary:
    """Run the job's function and commit what it wrote; its file goes to the file store."""
    # templates, url_for and the context processors expect a request: give them one like the user's
    base_url = job.params.get("base_url") or current_app.config.get("PUBLIC_BASE_URL") or None
    db.session.commit()  # end the claim's transaction; the work starts its own
    set_write_intent(kind.writes)
    try:
        with current_app.test_request_context("/", base_url=base_url), force_locale(job.locale):
            result = kind.function(user, {**job.params, "job_id": job.id}, Progress(job.id))
        kept = _file_of(result)
        if kept is not None:
            _keep(job, kept)
        db.session.commit()
    finally:
        set_write_intent(False)
    return result


def _file_of(result: JobFile | JobSummary) -> JobFile | None:
    return result.file if isinstance(result, JobSummary) else result


def _keep(job: Job, made: JobFile) -> None:
    try:
        file_store(current_app.config).put_named(result_name(job), made.body)
    finally:
        if not isinstance(made.body, bytes):
            made.body.close()


def _finish(job_id: str, state: JobState, **values: Any) -> None:
    with suppress(OSError):
        file_store(current_app.config).delete_named(f"{job_id}.in")
    db.session.execute(
        update(Job).where(Job.id == job_id).values(state=state, finished_at=utcnow(), **values)
    )
    db.session.commit()


def tidy() -> None:
    """Every minute in the worker: fail jobs a stopped worker cut off, re-send lost ones, drop old files."""
    now = utcnow()
    db.session.execute(
        update(Job)
        .where(Job.state == JobState.RUNNING, Job.started_at < now - STALE_AFTER)
        .values(state=JobState.FAILED, finished_at=now, failure={"key": "interrupted", "values": {}})
    )
    lost = db.session.scalars(
        select(Job.id).where(Job.state == JobState.QUEUED, Job.created_at < now - RESEND_AFTER)
    ).all()
    expired = db.session.scalars(
        select(Job).where(Job.state == JobState.DONE, Job.finished_at < now - KEEP_FILES, Job.filename != "")
    ).all()
    store = file_store(current_app.config)
    for job in expired:
        store.delete_named(result_name(job))
        job.filename = ""
    db.session.commit()
    for job_id in lost:
        job_queue().run(job_id)


def describe(job: Job) -> dict[str, Any]:
    """The job as the page's poller reads it."""
    return {
        "id": job.id,
        "state": job.state.value,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "summary": job.summary is not None,
        "message": failure_text(job) or _state_text(job),
    }


def _state_text(job: Job) -> str:
    if job.state is JobState.QUEUED:
        return _("Đang chờ đến lượt…")
    if job.state is JobState.RUNNING:
        return (
            _("Đang làm: %(done)s / %(total)s", done=format_number(job.done), total=format_number(job.total))
            if job.total
            else _("Đang làm…")
        )
    if job.summary is not None:
        return _("Xong.")
    return _("Xong. Tệp đã sẵn sàng.") if job.filename else _("Tệp đã quá hạn giữ (1 ngày); hãy chạy lại.")
