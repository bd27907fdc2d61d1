"""A restore and an import killed with SIGKILL at several moments leave all of their rows or none, on both databases.

Each is a real `python -m hubdash ...` process, killed without warning; afterwards the database holds exactly
what it held before or exactly what the finished command would have left, and SQLite's integrity check is ok.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, text
from sqlmodel import Session, col, select

from hubdash import db
from hubdash.domain.permissions import SYSTEM
from hubdash.models import Measurement
from hubdash.seed.demo import generate_demo_data
from hubdash.seed.sample import load_sample
from tests import backup_files as files

ROOT = Path(__file__).resolve().parents[2]
FUTURE = 2040  # imported values are for FY2040 and later, which nothing else holds


def _start(engine: Engine, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, db.ENV_DATABASE_URL: engine.url.render_as_string(hide_password=False)}
    return subprocess.Popen(
        [sys.executable, "-m", "hubdash", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill(process: subprocess.Popen[str]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60)


def _integrity_ok(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of two synthetic regions (about 9,000 rows)."""
    folder = tmp_path_factory.mktemp("demo")
    engine = db.make_engine(f"sqlite:///{folder / 'demo.db'}")
    db.upgrade(engine)
    with db.session_scope(engine) as s:
        generate_demo_data(session=s, actor=SYSTEM, regions=2, hubs_per_region=4, indicators=25, years=10)
    path = files.backup(engine, folder / "demo.zip")
    engine.dispose()
    return path


def test_a_restore_killed_at_any_moment_leaves_the_old_content_or_the_whole_backup(
    engine: Engine, demo_backup: Path, tmp_path: Path
) -> None:
    with db.session_scope(engine) as s:
        load_sample(session=s, actor=SYSTEM, lang="en")
    old = files.backup(engine, tmp_path / "old.zip")
    killed_early = 0
    # just after the first table, after the largest, after the last, and while committing
    for moment in ("restore: region:", "restore: measurement:", "restore: targetchange:", "restore: committing"):
        process = _start(engine, "restore", str(demo_backup), "--replace")
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith(moment):
                break
        code = _kill(process)
        _integrity_ok(engine)
        now = files.tables(files.backup(engine, tmp_path / "now.zip"))
        if now == files.tables(old):
            killed_early += code == -signal.SIGKILL
        else:
            assert now == files.tables(demo_backup), f"killed at {moment!r}: neither the old content nor the backup"
            files.restore(engine, old, replace=True)
    assert killed_early >= 1  # at least one kill landed before the commit


def _progress_file(path: Path) -> int:
    lines = ["region,hub,indicator,period,value,note"]
    for hub in range(1, 5):
        for indicator in range(1, 26):
            for year in range(FUTURE, FUTURE + 50):
                lines += [
                    f"demo-01,H{hub},K{indicator:02d},FY{year}Q{q},{hub * indicator + q},crash" for q in (1, 2, 3, 4)
                ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def _future_values(engine: Engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Measurement).where(Measurement.fiscal_year >= FUTURE)).one()


def test_an_import_killed_at_any_moment_leaves_all_its_rows_or_none(engine: Engine, tmp_path: Path) -> None:
    with db.session_scope(engine) as s:
        generate_demo_data(session=s, actor=SYSTEM, regions=1, hubs_per_region=4, indicators=25, years=1)
    rows = _progress_file(tmp_path / "values.csv")
    started = time.monotonic()
    complete = _start(engine, "import-progress", str(tmp_path / "values.csv"))
    assert complete.wait(timeout=180) == 0, complete.stderr.read() if complete.stderr else ""
    duration = time.monotonic() - started
    assert _future_values(engine) == rows
    killed_early = 0
    for fraction in (0.3, 0.5, 0.7, 0.85, 0.95):
        with db.session_scope(engine) as s:
            s.execute(delete(Measurement).where(col(Measurement.fiscal_year) >= FUTURE))
        process = _start(engine, "import-progress", str(tmp_path / "values.csv"))
        time.sleep(duration * fraction)
        code = _kill(process)
        _integrity_ok(engine)
        found = _future_values(engine)
        assert found in (0, rows), f"killed at {fraction:.0%} of an import: {found} of {rows} rows"
        killed_early += found == 0 and code == -signal.SIGKILL
    assert killed_early >= 1
