"""Migrations: the schema they build is the one models.py declares, and 0002 clears the duplicates races left."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from hubdash import db
from tests.conftest import reset_postgres


def test_the_migrated_schema_is_the_declared_one(engine: Engine) -> None:
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert differences == []


@pytest.fixture
def at_0001(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An empty database at revision 0001 (as hubdash left it before 0002)."""
    if engine.dialect.name == "postgresql":
        reset_postgres(engine)
        old = engine
    else:
        old = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with old.begin() as conn:
        db.upgrade_connection(conn, "0001")
    yield old
    if old is not engine:
        old.dispose()


def _run(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_0002_keeps_one_region_wide_target_per_indicator_and_one_vote_per_idea_and_voter(at_0001: Engine) -> None:
    now = "'2024-01-01 00:00:00'"
    _run(
        at_0001,
        f"INSERT INTO region (id, code, name, description, created_at) VALUES (1, 'r', 'R', '', {now})",
        f"INSERT INTO indicator (id, region_id, code, name, unit, kind, measure, direction, definition, data_source,"
        f" position, created_at) VALUES (1, 1, 'K1', 'k', 'u', 'outcome', 'level', 'higher', '', '', 0, {now})",
        "INSERT INTO hub (id, region_id, code, name, theme, description, pdca_cadence) "
        "VALUES (1, 1, 'H1', 'h', '', '', 'quarter')",
        *(
            "INSERT INTO target (id, region_id, indicator_id, hub_id, baseline_value, baseline_fy, baseline_quarter,"
            " target_value, target_fy, target_quarter, accumulation, tolerance, milestones, version, updated_at)"
            f" VALUES ({i}, 1, 1, {hub}, 0, 2023, 4, {i}, 2027, 4, 'annual', 0.1, '{{}}', {version}, {now})"
            for i, hub, version in ((1, "NULL", 1), (2, "NULL", 3), (3, "NULL", 3), (4, "1", 1))
        ),
        "INSERT INTO targetchange (id, target_id, changed_at, changed_by_name, reason) "
        f"VALUES (1, 2, {now}, 'x', 'kept with its target')",
        f"INSERT INTO workshop (id, region_id, title, votes_per_participant, is_open, created_at, created_by_name)"
        f" VALUES (1, 1, 'W', 5, TRUE, {now}, '')",
        f"INSERT INTO idea (id, workshop_id, region_id, body, author_key, author_name, created_at)"
        f" VALUES (1, 1, 1, 'i', 'a', 'A', {now})",
        *(
            "INSERT INTO ideavote (id, workshop_id, idea_id, voter_key, created_at)"
            f" VALUES ({i}, 1, 1, '{voter}', {now})"
            for i, voter in ((1, "alice"), (2, "alice"), (3, "bob"), (4, "alice"))
        ),
        "INSERT INTO organisation (id, region_id, code, name, sector, council_member) "
        "VALUES (1, 1, 'O1', 'o', 'academia', TRUE)",
        "INSERT INTO pdcacycle (id, hub_id, fiscal_year, quarter, cadence, stage, objectives, do_summary,"
        " check_evaluation, external_opinion, act_summary, version, opened_at, opened_by_name)"
        f" VALUES (1, 1, 2024, 1, 'quarter', 'plan', '', '', '', '', '', 1, {now}, '')",
        "INSERT INTO actionitem (id, cycle_id, hub_id, title, owner_organisation_id, status, evidence, origin,"
        " indicator_ids, created_at, updated_at)"
        f" VALUES (1, 1, 1, 'a', 1, 'not_started', '', 'plan', '[]', {now}, {now})",
    )
    with at_0001.begin() as conn:
        assert db.upgrade_connection(conn, "head")
    with at_0001.connect() as conn:
        assert conn.execute(text("SELECT id FROM target ORDER BY id")).scalars().all() == [2, 4]
        assert conn.execute(text("SELECT target_id FROM targetchange")).scalars().all() == [2]
        assert conn.execute(text("SELECT id FROM ideavote ORDER BY id")).scalars().all() == [1, 3]
        assert conn.execute(text("SELECT version FROM actionitem")).scalars().all() == [1]


def test_every_row_of_a_living_database_survives_every_migration(at_0001: Engine, tmp_path: Path) -> None:
    """The sample region, copied into a database at 0001 as far as that schema holds it, then upgraded to head:
    no table loses a row and no reference is cut (a table that SQLite rebuilds must not cascade its delete)."""
    from sqlalchemy import MetaData, func, insert, select

    from hubdash.domain.permissions import SYSTEM
    from hubdash.seed.sample import load_sample

    source = db.make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    db.upgrade(source)
    with db.session_scope(source) as session:
        load_sample(session=session, actor=SYSTEM, lang="ja")
    old, new = MetaData(), MetaData()
    old.reflect(at_0001)
    new.reflect(source)
    with source.connect() as read, at_0001.begin() as write:
        for table in old.sorted_tables:
            if table.name == "alembic_version":
                continue
            stored = new.tables[table.name]
            query = select(*(stored.c[c.name] for c in table.columns))
            rows = [dict(r._mapping) for r in read.execute(query)]
            if rows:
                write.execute(insert(table), rows)

    def counts() -> dict[str, int]:
        with at_0001.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in old.sorted_tables
                if t.name != "alembic_version"
            }

    def carried() -> int:
        with at_0001.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM actionitem WHERE carried_from_id IS NOT NULL")).scalar_one()

    before, links = counts(), carried()
    assert before["idea"] > 0 and before["ideavote"] > 0 and before["measurement"] > 100 and links > 0
    db.upgrade(at_0001)
    assert db.current_revision(at_0001) == db.head_revision()
    assert counts() == before
    assert carried() == links
    source.dispose()
