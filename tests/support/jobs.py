"""Background jobs in tests: the queue is in memory (JOBS_QUEUE="memory") and nothing runs until a test
runs it, as the worker would."""

import pytest
from flask import Flask

from fieldapp.jobs import services
from fieldapp.jobs.queue import run_queued_jobs


def run_job(app: Flask, answer) -> str:
    """The job a form just submitted (its 303 answer), run to the end; returns the job page's path."""
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    job_page = answer.headers["Location"]
    assert job_page.startswith("/jobs/"), job_page
    assert run_queued_jobs(app) == 1
    return job_page


def progress_reports(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Every (done, total) the job pages will have shown, in order, from now on."""
    reports: list[tuple[int, int]] = []
    real_write = services.Progress._write

    def spy(progress: services.Progress) -> None:
        reports.append((progress.done, progress.total))
        real_write(progress)

    monkeypatch.setattr(services.Progress, "_write", spy)
    return reports
