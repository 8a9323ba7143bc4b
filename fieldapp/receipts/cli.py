"""flask receipts ...: commune office contacts printed on receipts and shown on the status page."""

import click
from flask.cli import AppGroup

from fieldapp.extensions import db
from fieldapp.receipts.services import set_office, units_by_code

receipts_cli = AppGroup("receipts", help="Receipts and the public status page.")


@receipts_cli.command("office")
@click.argument("commune_code")
@click.option("--address", default=None, help="Where the commune justice office is.")
@click.option("--phone", default=None, help="The office's phone number, as printed.")
@click.option("--hours", default=None, help='Office hours, e.g. "Thứ Hai - Thứ Sáu, 7h30 - 17h".')
def office(commune_code: str, address: str | None, phone: str | None, hours: str | None) -> None:
    """Set how households reach a commune's office (only the options given change)."""
    unit = units_by_code({commune_code}).get(commune_code)
    if unit is None or unit.level != "commune":
        raise click.BadParameter(f"{commune_code} is not a commune code", param_hint="COMMUNE_CODE")
    saved = set_office(commune_code, address=address, phone=phone, hours=hours)
    db.session.commit()
    click.echo(f"{unit.name}: {saved.address} | {saved.phone} | {saved.hours}")
