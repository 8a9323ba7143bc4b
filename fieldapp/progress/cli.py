"""flask targets ...: import targets and quotas from CSV, recount the daily counters."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from fieldapp.extensions import db

targets_cli = AppGroup("targets", help="Targets, quotas and progress counters.")


@targets_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_targets(path: Path) -> None:
    """Import targets and quotas from a UTF-8 CSV file: every row, or none when any row is bad.

    Columns: kind (province | commune | district | quota), code, amount, deadline, measure, period.
    """
    from fieldapp.progress.services import ImportFailed, import_csv

    try:
        with force_locale("vi"):  # no request to choose a language from: the messages stay Vietnamese
            counts = import_csv(path.read_text(encoding="utf-8-sig"), None)
    except UnicodeDecodeError as exc:
        raise click.ClickException("the file is not UTF-8") from exc
    except ImportFailed as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(f"line {error.line}: {error.message}", err=True)
        raise click.ClickException(f"nothing imported: {len(exc.errors)} bad row(s)") from exc
    db.session.commit()
    click.echo(f"imported {counts['targets']} target(s) and {counts['quotas']} quota(s)")


@targets_cli.command("recount")
def recount() -> None:
    """Rebuild the daily progress counters from the records and the audit log (after a bulk load)."""
    from fieldapp.progress.counters import rebuild

    rows = rebuild()
    db.session.commit()
    click.echo(f"progress counters rebuilt: {rows} row(s)")
