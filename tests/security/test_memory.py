"""Hostile files cannot take the memory: the real CLI, one subprocess per file, stays under 300 MB at its peak.

Each file runs `python -m hubdash import-progress FILE` in its own wrapper process, which reads its child's
peak resident memory with resource.getrusage(RUSAGE_CHILDREN), so each number belongs to one file. The app
server reads uploads with the same function (services.measurements.plan_upload, through runtime.attempt)
after Streamlit has refused anything over server.maxUploadSize (10 MB, test_config.py); the server itself
is measured in test_remote_content.py's browser run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from hubdash import db
from hubdash.models import AuditEvent, Measurement
from tests.security import hostile

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
_WRAPPER = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
print(json.dumps({"code": done.returncode, "stderr": done.stderr, "stdout": done.stdout, "peak_kb": peak}))
"""

# the hostile files of issue 11, and what the CLI says about each
CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "xlsx declaring A1:XFD4001": (hostile.wide_dimension_xlsx, "more than 50 columns"),
    "csv of 1,000,000 bad rows": (hostile.bad_rows_csv, "more than 200,000 rows"),
    "csv of 150,000 bad rows": (lambda p: hostile.bad_rows_csv(p, 150_000), "and 449800 more"),
    "xlsx of 2,000,000 rows": (hostile.many_rows_xlsx, "unpacks to more than 128 MB"),
    "xlsx of 300,000 rows, declared": (lambda p: hostile.many_rows_xlsx(p, 300_000), "more than 200,000 rows"),
    "xlsx of 300,000 rows, not declared": (
        lambda p: hostile.many_rows_xlsx(p, 300_000, declared=False),
        "more than 200,000 rows",
    ),
    "xlsx cell of 100 MB": (hostile.zip_bomb_xlsx, "holds more than 262,144 characters"),
    "158 MB file": (lambda p: hostile.sparse_file(p, 158 * MB), "larger than 10 MB"),
    "1 GB file": (lambda p: hostile.sparse_file(p, 1024 * MB), "larger than 10 MB"),
}


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as s:
        return (
            s.exec(select(func.count()).select_from(Measurement)).one(),
            s.exec(select(func.count()).select_from(AuditEvent)).one(),
        )


@pytest.mark.parametrize("case", list(CASES))
def test_the_cli_refuses_a_hostile_file_within_300_mb(case: str, engine: Engine, tmp_path: Path) -> None:
    build, says = CASES[case]
    suffix = ".csv" if "csv" in case or "MB file" in case else ".xlsx"
    path = build(tmp_path / f"hostile{suffix}")
    before = _counts(engine)
    command = [sys.executable, "-m", "hubdash", "import-progress", str(path)]
    url = engine.url.render_as_string(hide_password=False)
    wrapper = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", db.ENV_DATABASE_URL: url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(wrapper.stdout)
    peak_mb = result["peak_kb"] / 1024
    assert result["code"] == 1, result["stderr"]
    assert says in result["stderr"] and "Traceback" not in result["stderr"]
    assert peak_mb < hostile.rss_limit_mb(), f"{case}: peak {peak_mb:.0f} MB"
    assert _counts(engine) == before, "nothing was written"
    if case.startswith("csv of 150,000"):  # every row checked: 200 listed, the rest counted
        assert len(result["stderr"].splitlines()) == 1 + 200 + 1
    elif "bad rows" not in case:
        assert len(result["stderr"].strip().splitlines()) == 1, result["stderr"]
