"""The task queue under the jobs: Huey, on a SQLite file by default and on Redis when REDIS_URL is set.

The web app only enqueues a job's id, after the transaction that created the job has committed (a worker
must find the row); the worker (`huey_consumer fieldapp.jobs.worker.huey`) runs it inside the app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from fieldapp.extensions import db

_PENDING = "fieldapp_jobs_to_enqueue"


@dataclass
class JobQueue:
    huey: Huey
    run: Any  # the Huey task that runs one job by id


def job_queue(app: Flask | None = None) -> JobQueue:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    queue = app.extensions.get("fieldapp_jobs")
    if queue is None:
        queue = app.extensions["fieldapp_jobs"] = _build(app)
    return queue


def _storage(app: Flask) -> Huey:
    kind = app.config.get("JOBS_QUEUE") or ("redis" if app.config.get("REDIS_URL") else "sqlite")
    if kind == "memory":  # tests: nothing runs until run_queued_jobs()
        return MemoryHuey("fieldapp-jobs", results=False)
    if kind == "redis":
        return RedisHuey("fieldapp-jobs", results=False, url=app.config["REDIS_URL"])
    path = app.config.get("JOBS_QUEUE_FILE") or str(Path(app.instance_path) / "jobs-queue.sqlite3")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("fieldapp-jobs", results=False, filename=path)


def _build(app: Flask) -> JobQueue:
    from fieldapp.jobs import services

    huey = _storage(app)

    def in_app(work: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            with app.app_context():
                return work(*args)

        return call

    run = huey.task(name="fieldapp.jobs.run")(in_app(services.run))
    huey.periodic_task(crontab(minute="*"), name="fieldapp.jobs.tidy")(in_app(services.tidy))
    nightly = crontab(hour="19", minute="15")  # huey reads it in UTC: 02:15 in Vietnam, after the syncs
    huey.periodic_task(nightly, name="fieldapp.registry.prune")(in_app(_prune_registry))
    return JobQueue(huey, run)


def _prune_registry() -> None:
    from fieldapp.registry.prune import prune_changes

    prune_changes(db.session)


def enqueue_after_commit(job_id: str) -> None:
    """Hand the job to the worker once the current transaction has committed (never before, never if not)."""
    db.session.info.setdefault(_PENDING, []).append((job_queue(), job_id))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    for queue, job_id in session.info.pop(_PENDING, []):
        try:
            queue.run(job_id)
        except Exception:  # the queue is down: the worker's tidy-up re-sends jobs left waiting
            current_app.logger.exception("job not enqueued", extra={"job": job_id})


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


def run_queued_jobs(app: Flask) -> int:
    """Run every waiting job here and now (tests, and `flask jobs run` on a server without a worker)."""
    huey = job_queue(app).huey
    count = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        count += 1
    return count
