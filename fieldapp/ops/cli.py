"""`flask backup DEST_DIR` and `flask restore BACKUP_DIR`."""

from pathlib import Path

import click
from flask import current_app

from fieldapp.extensions import db
from fieldapp.files import file_store
from fieldapp.ops.backup import BackupError, create_backup
from fieldapp.ops.restore import restore_backup


@click.command("backup")
@click.argument("dest_dir", type=click.Path(file_okay=False, path_type=Path))
def backup_command(dest_dir: Path) -> None:
    """Snapshot the database and the uploads into DEST_DIR, with a manifest of SHA-256 hashes."""
    config = current_app.config
    try:
        manifest = create_backup(dest_dir, config["SQLALCHEMY_DATABASE_URI"], file_store(config))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"backup written to {dest_dir}: {len(manifest['files'])} files, {manifest['database']['kind']}"
    )


@click.command("restore")
@click.argument("backup_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(backup_dir: Path, yes: bool) -> None:
    """Verify BACKUP_DIR against its manifest, then replace the database and restore the uploads."""
    config = current_app.config
    if not yes:
        click.confirm("Replace the current database with this backup? Stop the app servers first", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old database
    try:
        manifest = restore_backup(backup_dir, config["SQLALCHEMY_DATABASE_URI"], file_store(config))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored {manifest['database']['kind']} backup of {manifest['created_at']}")
