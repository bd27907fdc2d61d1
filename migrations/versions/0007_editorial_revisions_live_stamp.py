"""editorial revisions of the vision, and the index behind a live page's change stamp

A revision marked editorial (wording, typos) keeps the endorsements of the revision before it;
revisions saved before this migration are substantive. The newest audit event of a region is read
on every live refresh: an index on (region_id, id) answers it without scanning the region's events.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # added in place (no batch "recreate" on SQLite: rows and their children stay as they are)
    op.add_column('visionrevision', sa.Column('editorial', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index('ix_auditevent_region_event', 'auditevent', ['region_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_auditevent_region_event', table_name='auditevent')
    op.drop_column('visionrevision', 'editorial')  # in place: rebuilding the table would cascade to its children
