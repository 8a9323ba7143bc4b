"""flask records transfer: the national system's answers imported in bulk (joins the records group)."""

from pathlib import Path

import click
from flask_babel import force_locale
from sqlalchemy import select

from fieldapp.accounts.models import User
from fieldapp.extensions import db


@click.command("transfer")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", required=True, help="the clerk or admin the log names")
def transfer(path: Path, username: str) -> None:
    """Mark records transferred from the national system's answers: every row, or none when any is bad.

    Columns (first row): Mã biên nhận or Mã hồ sơ, Số đăng ký, Ngày đăng ký (dd/mm/yyyy).
    Running the same file twice changes nothing.
    """
    from fieldapp.review.services import ReviewRefused
    from fieldapp.review.transfers import AnswersUnreadable, TransferRefused, decode, import_transfers

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    try:
        with force_locale("vi"):
            result = import_transfers(user, decode(path.read_bytes()))
    except AnswersUnreadable as exc:
        raise click.ClickException(exc.message) from exc
    except ReviewRefused as exc:
        raise click.ClickException(exc.message) from exc
    except TransferRefused as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(error, err=True)
        raise click.ClickException(f"nothing imported: {len(exc.errors)} bad row(s)") from exc
    db.session.commit()
    click.echo(f"transferred {result.transferred} record(s); {result.unchanged} already transferred")
