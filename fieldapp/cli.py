"""flask CLI: a click group per noun. Every admin task has a command; commands commit explicitly."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from fieldapp.accounts import services as accounts
from fieldapp.accounts.models import Role
from fieldapp.extensions import db
from fieldapp.receipts.cli import receipts_cli

units_cli = AppGroup("units", help="Administrative units.")
user_cli = AppGroup("user", help="User accounts.")
device_cli = AppGroup("device", help="Devices and their tokens.")


@units_cli.command("load")
def load_units() -> None:
    """Load the 34 provinces, 3,321 communes and the pre-2025 units (idempotent)."""
    from fieldapp.vn.units import load_units as load

    counts = load(db.session)
    db.session.commit()
    for name, count in counts.items():
        click.echo(f"{name}: {count}")


@user_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--area", "area_code", default=None, help="Province (2 digits) or commune (5 digits) code.")
@click.option("--full-name", default="", help="Shown on receipts and in the audit log.")
@click.password_option("--password", prompt="Mật khẩu / Password")
def create_user(username: str, role: str, area_code: str | None, full_name: str, password: str) -> None:
    """Create a user; prompts for the password when --password is left out."""
    try:
        user = accounts.create_user(username, password, role, area_code, full_name=full_name)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"created user {user.username} (id {user.id}, {user.role.value}, area {user.area_code or '-'})"
    )


@user_cli.command("villages")
@click.argument("username")
@click.argument("villages", nargs=-1)
def set_villages(username: str, villages: tuple[str, ...]) -> None:
    """Assign a collector's villages (their phone then holds only those households); none: the commune."""
    from fieldapp.accounts.models import User
    from fieldapp.accounts.villages import VillagesRefused
    from fieldapp.accounts.villages import set_villages as assign

    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user {username}")
    try:
        saved = assign(user, "\n".join(villages), None)
    except VillagesRefused as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{user.username}: " + (", ".join(saved) if saved else "the whole commune"))


@device_cli.command("list")
@click.option("--user", "username", default=None)
def list_devices(username: str | None) -> None:
    """Devices with their owner, last use and whether they are revoked."""
    for device in accounts.list_devices(username):
        status = "revoked" if device.is_revoked else "active"
        seen = device.last_seen_at.isoformat(sep=" ", timespec="minutes") if device.last_seen_at else "-"
        click.echo(f"{device.id}\t{device.user.username}\t{device.name}\t{status}\tlast seen {seen}")


@device_cli.command("revoke")
@click.argument("device_id", type=int)
@click.option("--reason", default="", help="Shown on the device page, e.g. phone lost")
def revoke_device(device_id: int, reason: str) -> None:
    """Revoke a device (a lost phone): its token stops working at once."""
    from fieldapp.accounts.models import Device

    device = db.session.get(Device, device_id)
    if device is None:
        raise click.ClickException(f"no device {device_id}")
    accounts.revoke_device(device, None, reason)
    db.session.commit()
    click.echo(f"revoked device {device_id} ({device.name}) of {device.user.username}")


@click.command("demo")
@click.option("--records", default=300, show_default=True, help="How many records to generate.")
@click.option("--seed", default=2024, show_default=True)
@click.option("--campaign-scale", default=1.0, show_default=True, help="Size of the progress campaign story.")
def demo(records: int, seed: int, campaign_scale: float) -> None:
    """Load a demo data set: communes of Thanh Hóa, users of every role, records. Prints the logins."""
    from fieldapp.demo import PASSWORD, load_demo
    from fieldapp.vn.models import AdminUnit

    if db.session.scalar(select(AdminUnit.code).limit(1)) is None:
        from fieldapp.vn.units import load_units as load

        load(db.session)
    summary = load_demo(
        records=records,
        seed=seed,
        hash_method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
        campaign_scale=campaign_scale,
    )
    db.session.commit()
    click.echo(f"demo data: {summary['records']} records in {len(summary['communes'])} communes")
    click.echo(f"logins (password for all: {PASSWORD}):")
    for username, role, area in summary["users"]:
        click.echo(f"  {username:<12} {role:<10} {area}")


@click.command("demo-status")
def demo_status() -> None:
    """Print "empty" when the database has no user yet (run.sh then loads the demo)."""
    from fieldapp.accounts.models import User

    click.echo("empty" if db.session.scalar(select(User.id).limit(1)) is None else "ready")


def register_cli(app: Flask) -> None:
    from fieldapp.jobs.cli import jobs_cli
    from fieldapp.progress.cli import targets_cli
    from fieldapp.records.cli import records_cli
    from fieldapp.registry.cli import registry_cli
    from fieldapp.review.cli import transfer

    records_cli.add_command(transfer)
    app.cli.add_command(targets_cli)
    app.cli.add_command(records_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(registry_cli)
    for command in (units_cli, user_cli, device_cli, demo, demo_status, receipts_cli):
        app.cli.add_command(command)
    from fieldapp.ops.cli import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
