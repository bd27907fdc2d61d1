"""an index on the quarters of the measurements, for which hubs have reported which recent quarters

services.reporting asks which hubs have entered any value for the quarters after the latest complete one
(every summary, for one region or all of them); without an index leading on the quarter it reads every
measurement of every year. (fiscal_year, quarter, hub_id) answers it from the recent quarters alone.

Revision ID: 0011
Revises: 0008
Create Date: 2026-11-30 00:10:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0011'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # added in place (no batch "recreate" on SQLite: rows and their children stay as they are)
    op.create_index('ix_measurement_period_hub', 'measurement', ['fiscal_year', 'quarter', 'hub_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_measurement_period_hub', table_name='measurement')
