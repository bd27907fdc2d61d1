"""one winner per race: one region-wide target per indicator, one vote per idea and voter, action item versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 18:00:00

Races before this revision could leave duplicates, which the new unique indexes refuse, so they are
removed first: of several region-wide targets of one indicator the most re-baselined one stays (the
lowest id among equals), with its history; of several votes of one voter on one idea the first stays.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGION_WIDE = sa.text("hub_id IS NULL")


def upgrade() -> None:
    op.execute(
        "DELETE FROM target WHERE hub_id IS NULL AND EXISTS ("
        " SELECT 1 FROM target AS kept WHERE kept.hub_id IS NULL AND kept.indicator_id = target.indicator_id"
        " AND (kept.version > target.version OR (kept.version = target.version AND kept.id < target.id)))"
    )
    op.create_index(
        "uq_target_region_wide",
        "target",
        ["indicator_id"],
        unique=True,
        sqlite_where=REGION_WIDE,
        postgresql_where=REGION_WIDE,
    )
    op.execute(
        "DELETE FROM ideavote WHERE EXISTS ("
        " SELECT 1 FROM ideavote AS kept WHERE kept.idea_id = ideavote.idea_id"
        " AND kept.voter_key = ideavote.voter_key AND kept.id < ideavote.id)"
    )
    op.create_index("uq_ideavote_idea_voter", "ideavote", ["idea_id", "voter_key"], unique=True)
    op.add_column("actionitem", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would copy the table, and dropping the old copy with
    # foreign keys on would set every carried_from_id of the new copy to NULL.
    op.drop_column("actionitem", "version")
    op.drop_index("uq_ideavote_idea_voter", table_name="ideavote")
    op.drop_index("uq_target_region_wide", table_name="target")
