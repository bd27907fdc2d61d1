"""Importing the national export through the CLI as a hub manager runs it, whole process included.

The file: `python -m hubdash export-progress` of a `demo-data` database of 47 regions (about 188,000 values).
Subject: `python -m hubdash import-progress FILE` in a new process, on a fresh copy of the database, for

- new rows: the database's values deleted first (every row of the file is new, each with a note);
- unchanged: the file as exported, imported back (what re-uploading the whole workbook does);
- 1 % changed: every hundredth value of the file nudged by 0.1 % (with a note), the rest as exported.

Floor: a new Python process that reads the same file with pandas.read_csv, maps the codes to ids with one query
each and INSERTs every row with sqlite3's executemany into a SQLite copy whose values were deleted (the same floor
for the three cases, process start included). Limit: 2x.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text

from benchmarks import databases
from benchmarks.harness import Result, compare
from hubdash import db

NAME = "import through the CLI"
LIMIT = 2.0
ROOT = Path(__file__).resolve().parent.parent
FLOOR = """
import sqlite3, sys
import pandas as pd
database, path = sys.argv[1], sys.argv[2]
frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"note": str}, keep_default_na=False)
connection = sqlite3.connect(database)
hubs = {(r, h): i for i, r, h in connection.execute(
    "SELECT hub.id, region.code, hub.code FROM hub JOIN region ON region.id = hub.region_id")}
indicators = {(r, c): i for i, r, c in connection.execute(
    "SELECT indicator.id, region.code, indicator.code FROM indicator JOIN region ON region.id = indicator.region_id")}
fy = frame["period"].str.slice(2, 6).astype(int)
q = frame["period"].str.slice(7, 8).astype(int)
hub_ids = [hubs[(r, h)] for r, h in zip(frame["region"], frame["hub"])]
indicator_ids = [indicators[(r, i)] for r, i in zip(frame["region"], frame["indicator"])]
connection.executemany(
    "INSERT INTO measurement (hub_id, indicator_id, fiscal_year, quarter, value, note, version, entered_at,"
    " entered_by_name) VALUES (?, ?, ?, ?, ?, ?, 1, '2026-01-01 00:00:00', '')",
    zip(hub_ids, indicator_ids, fy.tolist(), q.tolist(), frame["value"].tolist(), frame["note"].tolist()),
)
connection.commit()
"""


def _cli(url: str, *args: str) -> str:
    env = dict(os.environ, **{db.ENV_DATABASE_URL: url, "PYTHONUNBUFFERED": "1"})
    done = subprocess.run(
        [sys.executable, "-m", "hubdash", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"hubdash {' '.join(args)}: {done.stderr[-2000:]}")
    return done.stdout


def _empty_values(url: str) -> None:
    engine = db.make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM measurementcorrection"))
        conn.execute(text("DELETE FROM measurement"))
    engine.dispose()


def _edited(data: bytes, *, every: int, nudge: bool) -> bytes:
    """The file with every `every`th row given a note (if it had none) and, with `nudge`, its value 0.1 % higher."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    value, note = header.index("value"), header.index("note")
    for row in body[::every]:
        if nudge:
            row[value] = repr(round(float(row[value]) * 1.001 + 0.001, 6))
        row[note] = row[note] or "benchmark"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def cases(words: list[str]) -> Iterator[Result]:
    """New rows, an unchanged and a 1 %-changed national export, through the CLI."""
    names = {kind: f"{NAME}: {kind}" for kind in ("new rows", "unchanged", "1 % changed")}
    chosen = [k for k, n in names.items() if not words or any(w in n.lower() for w in words)]
    if not chosen:
        return
    national = databases.demo(47)
    folder = databases.folder()
    exported = folder / "national.csv"
    _cli(national, "export-progress", str(exported))
    files = {"new rows": folder / "national-new.csv", "unchanged": exported, "1 % changed": folder / "national-1pc.csv"}
    # new values off their path or jumping need a note: the new file has one on every row
    files["new rows"].write_bytes(_edited(exported.read_bytes(), every=1, nudge=False))
    files["1 % changed"].write_bytes(_edited(exported.read_bytes(), every=100, nudge=True))
    # the floor always writes SQLite: a copy of the national database without its values
    floor_template = databases.sqlite_copy(national, "floor-template") if databases.postgres_base() else ""
    floor_db = folder / "floor.db"
    empty = databases.scratch("cli-empty", template=national)
    _empty_values(empty)
    if not floor_template:
        floor_template = empty
    target: list[str] = [""]

    for kind in chosen:

        def setup(kind: str = kind) -> None:
            target[0] = databases.copy(empty if kind == "new rows" else national, "cli-import")
            databases.sqlite_file_copy(floor_template, floor_db)

        def subject(kind: str = kind) -> None:
            _cli(target[0], "import-progress", str(files[kind]))

        def floor(kind: str = kind) -> None:
            subprocess.run([sys.executable, "-c", FLOOR, str(floor_db), str(files[kind])], cwd=ROOT, check=True)

        yield compare(names[kind], subject, floor, limit=LIMIT, repeat=2, setup=setup)
