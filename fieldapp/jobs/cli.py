"""`flask jobs run`: do the waiting jobs here and now, for a server where no worker runs."""

import click
from flask import current_app
from flask.cli import AppGroup

from fieldapp.jobs.queue import run_queued_jobs

jobs_cli = AppGroup("jobs", help="Background jobs (batch receipts, big exports and imports).")


@jobs_cli.command("run")
def run_waiting() -> None:
    """Run every waiting job in this process and exit (the worker, huey_consumer, does this continuously)."""
    count = run_queued_jobs(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"{count} jobs run")
