"""Engine creation (SQLite by default, PostgreSQL by URL), schema upgrades through Alembic, and the ways
writers take turns: write locks, version-checked UPDATEs, upserts, unique inserts and retries.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import IO, Any, TypeVar, cast

from sqlalchemy import ClauseElement, Connection, CursorResult, Engine, Table, bindparam, event, inspect, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.exc import DatabaseError as DriverError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import Session, SQLModel, create_engine

T = TypeVar("T")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "hubdash.db"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
ENV_DATABASE_URL = "HUBDASH_DATABASE_URL"
# Serialises concurrent upgrades when several app servers start against one PostgreSQL.
_PG_MIGRATION_LOCK = 0x48554244  # "HUBD"
# Serialises the first start (schema upgrade, sample region) of several servers or commands.
_PG_STARTUP_LOCK = 0x48554245


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
    # hubdash emits BEGIN itself (see _sqlite_begin), so that a writer can begin with BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
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
            event.listen(engine, "begin", _sqlite_begin)
            event.listen(engine, "before_cursor_execute", _sqlite_before_statement)
            event.listen(engine, "commit", _sqlite_end)
            event.listen(engine, "rollback", _sqlite_end)
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


_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=\n]*=[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_QUOTED = re.compile(r"""(['"])([\w.-]+)\1""")


@cache
def _head_on_disk() -> str | None:
    """The newest migration, read from each file's own `revision` and `down_revision` lines without loading
    Alembic (0.1 s of every command's start); None when any file is not that plain (a merge, say): then
    Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        lines = _REVISION_LINE.findall(path.read_text(encoding="utf-8"))
        if sorted(name for name, _ in lines) != ["down_revision", "revision"]:
            return None
        found = dict(lines)
        revision = _QUOTED.fullmatch(found["revision"])
        parent = _QUOTED.fullmatch(found["down_revision"])
        if revision is None or (parent is None and found["down_revision"] != "None"):
            return None
        revisions.add(revision.group(2))
        if parent is not None:
            parents.add(parent.group(2))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def _revision_in_database(engine: Engine) -> str | None:
    """The one revision in alembic_version, by plain SQL; None when there is none, or more than one."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except DriverError:  # no such table: an empty database
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest migration; return True if anything was applied.

    Several servers or commands starting together take turns; the later ones find the schema upgraded.
    """
    with startup_lock(engine):
        check_connection(engine)
        head = _head_on_disk()
        if head is not None and _revision_in_database(engine) == head:
            return False  # up to date, told without loading Alembic
        if current_revision(engine) == head_revision():
            return False
        with schema_session(engine) as session:
            return upgrade_connection(session.connection(), "head")


@contextmanager
def schema_session(engine: Engine) -> Iterator[Session]:
    """session_scope for schema changes and restores: on SQLite, foreign keys are off while it runs.

    SQLite rebuilds a table to alter it in ways ALTER TABLE cannot (Alembic's batch mode): with foreign
    keys on, dropping the old table would first delete its rows and cascade that into every table that
    points at it (ideas and votes of a rebuilt workshop table, ...). They are switched off outside the
    transaction, as SQLite requires, and every reference is checked before the commit instead.
    """
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with Session(bind=connection, expire_on_commit=False) as session:
                try:
                    yield session
                    if raw is not None:
                        broken = session.connection().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise DatabaseError(f"the new schema leaves {len(broken)} broken references: {broken[:5]}")
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade_connection(connection: Connection, revision: str) -> bool:
    """Migrate inside the caller's transaction up to `revision`, after taking the migration lock.

    Returns True if anything was applied (False when another process got there first).
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
    else:
        lock_connection(connection)
    before = MigrationContext.configure(connection).get_current_revision()
    command.upgrade(_alembic_config(connection), revision)
    return MigrationContext.configure(connection).get_current_revision() != before


def table_names(engine: Engine) -> list[str]:
    """Names of the tables that exist in the database."""
    return sorted(inspect(engine).get_table_names())


def table_names_on(connection: Connection) -> list[str]:
    """Names of the tables that exist, as the connection's transaction sees them."""
    return sorted(inspect(connection).get_table_names())


def revision_on(connection: Connection) -> str | None:
    """The Alembic revision, as the connection's transaction sees it (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def is_known_revision(revision: str) -> bool:
    """Whether migrations/ holds this revision (a backup from a newer hubdash names one it does not)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(_alembic_config(None)).get_revision(revision) is not None
    except CommandError:
        return False


@contextmanager
def snapshot_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work that only reads and sees the whole database as it was at its first read (backups)."""
    bind = (
        engine.execution_options(isolation_level="REPEATABLE READ") if engine.dialect.name == "postgresql" else engine
    )
    with Session(bind) as session:  # SQLite: a transaction in WAL mode reads one snapshot anyway
        try:
            yield session
        finally:
            session.rollback()


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


# --- taking turns: write locks, start-up lock, retries ------------------------------------------------

# conn.info["hubdash_txn"] on SQLite: "pending" (BEGIN not sent yet), "deferred" (BEGIN sent, reads may
# have run), "immediate" (this transaction holds the database's write lock).
_TXN = "hubdash_txn"
# A write that changes nothing: it takes SQLite's write lock inside a transaction that has begun already.
_SQLITE_TAKE_WRITE_LOCK = "UPDATE alembic_version SET version_num = version_num WHERE version_num IS NULL"


def _sqlite_begin(conn: Connection) -> None:
    # BEGIN waits for the first statement: a writer's first statement is BEGIN IMMEDIATE (lock_for_write).
    conn.info[_TXN] = "pending"


def _sqlite_before_statement(conn: Connection, cursor: Any, *_args: Any) -> None:
    if conn.info.get(_TXN) == "pending":
        conn.info[_TXN] = "deferred"
        cursor.execute("BEGIN")


def _sqlite_end(conn: Connection) -> None:
    conn.info.pop(_TXN, None)


def _advisory_key(subject: str) -> int:
    """A stable signed 64-bit key for a PostgreSQL advisory lock on `subject`."""
    return int.from_bytes(hashlib.blake2b(subject.encode(), digest_size=8).digest(), "big", signed=True)


def lock_connection(connection: Connection, subject: str | None = None) -> None:
    """lock_for_write on a Core connection (migrations, restores)."""
    if connection.dialect.name == "sqlite":
        state = connection.info.get(_TXN)
        if state == "pending":
            connection.info[_TXN] = "immediate"
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif state == "deferred":
            # Statements ran already. A transaction that has written holds the lock; one that has only
            # read may not take it (another writer is at work, or committed after its first read): it
            # starts again as a writer. From here on its reads are current, as after a lock on PostgreSQL.
            try:
                connection.exec_driver_sql(_SQLITE_TAKE_WRITE_LOCK)
            except OperationalError as exc:
                if not is_retryable(exc) or connection.in_nested_transaction():
                    raise
                connection.exec_driver_sql("ROLLBACK")
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.info[_TXN] = "immediate"
    elif subject is not None:
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _advisory_key(subject)})


def lock_for_write(session: Session, subject: str | None = None) -> None:
    """Take turns with every other writer of `subject` until this transaction ends. Call it first.

    A service that reads what it then writes calls this before its first read. SQLite allows one
    writer at a time: the transaction takes the database's write lock now (BEGIN IMMEDIATE), so its
    reads see every committed write and nobody else writes before it commits. PostgreSQL locks rows
    as they are written; `subject` (e.g. "vision:12") names what else writers must do one at a time,
    with a transaction-scoped advisory lock. Calling it again in the same transaction is harmless;
    on both databases, what was read before the call may be out of date, what is read after it is not.
    """
    lock_connection(session.connection(), subject)


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Let one process at a time create, upgrade or first fill the database; the others wait, then find it done.

    SQLite: an exclusive lock on the file `<database>.lock` next to the database (the database file may
    not exist yet). PostgreSQL: a session-level advisory lock. In-memory SQLite needs none.
    """
    database = engine.url.database
    if engine.dialect.name == "sqlite":
        if not database or database == ":memory:":
            yield
            return
        with open(f"{database}.lock", "a+b") as handle:
            _lock_file(handle)
            try:
                yield
            finally:
                _unlock_file(handle)
        return
    check_connection(engine)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("SELECT pg_advisory_lock(:k)"), {"k": _PG_STARTUP_LOCK}
        )
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_STARTUP_LOCK})


if sys.platform == "win32":  # pragma: no cover - hubdash is tested on Linux
    import msvcrt

    def _lock_file(handle: IO[bytes]) -> None:
        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after 10 s: keep waiting
                continue

    def _unlock_file(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_file(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def _unlock_file(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# PostgreSQL SQLSTATEs of a transaction that lost a race it can simply run again.
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
_SQLITE_BUSY = 5  # and its extended codes (BUSY_SNAPSHOT 517, ...) in the low byte


class Busy(DatabaseError):
    """The database stayed too busy to take this write, even after waiting and trying again."""


def is_retryable(exc: BaseException) -> bool:
    """Whether the error means "another transaction got in the way; run this one again"."""
    if not isinstance(exc, DBAPIError) or exc.orig is None:
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _RETRY_SQLSTATES
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == _SQLITE_BUSY


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the INSERT or UPDATE broke a unique constraint (not a foreign key or NOT NULL)."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is not None:
        return bool(sqlstate == "23505")
    # SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
    return getattr(exc.orig, "sqlite_errorcode", None) in (2067, 1555)


def run_in_transaction(engine: Engine, work: Callable[[Session], T], *, attempts: int = 4) -> T:
    """Run `work` in one transaction and commit; run it again when the database asks for a retry.

    Raises Busy when the last attempt is still refused. `work` must do nothing outside the database
    that would matter twice.
    """
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine) as session:
                return work(session)
        except DBAPIError as exc:
            if not is_retryable(exc):
                raise
            if attempt == attempts:
                raise Busy(f"the database is busy; try again ({str(exc.orig).splitlines()[0]})") from None
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


# --- writes decided in the database ------------------------------------------------------------------


def insert_statement(session: Session, model: type[SQLModel]) -> Any:
    """An INSERT of the session's dialect, which offers ON CONFLICT (SQLite and PostgreSQL alike)."""
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(model)
    return sqlite_insert(model)


def upsert(
    session: Session, model: type[SQLModel], *, keys: Mapping[str, object], values: Mapping[str, object]
) -> int | None:
    """Insert the row with these unique `keys`, or update its `values` if it exists: one statement, no race.

    Returns the row's id (for tables with an `id` column).
    """
    statement = insert_statement(session, model).values({**keys, **values})
    statement = statement.on_conflict_do_update(index_elements=list(keys), set_=dict(values))
    table = table_of(model)
    if "id" not in table.c:
        session.execute(statement)
        return None
    found = session.execute(statement.returning(table.c.id)).scalar_one()
    return int(found)


def add_unique(session: Session, row: SQLModel) -> bool:
    """Add and flush a new row; False (and nothing added) when a unique constraint holds its key already.

    The database decides: of two writers adding the same key at once, one gets True, the other False.
    """
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        return False
    return True


# --- optimistic updates: the version check is part of the UPDATE ------------------------------------


def driver_rows(session: Session, statement: ClauseElement) -> list[tuple[Any, ...]]:
    """The rows of a SELECT as the driver returns them: plain tuples without SQLAlchemy's per-row work or type
    conversion (read numbers and codes this way, not JSON or times), for reads of hundreds of thousands of rows."""
    return list(driver_stream(session, statement))


def driver_stream(session: Session, statement: ClauseElement) -> Iterator[tuple[Any, ...]]:
    """driver_rows one row at a time: for a loop that folds many rows into fewer objects, so that each row is
    freed as soon as it is read (a list of every row would live through, and set off, the garbage collector)."""
    connection = session.connection()
    compiled = cast(SQLCompiler, statement.compile(dialect=connection.dialect))
    params = compiled.params
    arguments: Any = (
        tuple(params[name] for name in compiled.positiontup or ()) if connection.dialect.positional else params
    )
    result = connection.exec_driver_sql(str(compiled), arguments)
    try:
        yield from cast(Iterator[tuple[Any, ...]], result.cursor)
    finally:
        result.close()


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


def insert_plain(connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """INSERT many rows of plain values straight through the driver: COPY on PostgreSQL (psycopg 3), one
    executemany elsewhere. For bulk writes of 200,000 rows, which SQLAlchemy's per-row work would double.

    The statement listeners do not run (scanning every row for U+0000 costs more than writing it), so text
    in `rows` must come through `drop_nul` first, and values must be as the driver takes them. On SQLite the
    transaction's deferred BEGIN is sent first, as before any statement. Driver errors are raised as
    SQLAlchemy's (IntegrityError, ...), like any statement's.
    """
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    dbapi = dialect.loaded_dbapi
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # an open connection
    statement = f"COPY {quote(table.name)} ({names}) FROM STDIN"
    try:
        if dialect.name == "sqlite":
            _sqlite_before_statement(connection, cursor)
        if hasattr(cursor, "copy"):
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
            statement = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"
            cursor.executemany(statement, rows)
    except dbapi.Error as exc:
        raise DBAPIError.instance(statement, None, exc, dbapi.Error, dialect=dialect) from exc
    finally:
        cursor.close()


def drop_nul(text: str) -> str:
    """Text without U+0000 (see _without_nul), for insert_plain."""
    return text.replace("\x00", "")
