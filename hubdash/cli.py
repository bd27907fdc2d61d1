"""`python -m hubdash ...`: set up the database and load data from the command line."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine

from hubdash import db
from hubdash.domain.errors import UserError
from hubdash.domain.permissions import SYSTEM
from hubdash.i18n import LANGUAGES
from hubdash.readers.sample_files import SampleDataError


def _one_line_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a user can cause into one line on stderr and exit code 1, not a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (db.DatabaseError, SampleDataError, UserError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper


def _engine() -> Engine:
    engine = db.make_engine()
    db.upgrade(engine)
    return engine


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """hubdash: shared vision, outcome indicators and PDCA cycles for regional innovation hubs.

    The database is HUBDASH_DATABASE_URL (default: hubdash.db in the project folder).
    """


@main.command()
@_one_line_errors
def init() -> None:
    """Create the database, or upgrade it to the newest schema; an up-to-date database is left alone."""
    engine = db.make_engine()
    applied = db.upgrade(engine)
    state = "upgraded to" if applied else "already at"
    click.echo(f"{db.redacted_url(str(engine.url))}: {state} schema revision {db.current_revision(engine)}")


@main.command("load-sample")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="ja",
    show_default=True,
    help="Which sample region to load: Japanese or English.",
)
@_one_line_errors
def load_sample(lang: str) -> None:
    """Load the bundled sample region; loading it again changes nothing."""
    from hubdash.seed.sample import load_sample as load

    engine = _engine()
    with db.session_scope(engine) as session:
        result = load(session=session, actor=SYSTEM, lang=lang)
    verb = "loaded" if result.created else "already present, nothing changed:"
    click.echo(f"sample region {verb} {result.region_code}")


@main.command("demo-data")
@click.option("--regions", type=click.IntRange(1, 500), required=True, help="How many regions to create.")
@click.option("--hubs-per-region", type=click.IntRange(1, 50), default=4, show_default=True)
@click.option(
    "--indicators",
    type=click.IntRange(4, 200),
    default=25,
    show_default=True,
    help="Indicators per region (every hub tracks all of them).",
)
@click.option(
    "--years",
    type=click.IntRange(1, 30),
    default=10,
    show_default=True,
    help="Fiscal years of quarterly measurements and PDCA cycles.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same data.")
@_one_line_errors
def demo_data(regions: int, hubs_per_region: int, indicators: int, years: int, seed: int) -> None:
    """Create synthetic, plausible, deterministic regions for benchmarks and demos."""
    from hubdash.seed.demo import generate_demo_data

    engine = _engine()
    started = time.perf_counter()
    with db.session_scope(engine) as session:
        summary = generate_demo_data(
            session=session,
            actor=SYSTEM,
            regions=regions,
            hubs_per_region=hubs_per_region,
            indicators=indicators,
            years=years,
            seed=seed,
            progress=lambda msg: click.echo(msg, err=True),
        )
    click.echo(f"{summary} in {time.perf_counter() - started:.1f} s")


@main.command("import-progress")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option("--submit", is_flag=True, help="Also submit every hub's quarter in the file (all its values must be in).")
@_one_line_errors
def import_progress(file: Path, dry_run: bool, submit: bool) -> None:
    """Import quarterly values from a CSV (UTF-8 or CP932) or XLSX file; all rows or none.

    Columns: hub, indicator, period, value, note (or 拠点, 指標, 期間, 実績値, 備考), and region
    where a hub code is used in several regions. Exit status 1 lists every bad row on stderr, and
    every row that needs a note (a jump against last quarter, or an off-track value) but has none.
    """
    from hubdash.readers.progress_file import ImportFileError
    from hubdash.services.measurements import apply_import, plan_upload

    engine = _engine()
    try:
        with db.session_scope(engine) as session:
            upload = plan_upload(session=session, actor=SYSTEM, data=file.read_bytes(), filename=file.name)
            plan = upload.plan
            summary = f"{len(plan.new)} new, {len(plan.changed)} changed, {len(plan.unchanged)} unchanged"
            if upload.blank_rows:
                summary += f", {len(upload.blank_rows)} rows without a value left out"
            if plan.notes_needed:
                summary += f"; {len(plan.notes_needed)} rows need a note first (rows {_rows(plan.notes_needed)})"
            if dry_run:
                session.rollback()
                click.echo(f"{file.name}: valid; would write {summary}")
                return
            apply_import(session=session, actor=SYSTEM, plan=plan, filename=file.name, submit=submit)
    except ImportFileError as exc:
        click.echo(f"error: {file.name}: {exc}", err=True)
        sys.exit(1)
    click.echo(f"{file.name}: imported; {summary}")


def _rows(rows: dict[int, str]) -> str:
    listed = ", ".join(str(row) for row in sorted(rows)[:20])
    return listed + (", ..." if len(rows) > 20 else "")


@main.command("export-progress")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--region", "region_code", help="Only this region (its code).")
@click.option("--hub", "hub_code", help="Only this hub (its code).")
@_one_line_errors
def export_progress(file: Path, region_code: str | None, hub_code: str | None) -> None:
    """Write quarterly values to FILE: .csv (UTF-8 with BOM, for Excel) or .xlsx, in the import columns."""
    from hubdash.exports.progress import FORMATS, values_file
    from hubdash.exports.tables import UnknownFormat
    from hubdash.services.measurements import export_rows

    fmt = file.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UnknownFormat(fmt, FORMATS)
    engine = _engine()
    with db.session_scope(engine) as session:
        rows = export_rows(session=session, actor=SYSTEM, region_code=region_code, hub_code=hub_code)
    file.write_bytes(values_file(rows, fmt))
    click.echo(f"{file}: {len(rows)} values written")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option("--region", "region_code", default=None, help="Region code (default: every region).")
@click.option("--fy", "fiscal_year", default=None, help="Fiscal year, e.g. 2024 or 令和6年度 (default: the latest).")
@click.option("--quarter", default=None, help="As of this quarter, e.g. FY2026Q2 (default: the latest complete one).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="ja", show_default=True, help="Language of the report.")
@_one_line_errors
def report(file: str, region_code: str | None, fiscal_year: str | None, quarter: str | None, lang: str) -> None:
    """Write the executive report: FILE ending in .pptx (PowerPoint), .xlsx (Excel) or .zip (one .pptx per region).

    It is as of the latest quarter every hub has submitted, and says how far hubs are with newer quarters;
    for every region it opens with the national summary.
    """
    from hubdash.domain.periods import FiscalQuarter, parse_fiscal_year
    from hubdash.exports.executive import REPORT_FORMATS, region_file_name, report_file, zip_files
    from hubdash.exports.tables import UnknownFormat
    from hubdash.fmt import Display
    from hubdash.services.executive import executive_report
    from hubdash.services.regions import region_id_for

    fmt = Path(file).suffix.lower().lstrip(".")
    if fmt not in (*REPORT_FORMATS, "zip"):
        raise UnknownFormat(fmt, (*REPORT_FORMATS, "zip"))
    year = parse_fiscal_year(fiscal_year) if fiscal_year else None
    at = FiscalQuarter.parse(quarter) if quarter else None
    display = Display(lang)
    with db.session_scope(_engine()) as session:
        region_id = region_id_for(session=session, code=region_code) if region_code else None
        summary = executive_report(session=session, actor=SYSTEM, region_id=region_id, at=at, fiscal_year=year)
        if fmt == "zip":  # one region per file, all as of the same quarter
            files = [
                (
                    region_file_name(r.code, "pptx"),
                    report_file(
                        executive_report(session=session, actor=SYSTEM, region_id=r.id, at=summary.as_of),
                        "pptx",
                        display,
                    ),
                )
                for r in summary.regions
            ]
    data = zip_files(files) if fmt == "zip" else report_file(summary, fmt, display)
    Path(file).write_bytes(data)
    click.echo(f"{file}: {len(data):,} bytes, as of {summary.as_of or '-'}")
