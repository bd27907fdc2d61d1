"""Backups and restores: the same content across SQLite and PostgreSQL, all or nothing, older schemas, refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from hubdash import db
from hubdash.domain.enums import Sector
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import OPEN_MODE_ADMIN, SYSTEM
from hubdash.models import ActionItem, AuditEvent, Endorsement, Region, VisionRevision, id_of
from hubdash.readers.backup_file import BackupFileError
from hubdash.seed.sample import load_sample
from hubdash.services import pdca, vision
from hubdash.services.backup import BackupError
from tests import backup_files as files
from tests.conftest import POSTGRES_URL, reset_postgres


def _fill(engine: Engine) -> None:
    """Both sample regions, and some of today's work: timestamps with microseconds, JSON, corrections."""
    with db.session_scope(engine) as s:
        load_sample(session=s, actor=SYSTEM, lang="ja")
        load_sample(session=s, actor=SYSTEM, lang="en")
    with db.session_scope(engine) as s:
        region = s.exec(select(Region).where(Region.code == "sample-en")).one()
        current = vision.current_vision(session=s, region_id=id_of(region))
        assert current.statement is not None
        vision.save_part(
            session=s,
            actor=OPEN_MODE_ADMIN,
            region_id=id_of(region),
            part_key="statement",
            body="A restored statement — 復元",
            base_version=current.statement.version,
            reason="backup test",
        )
    with db.session_scope(engine) as s:
        item = s.exec(select(ActionItem).where(col(ActionItem.carried_from_id).is_not(None))).first()
        assert item is not None  # the samples carry actions over: a column pointing into its own table
        cycle = pdca.open_cycle(session=s, actor=OPEN_MODE_ADMIN, hub_id=item.hub_id, period=FiscalQuarter(2030, 1))
        assert cycle.id is not None


def _moments(engine: Engine) -> list[object]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent.occurred_at).order_by(col(AuditEvent.id))).all())


@pytest.fixture
def other_engine(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the other kind (PostgreSQL for a SQLite test, SQLite for a PostgreSQL one)."""
    if engine.dialect.name == "sqlite" and POSTGRES_URL:
        other = db.make_engine(POSTGRES_URL)
        reset_postgres(other)
    else:
        other = db.make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    yield other
    other.dispose()


def test_backup_restore_backup_gives_the_same_content_across_databases(
    engine: Engine, other_engine: Engine, tmp_path: Path
) -> None:
    _fill(engine)
    first = files.backup(engine, tmp_path / "first.zip")
    assert files.manifest(first)["schema_revision"] == db.head_revision()
    result = files.restore(other_engine, first)
    assert result.rows["measurement"] > 300 and result.upgraded_to == db.head_revision()
    second = files.backup(other_engine, tmp_path / "second.zip")
    assert files.tables(second) == files.tables(first)
    # and back again into the first kind of database
    again = db.make_engine(f"sqlite:///{tmp_path / 'again.db'}")
    files.restore(again, second)
    assert files.tables(files.backup(again, tmp_path / "third.zip")) == files.tables(first)
    # timestamps survive to the microsecond, in UTC
    moments = _moments(engine)
    assert _moments(other_engine) == moments == _moments(again)
    assert any(m.microsecond for m in moments) and {m.tzinfo for m in moments} == {UTC}  # type: ignore[attr-defined]
    again.dispose()


def test_after_a_restore_new_rows_get_new_ids(engine: Engine, other_engine: Engine, tmp_path: Path) -> None:
    _fill(engine)
    files.restore(other_engine, files.backup(engine, tmp_path / "b.zip"))
    with db.session_scope(other_engine) as s:
        newest = max(s.exec(select(VisionRevision.id)).all())
        region = s.exec(select(Region).where(Region.code == "sample-ja")).one()
        org = next(
            o for o in vision.endorsement_coverage(session=s, region_id=id_of(region)) if o.sector is Sector.ACADEMIA
        )
        current = vision.current_vision(session=s, region_id=id_of(region))
        assert current.statement is not None
        saved = vision.save_part(
            session=s,
            actor=OPEN_MODE_ADMIN,
            region_id=id_of(region),
            part_key="statement",
            body="after the restore",
            base_version=current.statement.version,
            reason="r",
        )
        endorsed = vision.endorse(
            session=s,
            actor=OPEN_MODE_ADMIN,
            region_id=id_of(region),
            organisation_id=org.organisation_id,
            person_name="New Person",
        )
    assert id_of(saved) == newest + 1
    assert endorsed.id is not None


def test_a_database_with_data_is_refused_unless_replace(engine: Engine, tmp_path: Path) -> None:
    source = db.make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    db.upgrade(source)
    with db.session_scope(source) as s:
        load_sample(session=s, actor=SYSTEM, lang="en")
    archive = files.backup(source, tmp_path / "en.zip")
    source.dispose()
    with db.session_scope(engine) as s:
        load_sample(session=s, actor=SYSTEM, lang="ja")
    before = files.tables(files.backup(engine, tmp_path / "before.zip"))
    with pytest.raises(BackupError, match="already holds data") as refused:
        files.restore(engine, archive)
    assert refused.value.key == "backup.error_not_empty"
    assert files.tables(files.backup(engine, tmp_path / "still.zip")) == before
    files.restore(engine, archive, replace=True)
    with Session(engine) as s:
        assert s.exec(select(Region.code)).all() == ["sample-en"]
    assert files.tables(files.backup(engine, tmp_path / "after.zip")) == files.tables(archive)


def test_a_restore_that_fails_half_way_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    _fill(engine)
    good = files.backup(engine, tmp_path / "good.zip")
    # the last table loaded holds a row pointing nowhere: everything before it was written already
    bad = files.edited(
        good,
        tmp_path / "bad.zip",
        table="targetchange",
        change=lambda _: (
            b'{"after":null,"before":null,"changed_at":"2024-01-01T00:00:00.000000+00:00",'
            b'"changed_by_name":"x","id":1,"reason":"r","target_id":999999}\n'
        ),
    )
    with pytest.raises(BackupError) as failed:
        files.restore(engine, bad, replace=True)
    assert failed.value.key == "backup.error_rows"
    assert files.tables(files.backup(engine, tmp_path / "after.zip")) == files.tables(good)


def test_a_backup_of_an_older_schema_restores_and_is_migrated(engine: Engine, tmp_path: Path) -> None:
    _fill(engine)
    at_head = files.backup(engine, tmp_path / "head.zip")
    with engine.begin() as conn:  # the same data as an older hubdash kept it
        command.downgrade(db._alembic_config(conn), "0001")
    old = files.backup(engine, tmp_path / "old.zip")
    assert files.manifest(old)["schema_revision"] == "0001"
    assert "version" not in next(t for t in files.manifest(old)["tables"] if t["name"] == "actionitem")["columns"]  # type: ignore[union-attr, index]
    fresh = db.make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    result = files.restore(fresh, old)
    assert (result.schema_revision, result.upgraded_to) == ("0001", db.head_revision())
    migrated = files.tables(files.backup(fresh, tmp_path / "migrated.zip"))
    # what 0001 has no place for is gone: the quarterly profiles of targets and the quarters' submissions
    # (0006 takes every quarter before a region's newest as submitted); everything else is as it was
    assert _without_0006(migrated) == _without_0006(files.tables(at_head))
    assert b"migration 0006" in migrated["tables/quartersubmission.jsonl"]
    fresh.dispose()


def _without_0006(tables: dict[str, bytes]) -> dict[str, bytes]:
    kept = {name: data for name, data in tables.items() if name != "tables/quartersubmission.jsonl"}
    rows = [json.loads(line) for line in kept["tables/target.jsonl"].splitlines()]
    assert rows and all("profile" in row for row in rows)
    kept["tables/target.jsonl"] = b"\n".join(json.dumps({**r, "profile": None}).encode() for r in rows)
    return kept


def test_a_backup_from_a_newer_hubdash_or_format_is_refused(engine: Engine, tmp_path: Path) -> None:
    _fill(engine)
    good = files.backup(engine, tmp_path / "good.zip")
    newer = files.edited(good, tmp_path / "newer.zip", manifest_change=lambda m: m.update(schema_revision="0999"))
    with pytest.raises(BackupError, match="newer hubdash"):
        files.restore(engine, newer, replace=True)
    future = files.edited(good, tmp_path / "future.zip", manifest_change=lambda m: m.update(format_version=2))
    with pytest.raises(BackupFileError, match="format 2"):
        files.restore(engine, future, replace=True)
    with Session(engine) as s:
        assert len(s.exec(select(Endorsement)).all()) > 0  # untouched
