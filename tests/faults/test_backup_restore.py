"""`flask backup` / `flask restore`: a round trip while the server keeps writing; tampering is refused."""

import hashlib
import json
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from fieldapp.ops.backup import MANIFEST
from tests.support.builders import item
from tests.support.requirements import require_program

PHOTO = b"\x89PNG\r\n\x1a\n" + b"register page scan" * 500
SHA = hashlib.sha256(PHOTO).hexdigest()


def counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("records", "record_versions", "record_people", "users", "devices")
        }
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM records r WHERE NOT EXISTS "
                "(SELECT 1 FROM record_versions v WHERE v.record_id = r.id)"
            )
        ).scalar()
    engine.dispose()
    return {**found, "records_without_version": orphans}


class Writer(threading.Thread):
    """A device that keeps pushing through the API until told to stop."""

    def __init__(self, make, token: str) -> None:
        super().__init__(daemon=True)
        self.client, self.make, self.token = make.app.test_client(), make, token
        self.stop, self.batches = threading.Event(), 0

    def run(self) -> None:
        while not self.stop.is_set() and self.batches < 500:
            response = self.client.post(
                "/api/v1/sync/push",
                json={"records": [item("household") for _ in range(10)]},
                headers=self.make.headers(self.token),
            )
            assert response.status_code == 200
            self.batches += 1


def backup_while_writing(app, make, dest: Path):
    token = make.collector_token()
    upload = make.client.put(
        f"/api/v1/attachments/{SHA}", data=PHOTO, headers=make.headers(token, **{"Content-Type": "image/png"})
    )
    assert upload.status_code == 201
    writer = Writer(make, token)
    writer.start()
    try:
        while writer.batches < 3:
            threading.Event().wait(0.05)
        result = app.test_cli_runner().invoke(args=["backup", str(dest)])
        assert result.exit_code == 0, result.output
        written_during = writer.batches
    finally:
        writer.stop.set()
        writer.join(timeout=30)
        assert not writer.is_alive(), "the writer did not stop"
    assert writer.batches > 3 and written_during >= 3  # the server was writing around the snapshot
    return writer


def restore_into(app, backup: Path, database_url: str, workdir: Path):
    """`flask restore` as run on another machine: its own database URL and upload folder."""
    saved = {name: app.config[name] for name in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR")}
    app.config.update(SQLALCHEMY_DATABASE_URI=database_url, UPLOAD_DIR=str(workdir / "uploads"))
    try:
        return app.test_cli_runner().invoke(args=["restore", "--yes", str(backup)])
    finally:
        app.config.update(saved)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_backup_while_writing_restores_a_consistent_database(app, make, tmp_path, backend, request):
    if backend == "postgresql":
        require_program("pg_dump", "(apt-get install postgresql-client)")
    backup = tmp_path / "backup"
    backup_while_writing(app, make, backup)
    manifest = json.loads((backup / MANIFEST).read_text())
    assert f"uploads/objects/{SHA[:2]}/{SHA}" in manifest["files"]
    if backend == "sqlite":
        copy = tmp_path / "snapshot.sqlite3"  # opening the backup itself would change its bytes
        shutil.copyfile(backup / manifest["database"]["file"], copy)
        snapshot = counts(f"sqlite:///{copy}")
        target_url, workdir = f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path / "restored"
    else:  # restore over the same database, which has moved on since the backup
        snapshot, target_url, workdir = None, app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "restored"
    result = restore_into(app, backup, target_url, workdir)
    assert result.exit_code == 0, result.output
    restored = counts(target_url)
    assert restored["records"] > 0 and restored["records_without_version"] == 0
    assert restored["record_versions"] == restored["records"]
    if snapshot is not None:
        assert restored == snapshot
    restored_photo = workdir / "uploads" / "objects" / SHA[:2] / SHA
    assert hashlib.sha256(restored_photo.read_bytes()).hexdigest() == SHA


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_restore_refuses_a_tampered_backup_and_touches_nothing(app, make, tmp_path):
    backup = tmp_path / "backup"
    backup_while_writing(app, make, backup)
    photo = backup / "uploads" / "objects" / SHA[:2] / SHA
    photo.write_bytes(photo.read_bytes() + b"!")
    target = tmp_path / "target.sqlite3"
    result = restore_into(app, backup, f"sqlite:///{target}", tmp_path / "restored")
    assert result.exit_code != 0
    assert f"hash mismatch: uploads/objects/{SHA[:2]}/{SHA}" in result.output
    assert not target.exists() and not (tmp_path / "restored" / "uploads" / "objects").exists()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_backup_refuses_a_folder_that_is_not_empty(app, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("older backup")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "old")])
    assert result.exit_code != 0 and "not empty" in result.output
