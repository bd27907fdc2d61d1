"""Helpers for tests of backups: make one, restore one, compare them, edit one as a bad disk or a hand would."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from hubdash import db
from hubdash.domain.permissions import SYSTEM
from hubdash.exports.backup import write_backup
from hubdash.readers.backup_file import MANIFEST, open_backup, table_path
from hubdash.services.backup import RestoreResult, database_content, restore_database


def backup(engine: Engine, path: Path) -> Path:
    """Back the database up into `path`."""
    with db.snapshot_scope(engine) as session, path.open("wb") as stream:
        write_backup(database_content(session=session, actor=SYSTEM), stream)
    return path


def restore(engine: Engine, path: Path, *, replace: bool = False) -> RestoreResult:
    """Restore `path` into the database (committed unless it fails)."""
    with open_backup(path) as archive, db.session_scope(engine) as session:
        return restore_database(session=session, actor=SYSTEM, archive=archive, replace=replace)


def tables(path: Path) -> dict[str, bytes]:
    """The table files of a backup (its content, without the manifest's time of writing)."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != MANIFEST}


def manifest(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as archive:
        found: dict[str, object] = json.loads(archive.read(MANIFEST))
        return found


def edited(
    source: Path,
    target: Path,
    *,
    table: str | None = None,
    change: Callable[[bytes], bytes] = lambda data: data,
    manifest_change: Callable[[dict[str, object]], None] = lambda m: None,
) -> Path:
    """A copy of a backup with one table's file changed and the manifest's checksum made to match it."""
    with zipfile.ZipFile(source) as old:
        files = {name: old.read(name) for name in old.namelist()}
    meta = json.loads(files[MANIFEST])
    if table is not None:
        data = change(files[table_path(table)])
        files[table_path(table)] = data
        for entry in meta["tables"]:
            if entry["name"] == table:
                entry["sha256"] = hashlib.sha256(data).hexdigest()
                entry["rows"] = data.count(b"\n")
    manifest_change(meta)
    files[MANIFEST] = json.dumps(meta).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as new:
        for name, data in files.items():
            new.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target
