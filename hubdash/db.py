"""Engine creation (SQLite by default, PostgreSQL by URL) and schema upgrades through Alembic."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, Engine, Table, bindparam, event, inspect, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.exc import DatabaseError as DriverError
from sqlmodel import Session, SQLModel, create_engine

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "hubdash.db"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
ENV_DATABASE_URL = "HUBDASH_DATABASE_URL"
# Serialises concurrent upgrades when several app servers start against one PostgreSQL.
_PG_MIGRATION_LOCK = 0x48554244  # "HUBD"


class DatabaseError(RuntimeError):
    """A database that cannot be used, explained in one line for the person who configured it."""


def database_url() -> str:
    """The configured database URL: HUBDASH_DATABASE_URL, or the SQLite file in the project folder."""
    return os.environ.get(ENV_DATABASE_URL, "").strip() or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def normalise_url(url: str) -> str:
    """Accept plain postgres URLs and pick the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redacted_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while one writer writes; the busy timeout makes writers wait
    # instead of failing at once; SQLite leaves foreign keys off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _has_nul(value: Any) -> bool:
    if type(value) is str:
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _no_nul(value: Any) -> Any:
    if type(value) is str:
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {k: _no_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_no_nul(v) for v in value)
    return value


def _without_nul(
    _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _executemany: bool
) -> tuple[str, Any]:
    # U+0000 is never typed on purpose, but it can be pasted or uploaded; PostgreSQL refuses it in text
    # (an error the user could not understand), so it is dropped from every text on both databases.
    return statement, (_no_nul(parameters) if _has_nul(parameters) else parameters)


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for `url` (default: database_url()); raise DatabaseError for a malformed URL."""
    raw = url or database_url()
    try:
        parsed = make_url(normalise_url(raw))
    except ArgumentError as exc:
        raise DatabaseError(f"{ENV_DATABASE_URL} is not a database URL: {raw!r} ({exc})") from None
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                folder = Path(parsed.database).expanduser().resolve().parent
                if not folder.is_dir():
                    raise DatabaseError(f"SQLite database folder does not exist: {folder}")
            engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        elif backend == "postgresql":
            engine = create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)
        else:
            raise DatabaseError(
                f"{ENV_DATABASE_URL} names an unsupported database {backend!r}: use sqlite:/// or postgresql://"
            )
    except (NoSuchModuleError, ArgumentError) as exc:
        raise DatabaseError(f"{ENV_DATABASE_URL} cannot be used: {redacted_url(raw)} ({exc})") from None
    event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
    return engine


def check_connection(engine: Engine) -> None:
    """Connect once; raise DatabaseError with one readable line if the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DriverError as exc:  # OperationalError (unreachable) and others, e.g. a file that is not a database
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot connect to {redacted_url(str(engine.url))}: {reason}") from None


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest migration in migrations/."""
    from alembic.script import ScriptDirectory

    with_cfg = _alembic_config(None)
    head = ScriptDirectory.from_config(with_cfg).get_current_head()
    assert head is not None, "migrations/ holds no revision"
    return head


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest migration; return True if anything was applied."""
    from alembic import command

    check_connection(engine)
    if current_revision(engine) == head_revision():
        return False
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        command.upgrade(_alembic_config(conn), "head")
    return True


def table_names(engine: Engine) -> list[str]:
    """Names of the tables that exist in the database."""
    return sorted(inspect(engine).get_table_names())


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# --- writes decided in the database ------------------------------------------------------------------


def insert_statement(session: Session, model: type[SQLModel]) -> Any:
    """An INSERT of the session's dialect, which offers ON CONFLICT (SQLite and PostgreSQL alike)."""
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(model)
    return sqlite_insert(model)


def upsert(
    session: Session, model: type[SQLModel], *, keys: Mapping[str, object], values: Mapping[str, object]
) -> None:
    """Insert the row with these unique `keys`, or update its `values` if it exists: one statement, no race."""
    statement = insert_statement(session, model).values({**keys, **values})
    session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=dict(values)))


# --- optimistic updates: the version check is part of the UPDATE ------------------------------------


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model."""
    table = model.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table models at class creation
    assert isinstance(table, Table)
    return table


def update_checked(
    session: Session,
    model: type[SQLModel],
    *,
    where: Mapping[str, object],
    version: int | None,
    values: Mapping[str, object],
) -> bool:
    """UPDATE the row matching `where` and still at `version`, bumping its version; True when it matched.

    Two writers that read the same version cannot both win: the second UPDATE matches no row. With
    `version` None the row is written whatever its version (restores, first saves). The session's
    copies of the row are not refreshed: callers that keep using them refresh them.
    """
    table = table_of(model)
    statement = update(table).where(*(table.c[name] == value for name, value in where.items()))
    if version is not None:
        statement = statement.where(table.c.version == version)
    result = session.execute(statement.values(**values, version=table.c.version + 1))
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def update_checked_many(
    session: Session,
    model: type[SQLModel],
    rows: Sequence[Mapping[str, object]],
    *,
    same: Mapping[str, object] | None = None,
) -> int:
    """update_checked for many rows by id in one executemany: each row names `id`, `version` and its new values.

    `same` holds values written to every row. Returns how many rows matched their version.
    """
    if not rows:
        return 0
    table = table_of(model)
    columns = [name for name in rows[0] if name not in ("id", "version")]
    statement = (
        update(table)
        .where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
        .values({name: bindparam(f"_{name}") for name in columns} | dict(same or {}) | {"version": table.c.version + 1})
    )
    params = [{f"_{name}": value for name, value in row.items()} for row in rows]
    result = session.connection().execute(statement, params)
    assert isinstance(result, CursorResult)
    return result.rowcount
