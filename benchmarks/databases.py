"""The databases the benchmark cases run on: SQLite files in a temporary folder, or PostgreSQL databases.

With HUBDASH_DATABASE_URL set to a PostgreSQL database (e.g. postgresql://hubdash:hubdash@127.0.0.1/hubdash_bench),
every case runs on PostgreSQL: each scratch database is a sibling named after it (hubdash_bench_demo47, ...),
created (the role needs CREATEDB) and dropped again at the end of the run. Otherwise each is a SQLite file.

Demo databases (`python -m hubdash demo-data`) are built once per run and shared by the cases that only read them;
a case that writes asks for a `copy` of one.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from hubdash import db
from hubdash.domain.permissions import SYSTEM
from hubdash.seed.demo import generate_demo_data

_FOLDER: Path | None = None
_DEMOS: dict[tuple[int, int], str] = {}
_CREATED: list[str] = []  # PostgreSQL databases made in this run
# read once: the cases set HUBDASH_DATABASE_URL to their own databases while they run
_BASE = os.environ.get(db.ENV_DATABASE_URL, "").strip()


def postgres_base() -> str | None:
    """The PostgreSQL URL the run is pointed at, or None to run on SQLite."""
    return _BASE if _BASE.startswith(("postgres://", "postgresql")) else None


def backend() -> str:
    """The database the run is on: sqlite or postgresql."""
    return "postgresql" if postgres_base() else "sqlite"


def folder() -> Path:
    """A temporary folder for this run (files, SQLite databases), removed at exit."""
    global _FOLDER
    if _FOLDER is None:
        _FOLDER = Path(tempfile.mkdtemp(prefix="hubdash-bench-"))
        atexit.register(cleanup)
    return _FOLDER


def _admin_engine() -> Engine:
    base = postgres_base()
    assert base is not None
    url = make_url(db.normalise_url(base)).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _pg_name(name: str) -> str:
    base = make_url(db.normalise_url(postgres_base() or "")).database or "hubdash_bench"
    found = f"{base}_{name}".lower().replace("-", "_")
    if not re.fullmatch(r"[a-z0-9_]+", found):
        raise SystemExit(f"cannot make a database name from {found!r}")
    return found


def _drop_pg(name: str) -> None:
    engine = _admin_engine()
    try:
        for attempt in range(20):
            try:
                with engine.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return
            except DBAPIError:
                # FORCE may not end the server's own workers (autovacuum on a fresh copy): wait for them
                if attempt == 19:
                    raise
                time.sleep(0.5)
    finally:
        engine.dispose()


def scratch(name: str, template: str | None = None) -> str:
    """The URL of a new, empty database `name` (or a copy of the database at `template`), replacing any before."""
    base = postgres_base()
    if base is None:
        path = folder() / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if template is not None:
            source = template.removeprefix("sqlite:///")
            with db.make_engine(template).connect() as conn:  # fold the WAL into the file before copying it
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy(source, path)
        return f"sqlite:///{path}"
    target = _pg_name(name)
    _drop_pg(target)
    engine = _admin_engine()
    source = make_url(db.normalise_url(template)).database if template else None
    ours = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND usename = current_user"
    try:
        for attempt in range(20):
            try:
                with engine.connect() as conn:
                    if source:
                        # a template may have no sessions: end those of this run's earlier cases (their engines
                        # ping before using a pooled connection, so they open a new one if they read again)
                        conn.execute(text(ours + " AND pid <> pg_backend_pid()"), {"name": source})
                    copy = f' TEMPLATE "{source}"' if source else ""
                    conn.execute(text(f'CREATE DATABASE "{target}"{copy}'))
                break
            except DBAPIError:
                if attempt == 19:  # the server's own workers (autovacuum) leave the template in a moment
                    raise
                time.sleep(0.5)
    finally:
        engine.dispose()
    if target not in _CREATED:
        _CREATED.append(target)
    return make_url(db.normalise_url(base)).set(database=target).render_as_string(hide_password=False)


def demo(regions: int, indicators: int = 25) -> str:
    """The URL of a `demo-data` database (4 hubs per region, 10 fiscal years, seed 0), built once per run."""
    key = (regions, indicators)
    if key not in _DEMOS:
        url = scratch(f"demo{regions}_{indicators}")
        engine = db.make_engine(url)
        db.upgrade(engine)
        with db.session_scope(engine) as session:
            generate_demo_data(
                session=session, actor=SYSTEM, regions=regions, hubs_per_region=4, indicators=indicators, years=10
            )
        engine.dispose()
        _DEMOS[key] = url
    return _DEMOS[key]


def copy(url: str, name: str) -> str:
    """A fresh copy of the database at `url`, to write to."""
    return scratch(name, template=url)


@contextmanager
def environment(url: str) -> Iterator[None]:
    """HUBDASH_DATABASE_URL set to `url` for the block (for code that reads it, such as the app's engine)."""
    before = os.environ.get(db.ENV_DATABASE_URL)
    os.environ[db.ENV_DATABASE_URL] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(db.ENV_DATABASE_URL, None)
        else:
            os.environ[db.ENV_DATABASE_URL] = before


def cleanup() -> None:
    """Drop the PostgreSQL databases and remove the folder of this run."""
    global _FOLDER
    for name in _CREATED:
        try:
            _drop_pg(name)
        except Exception as exc:  # noqa: BLE001 - cleaning up after a run; say so and go on
            print(f"could not drop database {name}: {exc}")
    _CREATED.clear()
    _DEMOS.clear()
    if _FOLDER is not None:
        shutil.rmtree(_FOLDER, ignore_errors=True)
        _FOLDER = None


def sqlite_file_copy(url: str, path: Path) -> None:
    """Copy the SQLite database at `url` to the file `path` (replacing it)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with db.make_engine(url).connect() as conn:  # fold the WAL into the file before copying it
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(url.removeprefix("sqlite:///"), path)


def sqlite_copy(url: str, name: str, tables: tuple[str, ...] = ("region", "hub", "indicator")) -> str:
    """A SQLite database `name` with the schema and only these tables' rows of the database at `url` (PostgreSQL)."""
    import sqlite3

    import pandas as pd

    path = folder() / f"{name}.db"
    target = f"sqlite:///{path}"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = db.make_engine(target)
    db.upgrade(engine)
    engine.dispose()
    source = db.make_engine(url)
    with source.connect() as conn, sqlite3.connect(path) as out:  # foreign keys off: a plain copy
        for table in tables:
            pd.read_sql_table(table, conn).to_sql(table, out, if_exists="append", index=False)
    source.dispose()
    return target
