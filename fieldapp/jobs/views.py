"""The job pages: progress while the worker runs it, then the file; a user sees only their own jobs."""

from flask import Blueprint, Response, abort, jsonify, render_template, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from fieldapp.jobs import services
from fieldapp.jobs.models import Job, JobState
from fieldapp.review.web import local_time

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _own(job_id: str) -> Job:
    job = services.job_of(current_user, job_id)
    if job is None:
        abort(404)
    return job


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    jobs = services.recent_jobs(current_user)
    rows = [(job, services.title_of(job), services.describe(job)) for job in jobs]
    return render_template("jobs/index.html", jobs=rows, local_time=local_time)


@bp.get("/<job_id>")
@login_required
def show(job_id: str) -> ResponseReturnValue:
    job = _own(job_id)
    return render_template(
        "jobs/job.html",
        job=job,
        job_title=services.title_of(job),
        back=services.back_of(job),
        status=services.describe(job),
        summary=job.summary,
        **services.summary_context(job),
    )


@bp.get("/<job_id>.json")
@login_required
def status(job_id: str) -> ResponseReturnValue:
    response = jsonify(services.describe(_own(job_id)))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<job_id>/file")
@login_required
def download(job_id: str) -> ResponseReturnValue:
    job = _own(job_id)
    if job.state is not JobState.DONE or not job.filename:
        abort(404)
    response = Response(stream_with_context(services.read_result(job)), mimetype=job.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
