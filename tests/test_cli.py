"""`python -m hubdash`: init, load-sample, demo-data and their one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, inspect
from sqlmodel import Session, select

from hubdash import db
from hubdash.cli import main
from hubdash.models import AuditEvent, Measurement, PdcaCycle, Region, StrategicGoal
from tests.conftest import reset_postgres

ROOT = Path(__file__).resolve().parent.parent


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _invoke(engine: Engine, *args: str):
    return CliRunner().invoke(main, list(args), env={db.ENV_DATABASE_URL: _url(engine)})


def _schema(engine: Engine) -> dict[str, list[str]]:
    inspector = inspect(engine)
    return {t: sorted(c["name"] for c in inspector.get_columns(t)) for t in inspector.get_table_names()}


def _counts(engine: Engine) -> tuple[int, ...]:
    with Session(engine) as s:
        return tuple(
            s.exec(select(func.count()).select_from(model)).one()
            for model in (Region, StrategicGoal, Measurement, PdcaCycle, AuditEvent)
        )


@pytest.fixture
def empty_engine(engine: Engine, tmp_path: Path) -> Engine:
    """A database with no tables at all."""
    if engine.dialect.name == "postgresql":
        reset_postgres(engine)
        return engine
    return db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for command in ([], ["init"], ["load-sample"], ["demo-data"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.output


def test_init_creates_then_leaves_an_up_to_date_database_alone(empty_engine: Engine) -> None:
    first = _invoke(empty_engine, "init")
    assert first.exit_code == 0, first.output
    assert "upgraded to" in first.output
    schema, counts = _schema(empty_engine), _counts(empty_engine)
    second = _invoke(empty_engine, "init")
    assert second.exit_code == 0
    assert "already at" in second.output
    assert _schema(empty_engine) == schema
    assert _counts(empty_engine) == counts


def test_init_then_load_sample_then_load_again_changes_nothing(empty_engine: Engine) -> None:
    assert _invoke(empty_engine, "init").exit_code == 0
    loaded = _invoke(empty_engine, "load-sample", "--lang", "ja")
    assert loaded.exit_code == 0, loaded.output
    assert "loaded sample-ja" in loaded.output
    after_first = _counts(empty_engine)
    regions, goals, measurements, cycles, events = after_first
    assert (regions, goals) == (1, 5)
    assert measurements > 300 and cycles == 42
    assert events == 1
    again = _invoke(empty_engine, "load-sample", "--lang", "ja")
    assert again.exit_code == 0
    assert "nothing changed" in again.output
    assert _counts(empty_engine) == after_first


def test_both_samples_fit_in_one_database(engine: Engine) -> None:
    assert _invoke(engine, "load-sample", "--lang", "ja").exit_code == 0
    result = _invoke(engine, "load-sample", "--lang", "en")
    assert result.exit_code == 0, result.output
    with Session(engine) as s:
        assert sorted(s.exec(select(Region.code)).all()) == ["sample-en", "sample-ja"]


def test_demo_data_is_reachable_from_the_cli(engine: Engine) -> None:
    result = _invoke(
        engine, "demo-data", "--regions", "1", "--hubs-per-region", "1", "--indicators", "4", "--years", "1"
    )
    assert result.exit_code == 0, result.output
    with Session(engine) as s:
        assert s.exec(select(Region.code)).all() == ["demo-01"]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("nonsense", "is not a database URL"),
        ("postgresql://u:secret@127.0.0.1:1/x", "cannot connect to"),
        ("sqlite:////no/such/folder/x.db", "folder does not exist"),
    ],
)
def test_bad_database_url_prints_one_line_and_exits_1(url: str, says: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hubdash", "init"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", db.ENV_DATABASE_URL: url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and says in lines[0]
    assert "Traceback" not in proc.stderr and "secret" not in proc.stderr
