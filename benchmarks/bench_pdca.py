"""The PDCA overview over 47 regions x 4 hubs x 40 quarters of cycles, against plain SQL reads of the same rows."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
from sqlmodel import Session

from benchmarks.harness import Result, compare
from hubdash import db
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM
from hubdash.seed.demo import generate_demo_data
from hubdash.services.pdca import pdca_overview

END = FiscalQuarter(2026, 2)
TODAY = date(2026, 11, 28)  # FY2026 Q3: the quarter after the data ends, as when the overview is opened

CYCLES_SQL = """
SELECT h.id, h.code, r.code, c.fiscal_year, c.quarter, c.cadence, c.stage
FROM pdcacycle c JOIN hub h ON h.id = c.hub_id JOIN region r ON r.id = h.region_id {where}
"""
OVERDUE_SQL = """
SELECT a.id, a.title, o.name, a.due_date, a.status, c.fiscal_year, c.quarter
FROM actionitem a JOIN organisation o ON o.id = a.owner_organisation_id
JOIN pdcacycle c ON c.id = a.cycle_id JOIN hub h ON h.id = a.hub_id
WHERE a.status IN ('not_started', 'in_progress') AND a.due_date < ? {where}
ORDER BY a.due_date, a.id
"""
CARRIED_SQL = """
SELECT a.carried_from_id FROM actionitem a JOIN hub h ON h.id = a.hub_id WHERE a.carried_from_id IS NOT NULL {where}
"""


def _database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'pdca.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.session_scope(engine) as session:
        generate_demo_data(
            session=session, actor=SYSTEM, regions=47, hubs_per_region=4, indicators=4, years=10, end=END
        )
    engine.dispose()
    return url


def cases(words: list[str]) -> Iterator[Result]:
    """The overview of one region and of every region, each against pandas reading the same rows."""
    names = ["pdca overview one region", "pdca overview all regions"]
    wanted = [n for n in names if not words or any(w in n for w in words)]
    if not wanted:
        return
    with tempfile.TemporaryDirectory() as folder:
        url = _database(Path(folder))
        engine = db.make_engine(url)
        path = url.removeprefix("sqlite:///")
        for name in wanted:
            region_id = 1 if "one region" in name else None
            where = "WHERE h.region_id = 1" if region_id else ""

            def subject(region_id: int | None = region_id) -> object:
                with Session(engine) as session:
                    return pdca_overview(session=session, region_id=region_id, today=TODAY, quarters=40)

            def floor(where: str = where) -> object:
                with sqlite3.connect(path) as conn:
                    cycles = pd.read_sql(CYCLES_SQL.format(where=where), conn)
                    overdue = pd.read_sql(
                        OVERDUE_SQL.format(where=where.replace("WHERE", "AND")), conn, params=[TODAY.isoformat()]
                    )
                    carried = pd.read_sql(CARRIED_SQL.format(where=where.replace("WHERE", "AND")), conn)
                return cycles, overdue[~overdue["id"].isin(carried["carried_from_id"])]

            yield compare(name, subject, floor, limit=4.0, repeat=5)
        engine.dispose()
