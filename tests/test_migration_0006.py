"""Migration 0006 on SQLite and PostgreSQL: quarters older than a region's newest are taken as submitted."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, text

from hubdash import db


def _to(engine: Engine, revision: str, *, down: bool = False) -> None:
    with engine.begin() as conn:
        (command.downgrade if down else command.upgrade)(db._alembic_config(conn), revision)  # noqa: SLF001


def test_upgrade_marks_every_quarter_before_the_regions_newest_as_submitted(engine: Engine) -> None:
    _to(engine, "0001", down=True)
    now = "CURRENT_TIMESTAMP"
    try:
        with engine.begin() as conn:
            for sql in (
                f"INSERT INTO region (id, code, name, description, created_at) VALUES (1, 'r1', 'R1', '', {now})",
                f"INSERT INTO region (id, code, name, description, created_at) VALUES (2, 'r2', 'R2', '', {now})",
                *(
                    "INSERT INTO hub (id, region_id, code, name, theme, description, pdca_cadence) "
                    f"VALUES ({hub}, {region}, 'H{hub}', 'h', '', '', 'quarter')"
                    for hub, region in ((1, 1), (2, 1), (3, 2))
                ),
                *(
                    "INSERT INTO indicator (id, region_id, code, name, unit, kind, measure, direction, definition, "
                    f"data_source, position, created_at) VALUES ({i}, {i}, 'K01', 'k', 'x', 'outcome', 'level', "
                    f"'higher', '', '', 1, {now})"
                    for i in (1, 2)
                ),
            ):
                conn.execute(text(sql))
            for hub, indicator, fy, q in [(1, 1, 2024, 3), (1, 1, 2024, 4), (2, 1, 2024, 3), (3, 2, 2024, 2)]:
                conn.execute(
                    text(
                        "INSERT INTO measurement (hub_id, indicator_id, fiscal_year, quarter, value, note, version, "
                        f"entered_at, entered_by_name) VALUES (:h, :i, :fy, :q, 1, '', 1, {now}, '')"
                    ),
                    {"h": hub, "i": indicator, "fy": fy, "q": q},
                )
    finally:
        _to(engine, "head")
    with engine.connect() as conn:
        submitted = conn.execute(
            text(
                "SELECT hub_id, fiscal_year, quarter, status, submitted_by_name FROM quartersubmission ORDER BY hub_id"
            )
        ).all()
        profile = conn.execute(text("SELECT profile FROM target")).all()
    # region 1's newest quarter is FY2024Q4 (only H1 has it): FY2024Q3 is taken as submitted by both hubs;
    # region 2 has only its newest quarter, which stays open
    assert [tuple(r) for r in submitted] == [
        (1, 2024, 3, "submitted", "migration 0006"),
        (2, 2024, 3, "submitted", "migration 0006"),
    ]
    assert profile == []
