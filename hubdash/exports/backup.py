"""Write a backup archive (the format is defined in hubdash.readers.backup_file), streaming table by table."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from hubdash.readers.backup_file import FORMAT, FORMAT_VERSION, MANIFEST, row_line, table_path
from hubdash.services.backup import DatabaseContent


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds."""

    schema_revision: str
    rows: dict[str, int]


def write_backup(
    content: DatabaseContent, stream: IO[bytes], *, progress: Callable[[str, int], None] | None = None
) -> BackupSummary:
    """Write every table of `content` and the manifest to `stream` as a ZIP archive."""
    tables: list[dict[str, Any]] = []
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for table in content.tables:
            digest = hashlib.sha256()
            count = 0
            with archive.open(table_path(table.name), "w", force_zip64=True) as handle:
                for row in table.rows():
                    line = row_line(row)
                    digest.update(line)
                    handle.write(line)
                    count += 1
            tables.append(
                {"name": table.name, "columns": list(table.columns), "rows": count, "sha256": digest.hexdigest()}
            )
            if progress:
                progress(table.name, count)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": content.schema_revision,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": content.dialect,
            "tables": tables,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return BackupSummary(content.schema_revision, {t["name"]: t["rows"] for t in tables})
