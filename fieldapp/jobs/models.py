"""A long piece of work run by the background worker, with its progress and its file."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.timeutil import utcnow


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_user_created", "user_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: what to do: a name registered in fieldapp.jobs.services (e.g. "receipts.batch")
    kind: Mapped[str] = mapped_column(String(40))
    #: whose job: only they see it, and it runs with their rights
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[JobState] = mapped_column(
        Enum(JobState, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]),
        default=JobState.QUEUED,
    )
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the interface language of the user who asked, for the file and the messages
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    #: the download's name and type once done
    filename: Mapped[str] = mapped_column(String(120), default="")
    mimetype: Mapped[str] = mapped_column(String(100), default="")
    #: what a job that makes no file reports (an import's counts and rows), shown on its page
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: why it failed: a key of fieldapp.jobs.services.FAILURES and its values, shown in the user's language
    failure: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        if self.state is JobState.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0
