"""`flask restore BACKUP_DIR`: check every hash of the manifest, then put the database and files back.

Nothing is touched unless the whole backup verifies. Stop the app servers first.
"""

import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from fieldapp.files.stores import FileStore
from fieldapp.ops.backup import (
    FORMAT,
    MANIFEST,
    UPLOADS,
    BackupError,
    database_kind,
    libpq_url,
    run_tool,
    sha256_file,
)


def verify_backup(backup_dir: Path) -> dict[str, Any]:
    """The manifest, once every file it lists is present with its hash and nothing else was added."""
    try:
        manifest = json.loads((backup_dir / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable {MANIFEST} in {backup_dir}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    problems = []
    for name, expected in manifest["files"].items():
        path = backup_dir / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif sha256_file(path) != expected:
            problems.append(f"hash mismatch: {name}")
    present = {p.relative_to(backup_dir).as_posix() for p in backup_dir.rglob("*") if p.is_file()}
    problems += [
        f"not in the manifest: {name}" for name in sorted(present - set(manifest["files"]) - {MANIFEST})
    ]
    if problems:
        raise BackupError("backup refused: " + "; ".join(problems[:20]))
    return manifest


def restore_backup(backup_dir: Path, database_url: str, files: FileStore) -> dict[str, Any]:
    manifest = verify_backup(backup_dir)
    kind = database_kind(database_url)
    if kind != manifest["database"]["kind"]:
        raise BackupError(f"this is a {manifest['database']['kind']} backup; the target is {kind}")
    database_file = backup_dir / manifest["database"]["file"]
    if kind == "sqlite":
        _restore_sqlite(database_file, database_url)
    else:
        run_tool(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                libpq_url(database_url),
                str(database_file),
            ]
        )
    objects = backup_dir / UPLOADS / "objects"
    for path in sorted(objects.glob("*/*")) if objects.is_dir() else []:
        files.put_object(path.name, path.read_bytes())
    return manifest


def _restore_sqlite(database_file: Path, database_url: str) -> None:
    """Through the backup API into the live file: its WAL and readers stay coherent."""
    target_path = make_url(database_url).database
    if not target_path:
        raise BackupError("the target SQLite URL names no file")
    Path(target_path).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
