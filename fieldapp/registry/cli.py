"""`flask registry prune`: drop change-log rows a later row repeats (the worker does it every night)."""

import click
from flask.cli import AppGroup

from fieldapp.extensions import db
from fieldapp.registry.prune import prune_changes

registry_cli = AppGroup("registry", help="The household registry sent to the phones.")


@registry_cli.command("prune")
def prune() -> None:
    """Delete change rows that a later row of the same household and area repeats (idempotent)."""
    click.echo(f"change rows deleted: {prune_changes(db.session)}")
