"""Importing 200,000 progress rows, against reading the same file with pandas and a plain executemany.

Subject: hubdash's whole path (read and validate every row, resolve codes, compare with stored
values, judge which rows need a note, insert) on a fresh copy of a database. Floor: pandas.read_csv
of the same file, a dict lookup of the ids, and sqlite3's executemany INSERT, on another fresh copy.
Limit: 2x.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from sqlmodel import Session, select

from benchmarks.harness import Result, compare
from hubdash import db
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM
from hubdash.exports.tables import write_csv
from hubdash.models import Hub, Indicator, Region
from hubdash.readers.progress_file import read_progress_file
from hubdash.seed.demo import generate_demo_data
from hubdash.services.measurements import apply_import, plan_import

ROWS = 200_000
LIMIT = 2.0


def _prepare(folder: Path) -> tuple[Path, bytes, dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    template = folder / "template.db"
    engine = db.make_engine(f"sqlite:///{template}")
    db.upgrade(engine)
    with db.session_scope(engine) as session:
        generate_demo_data(session=session, actor=SYSTEM, regions=5, hubs_per_region=10, indicators=25, years=1)
    with Session(engine) as session:
        hubs = {(r.code, h.code): h.id for h, r in session.exec(select(Hub, Region).join(Region)).all()}
        indicators = {(r.code, i.code): i.id for i, r in session.exec(select(Indicator, Region).join(Region)).all()}
    engine.dispose()
    pairs = [(region, hub, ind) for (region, hub) in hubs for (r2, ind) in indicators if r2 == region]
    quarters = [FiscalQuarter(1900, 1) + n for n in range(ROWS // len(pairs) + 1)]  # older than any stored value
    rows = []
    for quarter in quarters:
        for k, (region, hub, ind) in enumerate(pairs):
            # steady per hub and indicator (no jump); values off their target's path need a note, typed below
            rows.append((region, hub, ind, quarter.canonical(), float(k % 97 + 1), ""))
            if len(rows) == ROWS:
                break
        if len(rows) == ROWS:
            break
    data = write_csv(("region", "hub", "indicator", "period", "value", "note"), rows)
    return template, data, hubs, indicators  # type: ignore[return-value]


def cases(words: list[str]) -> Iterator[Result]:
    """The import case, if selected."""
    name = f"import {ROWS:,} rows (CSV)"
    if words and not any(w in name for w in words):
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template, data, hubs, indicators = _prepare(folder)
        target = folder / "run.db"
        csv_path = folder / "progress.csv"
        csv_path.write_bytes(data)

        def fresh_copy() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copy(template, target)

        def subject() -> None:
            engine = db.make_engine(f"sqlite:///{target}")
            parsed = read_progress_file(csv_path.read_bytes(), csv_path.name)
            with db.session_scope(engine) as session:
                plan = plan_import(session=session, actor=SYSTEM, rows=parsed.rows)
                notes = dict.fromkeys(plan.notes_needed, "history")  # as typed in the preview
                apply_import(session=session, actor=SYSTEM, plan=plan, filename=csv_path.name, notes=notes)
            engine.dispose()

        def floor() -> None:
            frame = pd.read_csv(csv_path, encoding="utf-8-sig", dtype={"note": str}, keep_default_na=False)
            fy = frame["period"].str.slice(2, 6).astype(int)
            q = frame["period"].str.slice(7, 8).astype(int)
            hub_ids = [hubs[(r, h)] for r, h in zip(frame["region"], frame["hub"], strict=True)]
            ind_ids = [indicators[(r, i)] for r, i in zip(frame["region"], frame["indicator"], strict=True)]
            connection = sqlite3.connect(target)
            connection.executemany(
                "INSERT INTO measurement (hub_id, indicator_id, fiscal_year, quarter, value, note, version,"
                " entered_at, entered_by_name) VALUES (?, ?, ?, ?, ?, ?, 1, '2026-01-01 00:00:00', '')",
                zip(
                    hub_ids,
                    ind_ids,
                    fy.tolist(),
                    q.tolist(),
                    frame["value"].tolist(),
                    frame["note"].tolist(),
                    strict=True,
                ),
            )
            connection.commit()
            connection.close()

        yield compare(name, subject, floor, limit=LIMIT, repeat=3, setup=fresh_copy)
