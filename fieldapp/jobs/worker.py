"""The background worker's entry point: `huey_consumer fieldapp.jobs.worker.huey` (see the Procfile)."""

from fieldapp import create_app
from fieldapp.jobs.queue import job_queue

app = create_app()
huey = job_queue(app).huey
