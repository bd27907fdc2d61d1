"""Starting up: a database already at the newest schema is told so without loading Alembic, and truly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from hubdash import db


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert db._head_on_disk() == db.head_revision()


def test_an_upgraded_database_reports_the_head_by_plain_sql(engine: Engine) -> None:
    assert db._revision_in_database(engine) == db.head_revision()
    assert db.upgrade(engine) is False


def test_a_database_one_migration_behind_is_still_upgraded(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade(engine)
    with engine.begin() as conn:  # as if the newest migration had not run yet: Alembic must be asked
        conn.execute(text("UPDATE alembic_version SET version_num = 'not-the-head'"))
    with pytest.raises(Exception, match="not-the-head"):  # Alembic, not the shortcut, reads it
        db.upgrade(engine)
    engine.dispose()


def test_an_empty_database_has_no_revision(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert db._revision_in_database(engine) is None
    engine.dispose()
