"""Read a hubdash backup archive (pure, no database): check it whole, then hand out its rows table by table.

The archive is a ZIP file holding `manifest.json` and one JSON Lines file per table (`tables/<name>.jsonl`,
one JSON object per row, keys = column names). Timestamps are ISO 8601 strings in UTC with microseconds,
dates ISO 8601, JSON columns nested JSON. The manifest names the format and its version, the Alembic schema
revision of the database it came from, and each table's columns, row count and SHA-256. This module is the
one definition of that format; hubdash.exports.backup writes it.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from hubdash.domain.errors import UserError

FORMAT = "hubdash-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def table_path(name: str) -> str:
    """Where a table's rows are in the archive."""
    return f"tables/{name}.jsonl"


def row_line(row: dict[str, Any]) -> bytes:
    """One row as the archive stores it: a JSON object on one line, keys sorted (the same row, the same bytes)."""
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


class BackupFileError(UserError):
    """A file that is not a readable hubdash backup; nothing was restored."""


@dataclass(frozen=True)
class TableEntry:
    """One table of the archive, as its manifest describes it."""

    name: str
    columns: tuple[str, ...]
    rows: int
    sha256: str


class BackupArchive:
    """An opened, checked backup: its schema revision and tables, and their rows read on demand."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, manifest: dict[str, Any], tables: list[TableEntry]):
        self.path = path
        self._zip = archive
        self.manifest = manifest
        self.tables = tables
        self.schema_revision = str(manifest["schema_revision"])

    def table(self, name: str) -> TableEntry | None:
        """The manifest's entry of a table, or None when the archive has no such table."""
        return next((t for t in self.tables if t.name == name), None)

    def rows(self, name: str) -> Iterator[dict[str, Any]]:
        """The rows of one table, in the order they were written."""
        entry = self.table(name)
        if entry is None:
            return
        with self._zip.open(table_path(name)) as handle:
            for line in handle:
                row = json.loads(line)
                if not isinstance(row, dict) or not set(row) <= set(entry.columns):
                    raise _corrupt(self.path, f"{name}: a row that does not fit the table")
                yield row

    def close(self) -> None:
        """Close the underlying file."""
        self._zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _corrupt(path: Path, detail: str) -> BackupFileError:
    return BackupFileError("backup.error_corrupt", file=path.name, detail=detail)


def _manifest(path: Path, archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        raw = archive.read(MANIFEST)
    except KeyError:
        raise BackupFileError("backup.error_foreign", file=path.name) from None
    try:
        manifest = json.loads(raw)
    except ValueError:
        raise _corrupt(path, MANIFEST) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupFileError("backup.error_foreign", file=path.name)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupFileError(
            "backup.error_format_version", file=path.name, found=manifest.get("format_version"), known=FORMAT_VERSION
        )
    return manifest


def _entries(path: Path, manifest: dict[str, Any]) -> list[TableEntry]:
    try:
        entries = [
            TableEntry(str(t["name"]), tuple(str(c) for c in t["columns"]), int(t["rows"]), str(t["sha256"]))
            for t in manifest["tables"]
        ]
        str(manifest["schema_revision"])
    except (KeyError, TypeError, ValueError):
        raise _corrupt(path, MANIFEST) from None
    return entries


def _check(path: Path, archive: zipfile.ZipFile, entry: TableEntry) -> None:
    digest = hashlib.sha256()
    lines = 0
    try:
        with archive.open(table_path(entry.name)) as handle:
            for line in handle:
                digest.update(line)
                lines += 1
    except KeyError:
        raise _corrupt(path, f"{table_path(entry.name)} is missing") from None
    if digest.hexdigest() != entry.sha256 or lines != entry.rows:
        raise _corrupt(path, f"{entry.name}: checksum mismatch")


def _starts_like_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def open_backup(path: Path) -> BackupArchive:
    """Open a backup and check every table against its checksum; raise BackupFileError (one line) otherwise."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupFileError("backup.error_missing", file=path.name) from None
    except (zipfile.BadZipFile, OSError):
        if _starts_like_zip(path):  # a ZIP cut short or damaged, e.g. by a full disk
            raise _corrupt(path, "the ZIP file is incomplete") from None
        raise BackupFileError("backup.error_foreign", file=path.name) from None
    try:
        manifest = _manifest(path, archive)
        entries = _entries(path, manifest)
        for entry in entries:
            _check(path, archive, entry)
    except BackupFileError:
        archive.close()
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # damaged data: CRC, truncation
        archive.close()
        raise _corrupt(path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    return BackupArchive(path, archive, manifest, entries)
