"""flask records …: maintenance of stored records."""

import click
from flask.cli import AppGroup

from fieldapp.extensions import db

records_cli = AppGroup("records", help="Stored records.")


@records_cli.command("rekey")
@click.option("--batch-size", default=1000, show_default=True)
def rekey(batch_size: int) -> None:
    """Recompute name sort keys, folded names, ethnicity codes and the registry's village keys of every
    record (idempotent)."""
    from fieldapp.records.rekey import rekey_records
    from fieldapp.registry.rekey import households_rekeyed

    counts = rekey_records(batch_size)
    announced = households_rekeyed(db.session, batch_size)
    db.session.commit()
    click.echo(
        f"records read: {counts['records']}, sort keys rewritten: {counts['sort_keys']}, "
        f"people rows rewritten: {counts['people']}, households announced under a new village key: "
        f"{announced}"
    )
