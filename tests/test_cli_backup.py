"""`python -m hubdash backup FILE` and `restore FILE [--replace]`: what they print, and their one-line refusals."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from hubdash import db
from hubdash.domain.permissions import SYSTEM
from hubdash.models import Region
from hubdash.seed.sample import load_sample
from tests import backup_files as files

ROOT = Path(__file__).resolve().parent.parent


def _run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hubdash", *args],
        cwd=ROOT,
        env={**os.environ, db.ENV_DATABASE_URL: url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _one_line_refusal(result: subprocess.CompletedProcess[str], says: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def sample_backup(tmp_path: Path) -> Path:
    """A backup of a database holding the Japanese sample region."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    db.upgrade(engine)
    with db.session_scope(engine) as s:
        load_sample(session=s, actor=SYSTEM, lang="ja")
    path = files.backup(engine, tmp_path / "sample.zip")
    engine.dispose()
    return path


def test_backup_then_restore_into_an_empty_database(engine: Engine, sample_backup: Path, tmp_path: Path) -> None:
    restored = _run(_url(engine), "restore", str(sample_backup))
    assert restored.returncode == 0, restored.stderr
    assert "restored" in restored.stdout and f"now {db.head_revision()}" in restored.stdout
    made = _run(_url(engine), "backup", str(tmp_path / "again.zip"))
    assert made.returncode == 0, made.stderr
    assert f"schema revision {db.head_revision()}" in made.stdout
    assert files.tables(tmp_path / "again.zip") == files.tables(sample_backup)
    assert not (tmp_path / "again.zip.partial").exists()


def test_restore_refuses_a_database_with_data_unless_replace(engine: Engine, sample_backup: Path) -> None:
    with db.session_scope(engine) as s:
        load_sample(session=s, actor=SYSTEM, lang="en")
    _one_line_refusal(_run(_url(engine), "restore", str(sample_backup)), "--replace")
    with Session(engine) as s:
        assert s.exec(select(Region.code)).all() == ["sample-en"]
    replaced = _run(_url(engine), "restore", str(sample_backup), "--replace")
    assert replaced.returncode == 0, replaced.stderr
    with Session(engine) as s:
        assert s.exec(select(Region.code)).all() == ["sample-ja"]


def _text(path: Path) -> Path:
    path.write_text("hub,indicator,period,value\nH1,K01,FY2024Q1,3\n", encoding="utf-8")
    return path


def _workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return path


def _cut(source: Path, path: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _flipped(source: Path, path: Path) -> Path:
    data = bytearray(source.read_bytes())
    data[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda src, p: _text(p), "is not a hubdash backup"),
        (lambda src, p: _workbook(p), "is not a hubdash backup"),
        (_cut, "is damaged"),
        (_flipped, "is damaged"),
        (lambda src, p: _tampered(src, p), "checksum mismatch"),
        (lambda src, p: p, "no such file"),
    ],
    ids=["text", "other-zip", "truncated", "bit-flip", "edited", "missing"],
)
def test_a_foreign_or_damaged_file_is_refused_in_one_line(
    make: object, says: str, sample_backup: Path, tmp_path: Path
) -> None:
    target = make(sample_backup, tmp_path / "suspect.zip")  # type: ignore[operator]
    url = f"sqlite:///{tmp_path / 'target.db'}"
    _one_line_refusal(_run(url, "restore", str(target), "--replace"), says)


def _tampered(source: Path, path: Path) -> Path:
    """A table changed by hand after the backup was written (the manifest's checksum no longer matches)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(
                item, data.replace(b"sample-ja", b"sample-xx") if item.filename.endswith("region.jsonl") else data
            )
    return path


def test_backing_up_a_database_without_schema_is_refused_in_one_line(tmp_path: Path) -> None:
    _one_line_refusal(
        _run(f"sqlite:///{tmp_path / 'nothing.db'}", "backup", str(tmp_path / "b.zip")), "nothing to back up"
    )
    assert not (tmp_path / "b.zip").exists()


def test_a_backup_that_cannot_be_written_is_refused_in_one_line(engine: Engine, tmp_path: Path) -> None:
    _one_line_refusal(_run(_url(engine), "backup", str(tmp_path / "no" / "such" / "b.zip")), "cannot be written")
