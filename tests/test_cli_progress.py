"""`import-progress` and `export-progress`: round trips give identical files; bad files write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from hubdash import db
from hubdash.cli import main
from hubdash.domain.permissions import SYSTEM
from hubdash.models import Hub, Indicator, Measurement, MeasurementCorrection
from hubdash.seed.sample import load_sample


@pytest.fixture
def sample_engine(engine: Engine) -> Engine:
    with db.session_scope(engine) as session:
        load_sample(session=session, actor=SYSTEM, lang="ja")
    return engine


def _run(engine: Engine, *args: str):
    env = {db.ENV_DATABASE_URL: engine.url.render_as_string(hide_password=False)}
    return CliRunner().invoke(main, list(args), env=env)


def _count(engine: Engine, model=Measurement) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_import_export_gives_an_identical_file(sample_engine: Engine, tmp_path: Path, suffix: str) -> None:
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    exported = _run(sample_engine, "export-progress", str(first), "--region", "sample-ja")
    assert exported.exit_code == 0, exported.output
    imported = _run(sample_engine, "import-progress", str(first))
    assert imported.exit_code == 0, imported.output
    assert "0 new, 0 changed" in imported.output
    assert _run(sample_engine, "export-progress", str(second), "--region", "sample-ja").exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_import_updates_values_and_keeps_the_old_ones(sample_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "fix.csv"
    path.write_text("拠点,指標,期間,実績値,備考\nH1,K01,2024年度第1四半期,99,訂正\n", encoding="cp932")
    dry = _run(sample_engine, "import-progress", str(path), "--dry-run")
    assert dry.exit_code == 0 and "would write 0 new, 1 changed" in dry.output
    assert _count(sample_engine, MeasurementCorrection) == 0, "a dry run writes nothing"
    real = _run(sample_engine, "import-progress", str(path))
    assert real.exit_code == 0 and "imported" in real.output
    assert _count(sample_engine, MeasurementCorrection) == 1


BAD_FILES = {
    "wrong encoding": (b"hub,indicator,period,value,note\nH1,K01,FY2024Q1,1," + b"\x81\xff\n", "row 2", "UTF-8"),
    "missing column": (b"hub,indicator,period\nH1,K01,FY2024Q1\n", "row 1, column 'value'", ""),
    "unknown hub": (b"hub,indicator,period,value\nH1,K01,FY2024Q1,1\nH9,K01,FY2024Q1,1\n", "row 3, column 'hub'", ""),
    "unknown indicator": (b"hub,indicator,period,value\nH1,K99,FY2024Q1,1\n", "row 2, column 'indicator'", ""),
    "bad period": (b"hub,indicator,period,value\nH1,K01,FY2024Q9,1\n", "row 2, column 'period'", ""),
    "non-numeric value": (b"hub,indicator,period,value\nH1,K01,FY2024Q1,abc\n", "row 2, column 'value'", ""),
    "duplicate": (b"hub,indicator,period,value\nH1,K01,FY2024Q1,1\nH1,K01,2024Q1,2\n", "row 3", "appears twice"),
    "empty file": (b"", "", "the file is empty"),
    "not a spreadsheet": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "", "not a spreadsheet"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_exits_1_with_the_row_and_writes_nothing(sample_engine: Engine, tmp_path: Path, case: str) -> None:
    data, where, why = BAD_FILES[case]
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    before = _count(sample_engine), _count(sample_engine, MeasurementCorrection)
    result = CliRunner().invoke(
        main,
        ["import-progress", str(path)],
        env={db.ENV_DATABASE_URL: sample_engine.url.render_as_string(hide_password=False)},
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: bad.csv: nothing was imported")
    assert where in result.stderr and why in result.stderr
    assert "Traceback" not in result.stderr
    assert (_count(sample_engine), _count(sample_engine, MeasurementCorrection)) == before


def test_bad_values_and_unknown_codes_are_reported_together(sample_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("hub,indicator,period,value\nH1,K01,FY2024Q9,1\nH1,K99,FY2024Q1,1\nH7,K01,FY2024Q1,1\n")
    result = _run(sample_engine, "import-progress", str(path))
    assert result.exit_code == 1
    assert [
        "row 2, column 'period'" in result.stderr,
        "row 3, column 'indicator'" in result.stderr,
        "row 4, column 'hub'" in result.stderr,
    ] == [True, True, True]


def test_one_bad_row_keeps_every_good_row_out(sample_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("hub,indicator,period,value\nH1,K01,FY2024Q1,500\nH1,K01,FY2024Q2,oops\n", encoding="utf-8")
    assert _run(sample_engine, "import-progress", str(path)).exit_code == 1
    assert _count(sample_engine, MeasurementCorrection) == 0


def test_export_refuses_an_unknown_file_type(sample_engine: Engine, tmp_path: Path) -> None:
    result = _run(sample_engine, "export-progress", str(tmp_path / "x.txt"))
    assert result.exit_code == 1 and "must end in one of: csv, xlsx" in result.stderr


def test_a_jump_without_a_note_is_refused_naming_the_row(sample_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "jump.csv"
    path.write_text("hub,indicator,period,value,note\nH1,K01,FY2026Q3,120,\n", encoding="utf-8")  # 12 last quarter
    dry = _run(sample_engine, "import-progress", str(path), "--dry-run")
    assert dry.exit_code == 0 and "1 rows need a note first (rows 2)" in dry.output
    before = _count(sample_engine)
    result = _run(sample_engine, "import-progress", str(path))
    assert result.exit_code == 1 and "H1 / K01 / FY2026 Q3" in result.stderr and "Traceback" not in result.stderr
    assert _count(sample_engine) == before


def test_an_import_can_submit_the_quarter(sample_engine: Engine, tmp_path: Path) -> None:
    from hubdash.models import QuarterSubmission

    with Session(sample_engine) as s:
        rows = s.exec(select(Measurement).where(Measurement.fiscal_year == 2026, Measurement.quarter == 2)).all()
        codes = {i.id: i.code for i in s.exec(select(Indicator)).all()}
        hubs = {h.id: h.code for h in s.exec(select(Hub)).all()}
    lines = [f"{hubs[m.hub_id]},{codes[m.indicator_id]},FY2026Q3,{m.value},as last quarter" for m in rows]
    path = tmp_path / "q3.csv"
    path.write_text("\n".join(["hub,indicator,period,value,note", *lines]) + "\n", encoding="utf-8")
    result = _run(sample_engine, "import-progress", str(path), "--submit")
    assert result.exit_code == 0, result.output
    with Session(sample_engine) as s:
        submitted = s.exec(select(QuarterSubmission).where(QuarterSubmission.fiscal_year == 2026)).all()
    assert sorted((hubs[q.hub_id], q.quarter) for q in submitted if q.quarter == 3) == [("H1", 3), ("H2", 3), ("H3", 3)]
