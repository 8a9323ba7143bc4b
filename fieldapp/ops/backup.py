"""`flask backup DEST`: a consistent snapshot of the database, the uploaded files, and a manifest of hashes.

SQLite is copied through sqlite3's online backup API (a consistent snapshot while the server keeps
writing); PostgreSQL through pg_dump's custom format. The uploads are copied after the database: files
are immutable and named by their SHA-256, so every attachment the snapshot knows is in the copy.
"""

import hashlib
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from fieldapp.files.stores import FileStore, object_key
from fieldapp.timeutil import isoformat_utc, utcnow

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
UPLOADS = "uploads"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def database_kind(database_url: str) -> str:
    backend = make_url(database_url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"unsupported database: {backend}")
    return backend


def libpq_url(database_url: str) -> str:
    """The URL pg_dump and pg_restore understand (no SQLAlchemy driver suffix)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def create_backup(dest: Path, database_url: str, files: FileStore) -> dict[str, Any]:
    """Write the backup into `dest` (new or empty) and return its manifest."""
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    kind = database_kind(database_url)
    database_file = (
        _dump_sqlite(database_url, dest) if kind == "sqlite" else _dump_postgres(database_url, dest)
    )
    _copy_uploads(files, dest / UPLOADS)
    files = {
        path.relative_to(dest).as_posix(): sha256_file(path)
        for path in sorted(dest.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
    manifest = {
        "format": FORMAT,
        "created_at": isoformat_utc(utcnow()),
        "database": {"kind": kind, "file": database_file},
        "files": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _dump_sqlite(database_url: str, dest: Path) -> str:
    source_path = make_url(database_url).database
    if not source_path or not Path(source_path).exists():
        raise BackupError(f"no SQLite database at {source_path}")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dest / SQLITE_FILE)
    try:
        source.backup(target)  # one step: a consistent snapshot, writers go on meanwhile (WAL)
        target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        target.close()
        source.close()
    return SQLITE_FILE


def _dump_postgres(database_url: str, dest: Path) -> str:
    command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(dest / POSTGRES_FILE)]
    run_tool([*command, "--dbname", libpq_url(database_url)])
    return POSTGRES_FILE


def _copy_uploads(files: FileStore, target: Path) -> None:
    """Complete objects only, from folder or bucket: a half-received upload is resumed by its device."""
    target.mkdir(parents=True, exist_ok=True)
    for sha256 in files.object_names():
        path = target / object_key(sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            for chunk in files.object_chunks(sha256):
                out.write(chunk)


def run_tool(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed")
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")
