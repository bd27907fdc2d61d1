"""First start from the command line: four `python -m hubdash init`, then four `load-sample`, all at once.

On a fresh SQLite file and on an empty PostgreSQL database every command succeeds, and the sample region
is there once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from hubdash import db
from hubdash.models import Region
from tests.conftest import BACKENDS, POSTGRES_URL, reset_postgres

REPO_ROOT = Path(__file__).resolve().parents[2]


def _all_at_once(url: str, *args: str) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, db.ENV_DATABASE_URL: url}
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "hubdash", *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    done = []
    for process in started:
        out, err = process.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a database without any table: a new SQLite file, or the PostgreSQL test database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    engine: Engine = request.getfixturevalue("postgres_engine")
    reset_postgres(engine)
    return POSTGRES_URL


def test_four_first_starts_at_once_all_succeed_and_load_the_sample_once(empty_database: str) -> None:
    for result in _all_at_once(empty_database, "init"):
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        assert f"schema revision {db.head_revision()}" in result.stdout
    outputs = sorted(r.stdout.strip() for r in _all_at_once(empty_database, "load-sample", "--lang", "ja"))
    assert outputs == [
        "sample region already present, nothing changed: sample-ja",
        "sample region already present, nothing changed: sample-ja",
        "sample region already present, nothing changed: sample-ja",
        "sample region loaded sample-ja",
    ]
    engine = db.make_engine(empty_database)
    with Session(engine) as s:
        assert s.exec(select(Region.code)).all() == ["sample-ja"]
    engine.dispose()
