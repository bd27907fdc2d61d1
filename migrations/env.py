"""Alembic environment: hubdash passes its own connection (see hubdash.db.upgrade)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import hubdash.models  # noqa: F401  (registers every table on SQLModel.metadata)
from hubdash.db import database_url, normalise_url

target_metadata = SQLModel.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # the plain `alembic` command line, e.g. `alembic revision --autogenerate`
    engine = create_engine(normalise_url(database_url()))
    with engine.begin() as conn:
        _run(conn)
