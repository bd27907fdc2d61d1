"""The database layer: URLs, SQLite settings, migrations, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from hubdash import db
from hubdash.models import Region


def test_default_url_is_sqlite_file_in_project_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.ENV_DATABASE_URL, raising=False)
    assert db.database_url() == f"sqlite:///{db.PROJECT_ROOT / 'hubdash.db'}"


def test_plain_postgres_urls_get_the_psycopg_driver() -> None:
    assert db.normalise_url("postgresql://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert db.normalise_url("postgres://u:p@h/d") == "postgresql+psycopg://u:p@h/d"
    assert db.normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_with_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://u@h/d", "unsupported database 'mysql'"),
        ("sqlite:////no/such/folder/x.db", "folder does not exist"),
    ],
)
def test_malformed_urls_give_one_clear_line(url: str, says: str) -> None:
    with pytest.raises(db.DatabaseError, match=says) as info:
        db.make_engine(url)
    assert "\n" not in str(info.value)


def test_unreachable_postgres_gives_one_clear_line_without_password() -> None:
    engine = db.make_engine("postgresql://someone:secret@127.0.0.1:1/nothing")
    with pytest.raises(db.DatabaseError, match="cannot connect to") as info:
        db.upgrade(engine)
    assert "secret" not in str(info.value)
    assert "\n" not in str(info.value)


def test_upgrade_creates_every_table_and_then_changes_nothing(engine) -> None:
    assert db.current_revision(engine) == db.head_revision()
    assert set(SQLModel.metadata.tables) <= set(db.table_names(engine))
    assert db.upgrade(engine) is False


def test_foreign_keys_are_enforced(session: Session) -> None:
    from hubdash.models import Hub

    session.add(Hub(region_id=999, code="H", name="orphan"))
    with pytest.raises(Exception, match="(?i)foreign key"):
        session.flush()


def test_timestamps_are_stored_in_utc(session: Session) -> None:
    session.add(Region(code="r", name="R"))
    session.commit()
    stored = session.exec(text("SELECT created_at FROM region")).scalar()  # type: ignore[call-overload]
    assert stored is not None
