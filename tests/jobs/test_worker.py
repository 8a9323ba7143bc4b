"""The background worker: a real huey consumer runs jobs queued before it started (kept in the queue's
storage, not in a web process, so a restarted web worker loses none); the tidy-up's rules."""

import csv
import io
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from fieldapp import create_app
from fieldapp.extensions import db
from fieldapp.files import file_store
from fieldapp.jobs import services
from fieldapp.jobs.models import Job, JobState
from fieldapp.jobs.queue import job_queue
from fieldapp.records.states import Action
from fieldapp.timeutil import utcnow
from tests.receipts.conftest import move, push_household, read_pdf, sign_in
from tests.review.conftest import csrf_from
from tests.support.builders import MUONG_LAT

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def app_config(app_config, tmp_path):
    app_config.update(JOBS_QUEUE="sqlite", JOBS_QUEUE_FILE=str(tmp_path / "queue.sqlite3"))
    return app_config


def worker(app_config) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "worker-test-secret",
        "UPLOAD_DIR": app_config["UPLOAD_DIR"],
        "FIELDAPP_ENV_NAME": "development",
        "FIELDAPP_JOBS_QUEUE": "sqlite",
        "FIELDAPP_JOBS_QUEUE_FILE": app_config["JOBS_QUEUE_FILE"],
    }
    command = [sys.executable, "-m", "huey.bin.huey_consumer", "fieldapp.jobs.worker.huey", "-w", "1", "-q"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


FINISHED = ("done", "failed")


def wait_until_finished(client, process, job_pages: list[str]) -> None:
    deadline = time.monotonic() + 90
    try:
        while any(client.get(f"{page}.json").get_json()["state"] not in FINISHED for page in job_pages):
            assert process.poll() is None, "the worker stopped"
            assert time.monotonic() < deadline, "the worker did not finish the jobs"
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_job_queued_while_no_worker_ran_is_done_when_one_starts(app, client, make, clerk, collector_token):
    for name in ("Lò Văn A", "Hà Thị B"):
        push_household(make, collector_token, head=name)
    sign_in(client, clerk)
    token = csrf_from(client.get("/receipts/batch").get_data(as_text=True))
    answer = client.post("/receipts/batch", data={"csrf_token": token, "commune": MUONG_LAT, "format": "a5"})
    job_page = answer.headers["Location"]
    assert job_queue(app).huey.pending_count() == 1  # kept in the queue's file, not in a web process
    wait_until_finished(client, worker(app.config), [job_page])
    assert len(read_pdf(client.get(f"{job_page}/file").get_data())) == 2


def test_an_export_and_an_answers_import_outlive_a_web_worker_restart(
    app, client, make, clerk, collector_token
):
    household = push_household(make, collector_token, head="Lò Văn A")
    move(household["id"], clerk, Action.START, Action.VERIFY)
    sign_in(client, clerk)
    token = csrf_from(client.get("/review/handoff").get_data(as_text=True))
    export = client.post("/review/export.csv", data={"csrf_token": token, "state": "all"})
    answers = f"Mã hồ sơ,Số đăng ký,Ngày đăng ký\n{household['id']},7/2025,02/01/2025\n".encode()
    upload = {"csrf_token": token, "file": (io.BytesIO(answers), "ket-qua.csv")}
    imported = client.post("/review/handoff/import", data=upload)
    job_pages = [export.headers["Location"], imported.headers["Location"]]

    with app.test_request_context():  # the web worker restarts: a new process finds both jobs waiting
        restarted = create_app(dict(app.config))
    assert job_queue(restarted).huey.pending_count() == 2
    wait_until_finished(client, worker(app.config), job_pages)

    rows = list(csv.reader(io.StringIO(client.get(f"{job_pages[0]}/file").data.decode("utf-8-sig"))))
    assert "Lò Văn A" in [row[5] for row in rows[1:]]
    assert "Đã đánh dấu 1 hồ sơ là đã chuyển" in client.get(job_pages[1]).get_data(as_text=True)


def make_job(user, state, age, **values) -> Job:
    job = Job(id=os.urandom(16).hex(), kind="receipts.batch", user_id=user.id, params={}, locale="vi")
    job.state, job.created_at = state, utcnow() - age
    for key, value in values.items():
        setattr(job, key, value)
    db.session.add(job)
    db.session.commit()
    return job


def test_tidying_fails_cut_off_jobs_resends_lost_ones_and_drops_old_files(app, make, clerk):
    store = file_store(app.config)
    cut_off = make_job(clerk, JobState.RUNNING, timedelta(hours=1), started_at=utcnow() - timedelta(hours=1))
    running = make_job(clerk, JobState.RUNNING, timedelta(minutes=1), started_at=utcnow())
    lost = make_job(clerk, JobState.QUEUED, timedelta(minutes=10))
    fresh = make_job(clerk, JobState.QUEUED, timedelta(seconds=5))
    old = make_job(
        clerk, JobState.DONE, timedelta(days=2), finished_at=utcnow() - timedelta(days=2), filename="a.pdf"
    )
    recent = make_job(clerk, JobState.DONE, timedelta(hours=2), finished_at=utcnow(), filename="b.pdf")
    for job in (old, recent):
        store.put_named(services.result_name(job), b"%PDF-1.7")
    huey = job_queue(app).huey
    huey.flush()

    services.tidy()

    db.session.expire_all()
    assert cut_off.state is JobState.FAILED
    with app.test_request_context():  # messages are in the reader's language
        assert "dừng giữa chừng" in services.failure_text(cut_off)
        assert "quá hạn" in services.describe(old)["message"]
    assert running.state is JobState.RUNNING
    assert huey.pending_count() == 1 and lost.state is JobState.QUEUED and fresh.state is JobState.QUEUED
    assert old.filename == ""
    with pytest.raises(FileNotFoundError):
        b"".join(store.named_chunks(services.result_name(old)))
    assert recent.filename == "b.pdf" and b"".join(store.named_chunks(services.result_name(recent)))


def test_a_job_is_handed_to_the_worker_only_when_its_transaction_commits(app, clerk):
    huey = job_queue(app).huey
    huey.flush()
    services.submit(clerk, "receipts.batch", {}, "vi")
    assert huey.pending_count() == 0
    db.session.rollback()
    assert huey.pending_count() == 0 and db.session.query(Job).count() == 0
    job = services.submit(clerk, "receipts.batch", {}, "vi")
    db.session.commit()
    assert huey.pending_count() == 1
    assert db.session.get(Job, job.id).state is JobState.QUEUED


def test_the_worker_prunes_the_registry_log_every_night_after_the_syncs(app, make):
    """02:15 in Vietnam is 19:15 UTC, the clock huey reads its schedule in."""
    from datetime import datetime

    from sqlalchemy import func, select

    from fieldapp.records.models import Record
    from fieldapp.registry.models import RegistryChange
    from tests.support.builders import item

    household = item("household")
    make.push(make.collector_token(), [household])
    for address in ("Số 1", "Số 2"):
        record = db.session.get(Record, household["id"])
        record.data = {**record.data, "address": address}
        db.session.commit()
    huey = job_queue(app).huey

    def due(hour: int) -> list:
        tasks = huey.read_periodic(datetime(2026, 12, 7, hour, 15))
        return [task for task in tasks if task.name == "fieldapp.registry.prune"]

    assert len(due(19)) == 1 and not due(2)
    huey.execute(due(19)[0])
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(RegistryChange)) == 1
