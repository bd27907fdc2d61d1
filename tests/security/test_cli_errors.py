"""Every error a user can cause on the command line is one line naming the problem, and exit status 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from hubdash import db

ROOT = Path(__file__).resolve().parents[2]


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hubdash", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", db.ENV_DATABASE_URL: url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line(done: subprocess.CompletedProcess[str], says: str) -> None:
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and says in lines[0], lines[0]
    assert "Traceback" not in done.stderr and "Usage:" not in done.stderr


@pytest.mark.parametrize("command", [["init"], ["load-sample"], ["export-progress", "x.csv"], ["report", "r.pptx"]])
def test_a_sqlite_url_naming_a_file_that_is_not_a_database(tmp_path: Path, command: list[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("this is not a database\n" * 100)
    done = _run(f"sqlite:///{notes}", *[c if "." not in c else str(tmp_path / c) for c in command])
    _one_line(done, "file is not a database")


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["export-progress", "{tmp}/missing/values.csv"], "does not exist"),
        (["export-progress", "{tmp}"], "is a folder"),
        (["report", "{tmp}/missing/report.pptx"], "does not exist"),
        (["report", "{tmp}/missing/report.xlsx"], "does not exist"),
        (["report", "{tmp}"], "is a folder"),
        (["import-progress", "{tmp}/no-such-file.csv"], "no such file"),
        (["import-progress", "{tmp}"], "is a folder"),
        (["report", "{tmp}/r.pptx", "--lang", "fr"], "'fr' is not one of"),
        (["report", "{tmp}/r.pdf"], "must end in one of: pptx, xlsx"),
        (["report", "{tmp}/r.pptx", "--fy", "2024年度第5四半期"], "fiscal"),
        (["no-such-command"], "No such command"),
    ],
)
def test_file_and_option_errors(engine: Engine, tmp_path: Path, args: list[str], says: str) -> None:
    done = _run(_url(engine), *[a.format(tmp=tmp_path) for a in args])
    _one_line(done, says)
