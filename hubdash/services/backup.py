"""Back up every table of the database, and restore a backup all or nothing, on SQLite and PostgreSQL alike.

A backup holds the rows of the schema revision the database is at (read by reflection, so a database not
yet upgraded can be backed up first). A restore rebuilds that revision's schema, loads the rows and then
runs the newer migrations, all in one transaction: a restore that fails or is killed leaves the database as
it was. Values travel as plain JSON (see hubdash.readers.backup_file), timestamps in UTC to the microsecond.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from sqlalchemy import Connection, Date, DateTime, MetaData, Table, bindparam, exists, func, insert, select, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session, SQLModel

import hubdash.models  # noqa: F401  (registers every table on SQLModel.metadata)
from hubdash import db
from hubdash.domain.errors import UserError
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.readers.backup_file import BackupArchive

ALEMBIC_TABLE = "alembic_version"
_BATCH = 2000


class BackupError(UserError):
    """A backup or restore that cannot be done; nothing was changed."""


@dataclass(frozen=True)
class TableRows:
    """One table of a backup: its columns and its rows as plain JSON values (read while the session is open)."""

    name: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterator[dict[str, Any]]]


@dataclass(frozen=True)
class DatabaseContent:
    """Everything a backup holds: the schema revision and every table, parents before children."""

    schema_revision: str
    dialect: str
    tables: list[TableRows]


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did."""

    schema_revision: str  # of the backup
    upgraded_to: str  # the schema the database is at now
    rows: dict[str, int]
    replaced: bool


def _hubdash_tables(connection: Connection, also: Collection[str] = ()) -> MetaData:
    """The tables of hubdash found in the database (other tables in it are left alone), reflected."""
    known = set(SQLModel.metadata.tables) | set(also) | {ALEMBIC_TABLE}
    present = [name for name in db.table_names_on(connection) if name in known]
    metadata = MetaData()
    metadata.reflect(connection, only=present)
    return metadata


def _portable(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execute(select(table).order_by(*order).execution_options(yield_per=_BATCH))
    for row in result.mappings():
        yield {name: _portable(value) for name, value in row.items()}


def database_content(*, session: Session, actor: Actor) -> DatabaseContent:
    """Every hubdash table of the database with its rows, for a backup (administrators only).

    Use a session from db.snapshot_scope, so that every table is read as it was at one moment.
    """
    require(actor, Permission.RESTORE)
    connection = session.connection()
    revision = db.revision_on(connection)
    if revision is None:
        raise BackupError("backup.error_empty_database")
    metadata = _hubdash_tables(connection)
    tables = [t for t in metadata.sorted_tables if t.name != ALEMBIC_TABLE]
    return DatabaseContent(
        schema_revision=revision,
        dialect=connection.dialect.name,
        tables=[TableRows(t.name, tuple(c.name for c in t.columns), partial(_rows, connection, t)) for t in tables],
    )


# --- restore ----------------------------------------------------------------------------------------


def _has_rows(connection: Connection, metadata: MetaData) -> bool:
    return any(
        connection.execute(select(exists().select_from(t))).scalar()
        for t in metadata.sorted_tables
        if t.name != ALEMBIC_TABLE
    )


def _stored(table: Table, name: str, value: Any) -> Any:
    if value is None:
        return None
    column_type = table.c[name].type
    if isinstance(column_type, DateTime):
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    return value


def _load(connection: Connection, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    """Insert the rows; columns pointing into the same table are filled in afterwards (any order works)."""
    later = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    key = [c.name for c in table.primary_key.columns]
    columns = [c.name for c in table.columns]
    follow_up: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    count = 0
    for row in rows:
        values = {name: _stored(table, name, row.get(name)) for name in columns if name in row}
        if later and any(values.get(name) is not None for name in later):
            follow_up.append({f"_{k}": values[k] for k in key} | {name: values.get(name) for name in later})
            values.update(dict.fromkeys(later))
        batch.append(values)
        count += 1
        if len(batch) >= _BATCH:
            connection.execute(insert(table), batch)
            batch = []
    if batch:
        connection.execute(insert(table), batch)
    if follow_up:
        statement = (
            table.update()
            .where(*(table.c[k] == bindparam(f"_{k}") for k in key))
            .values({name: bindparam(name) for name in later})
        )
        connection.execute(statement, follow_up)
    return count


def _reset_sequences(connection: Connection, metadata: MetaData) -> None:
    """New rows after a restore get fresh ids (PostgreSQL; SQLite takes max(id) + 1 by itself)."""
    if connection.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:t, 'id'), coalesce(max(id), 0) + 1, false) FROM "
                + connection.dialect.identifier_preparer.quote(table.name)
            ),
            {"t": connection.dialect.identifier_preparer.quote(table.name)},
        )


def restore_database(
    *,
    session: Session,
    actor: Actor,
    archive: BackupArchive,
    replace: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> RestoreResult:
    """Replace the database's content with the backup's, then upgrade it to the newest schema: all or nothing.

    Refuses a database holding any row unless `replace`. Everything happens in the session's transaction,
    which holds the write lock from its start; the caller commits. `progress(table, rows)` is told each table.
    """
    require(actor, Permission.RESTORE)
    if not db.is_known_revision(archive.schema_revision):
        raise BackupError("backup.error_unknown_revision", file=archive.path.name, revision=archive.schema_revision)
    connection = session.connection()
    db.lock_connection(connection, "restore")
    existing = _hubdash_tables(connection, {t.name for t in archive.tables})
    if not replace and _has_rows(connection, existing):
        raise BackupError("backup.error_not_empty", file=archive.path.name)
    existing.drop_all(connection)
    db.upgrade_connection(connection, archive.schema_revision)
    schema = _hubdash_tables(connection)
    unknown = sorted({t.name for t in archive.tables} - set(schema.tables))
    if unknown:
        raise BackupError("backup.error_tables", file=archive.path.name, tables=unknown)
    counts: dict[str, int] = {}
    for table in schema.sorted_tables:
        entry = archive.table(table.name)
        if table.name == ALEMBIC_TABLE or entry is None:
            continue
        missing = sorted(set(entry.columns) - set(table.c.keys()))
        if missing:
            raise BackupError("backup.error_columns", file=archive.path.name, table=table.name, columns=missing)
        try:
            counts[table.name] = _load(connection, table, archive.rows(table.name))
        except UserError:
            raise
        except (IntegrityError, DataError, ValueError, TypeError) as exc:  # a backup edited or made by hand
            cause = getattr(exc, "orig", None) or exc
            reason = (str(cause).strip().splitlines() or [type(exc).__name__])[0]
            raise BackupError("backup.error_rows", file=archive.path.name, table=table.name, reason=reason) from None
        if progress:
            progress(table.name, counts[table.name])
    db.upgrade_connection(connection, "head")
    _reset_sequences(connection, _hubdash_tables(connection))
    return RestoreResult(archive.schema_revision, db.head_revision(), counts, replace)


def row_counts(*, session: Session) -> dict[str, int]:
    """How many rows each hubdash table holds (for operators checking a restore)."""
    connection = session.connection()
    metadata = _hubdash_tables(connection)
    return {
        t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one())
        for t in metadata.sorted_tables
        if t.name != ALEMBIC_TABLE
    }
