"""`python -m hubdash ...`: set up the database and load data from the command line."""

from __future__ import annotations

import gc
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine

from hubdash import db
from hubdash.domain.enums import ACCOUNT_ROLES, Role
from hubdash.domain.errors import UserError
from hubdash.domain.permissions import SYSTEM
from hubdash.i18n import LANGUAGES
from hubdash.readers.sample_files import SampleDataError


class FileProblem(Exception):
    """A file named on the command line that cannot be read or written; the message names it."""


def _one_line_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a user can cause into one line on stderr and exit code 1, not a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (db.DatabaseError, SampleDataError, UserError, FileProblem) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:  # a file that cannot be read or written, named by the system's reason
            click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), err=True)
            sys.exit(1)

    return wrapper


def _input_file(file: Path, max_bytes: int) -> bytes:
    """An input file's bytes: a missing file, a folder or a file over `max_bytes` is refused before reading."""
    try:
        info = file.stat()
    except FileNotFoundError:
        raise FileProblem(f"{file}: no such file") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem(f"{file}: is a folder, not a file")
    if info.st_size > max_bytes:
        raise FileProblem(f"{file}: the file is larger than {max_bytes // (1024 * 1024)} MB; nothing was imported")
    with file.open("rb") as handle:
        data = handle.read(max_bytes + 1)  # a file that grew since stat() is still read only so far
    if len(data) > max_bytes:
        raise FileProblem(f"{file}: the file is larger than {max_bytes // (1024 * 1024)} MB; nothing was imported")
    return data


def _output_file(file: Path) -> Path:
    """A file to write: its folder must exist and the path must not be a folder (checked before any work)."""
    if file.is_dir():
        raise FileProblem(f"{file}: is a folder, not a file")
    if not file.parent.is_dir():
        raise FileProblem(f"{file}: the folder {file.parent} does not exist")
    return file


def _engine() -> Engine:
    engine = db.make_engine()
    db.upgrade(engine)
    return engine


class _OneLineGroup(click.Group):
    """click's group, with a wrong option or argument told in one line and exit status 1 (not usage text, 2)."""

    def main(  # click overloads main() on standalone_mode; this one signature serves both
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # a bare `python -m hubdash`: the help, as asked
            click.echo(exc.format_message())
            sys.exit(0)
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(1)
        except click.exceptions.Abort:
            click.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=_OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
    with db.startup_lock(engine), db.session_scope(engine) as session:
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
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option("--submit", is_flag=True, help="Also submit every hub's quarter in the file (all its values must be in).")
@_one_line_errors
def import_progress(file: Path, dry_run: bool, submit: bool) -> None:
    """Import quarterly values from a CSV (UTF-8 or CP932) or XLSX file; all rows or none.

    Columns: hub, indicator, period, value, note (or 拠点, 指標, 期間, 実績値, 備考), and region
    where a hub code is used in several regions. Exit status 1 lists every bad row on stderr, and
    every row that needs a note (a jump against last quarter, or an off-track value) but has none.
    """
    from hubdash.readers.progress_file import MAX_BYTES, ImportFileError
    from hubdash.services.measurements import apply_import, plan_upload

    data = _input_file(file, MAX_BYTES)
    engine = _engine()
    # A national file makes hundreds of thousands of small objects and no garbage cycles worth collecting:
    # the cycle collector would walk them all again and again (0.2-0.5 s of a national import, measured).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with db.session_scope(engine) as session:
            db.lock_for_write(session)  # the plan stays true until it is applied
            upload = plan_upload(session=session, actor=SYSTEM, data=data, filename=file.name)
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
    finally:
        if collecting:
            gc.enable()
    click.echo(f"{file.name}: imported; {summary}")


def _rows(rows: dict[int, str]) -> str:
    listed = ", ".join(str(row) for row in sorted(rows)[:20])
    return listed + (", ..." if len(rows) > 20 else "")


@main.command("export-progress")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--region", "region_code", help="Only this region (its code).")
@click.option("--hub", "hub_code", help="Only this hub (its code).")
@_one_line_errors
def export_progress(file: Path, region_code: str | None, hub_code: str | None) -> None:
    """Write quarterly values to FILE: .csv (UTF-8 with BOM, for Excel) or .xlsx, in the import columns."""
    from hubdash.exports.progress import FORMATS, values_file
    from hubdash.exports.tables import UnknownFormat
    from hubdash.services.measurements import export_rows

    fmt = _output_file(file).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UnknownFormat(fmt, FORMATS)
    engine = _engine()
    with db.session_scope(engine) as session:
        rows = export_rows(session=session, actor=SYSTEM, region_code=region_code, hub_code=hub_code)
    file.write_bytes(values_file(rows, fmt))
    click.echo(f"{file}: {len(rows)} values written")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--region", "region_code", default=None, help="Region code (default: every region).")
@click.option("--fy", "fiscal_year", default=None, help="Fiscal year, e.g. 2024 or 令和6年度 (default: the latest).")
@click.option("--quarter", default=None, help="As of this quarter, e.g. FY2026Q2 (default: the latest complete one).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="ja", show_default=True, help="Language of the report.")
@_one_line_errors
def report(file: Path, region_code: str | None, fiscal_year: str | None, quarter: str | None, lang: str) -> None:
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

    fmt = _output_file(file).suffix.lower().lstrip(".")
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
    file.write_bytes(data)
    click.echo(f"{file}: {len(data):,} bytes, as of {summary.as_of or '-'}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_one_line_errors
def backup(file: Path) -> None:
    """Write every table of the database to FILE: a ZIP of JSON Lines with the schema revision.

    The database is read as it was at one moment while others keep working; it is not upgraded first.
    FILE appears only once it is complete.
    """
    from hubdash.exports.backup import write_backup
    from hubdash.services.backup import database_content

    engine = db.make_engine()
    db.check_connection(engine)
    partial = file.with_name(file.name + ".partial")
    try:
        with db.snapshot_scope(engine) as session, partial.open("wb") as stream:
            summary = write_backup(database_content(session=session, actor=SYSTEM), stream)
            stream.flush()
            os.fsync(stream.fileno())
        partial.replace(file)
    except OSError as exc:  # no such folder, no permission, disk full
        raise UserError("backup.error_write", file=str(file), reason=exc.strerror or str(exc)) from None
    finally:
        partial.unlink(missing_ok=True)
    rows = sum(summary.rows.values())
    click.echo(f"{file}: {rows} rows of {len(summary.rows)} tables, schema revision {summary.schema_revision}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace everything in a database that already holds data.")
@_one_line_errors
def restore(file: Path, replace: bool) -> None:
    """Load the backup FILE into the database and upgrade it to the newest schema: all or nothing.

    A database that holds any data is refused unless --replace is given. Stop the app servers first
    (or restart them afterwards).
    """
    from hubdash.readers.backup_file import open_backup
    from hubdash.services.backup import restore_database

    engine = db.make_engine()
    db.check_connection(engine)
    with open_backup(file) as archive, db.schema_session(engine) as session:
        result = restore_database(
            session=session,
            actor=SYSTEM,
            archive=archive,
            replace=replace,
            progress=lambda table, count: click.echo(f"restore: {table}: {count} rows", err=True),
        )
        click.echo("restore: committing", err=True)
    click.echo(
        f"{file}: restored {sum(result.rows.values())} rows of {len(result.rows)} tables "
        f"(schema revision {result.schema_revision}, now {result.upgraded_to})"
    )


@main.group()
def user() -> None:
    """User accounts: add, set a password, disable, list. Passwords are typed at a hidden prompt or piped in."""


def _password(from_stdin: bool) -> str:
    """A new password from stdin (one line) or typed twice at a hidden prompt; never from the command line."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    typed: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return typed


@user.command("add")
@click.option("--email", default=None, help="E-mail address; single sign-on matches people by it.")
@click.option("--name", "display_name", required=True, help="The name shown in the app and the change log.")
@click.option("--role", type=click.Choice([r.value for r in ACCOUNT_ROLES]), required=True)
@click.option("--region", "region_code", default=None, help="Region code (council members, hub managers; viewers).")
@click.option("--hub", "hub_codes", multiple=True, help="A hub code of the region (hub managers); repeat for more.")
@click.option("--organisation", "organisation_code", default=None, help="Organisation code in the region.")
@click.option("--username", default=None, help="User name for signing in (default: the e-mail address).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--no-password", is_flag=True, help="No password: the person signs in through single sign-on.")
@_one_line_errors
def user_add(
    email: str | None,
    display_name: str,
    role: str,
    region_code: str | None,
    hub_codes: tuple[str, ...],
    organisation_code: str | None,
    username: str | None,
    password_stdin: bool,
    no_password: bool,
) -> None:
    """Add a user account (the first administrator too: --role admin)."""
    from hubdash.services import users

    login = username or email
    if not login:
        raise click.UsageError("give --email or --username")
    password = None if no_password else _password(password_stdin)
    with db.session_scope(_engine()) as session:
        region_id, hub_ids, organisation_id = users.scope_ids(
            session=session, region_code=region_code, hub_codes=hub_codes, organisation_code=organisation_code
        )
        data = users.UserInput(login, display_name, Role(role), email, region_id, organisation_id, hub_ids)
        added = users.add_user(session=session, actor=SYSTEM, data=data, password=password)
        click.echo(f"user {added.username} added ({role})")


@user.command("set-password")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@_one_line_errors
def user_set_password(login: str, password_stdin: bool) -> None:
    """Set the password of a user (by user name or e-mail); their open sessions end and a lock is lifted."""
    from hubdash.services import users

    password = _password(password_stdin)
    with db.session_scope(_engine()) as session:
        users.set_password(
            session=session, actor=SYSTEM, user_id=users.user_id_for(session=session, login=login), password=password
        )
    click.echo(f"password of {login} set")


@user.command("disable")
@click.argument("login")
@_one_line_errors
def user_disable(login: str) -> None:
    """Disable a user: they cannot sign in, and their open sessions end at once."""
    from hubdash.services import users

    with db.session_scope(_engine()) as session:
        users.set_active(
            session=session, actor=SYSTEM, user_id=users.user_id_for(session=session, login=login), active=False
        )
    click.echo(f"user {login} disabled")


@user.command("list")
@_one_line_errors
def user_list() -> None:
    """Every user: name, role, region, hubs, active, password set, last sign-in."""
    from hubdash.services import users

    with db.session_scope(_engine()) as session:
        lines = users.list_users(session=session, actor=SYSTEM)
    for u in lines:
        region = u.region_code or "*"
        scope = ",".join(u.hub_codes) or "-"
        state = "active" if u.is_active else "disabled"
        password = "password" if u.has_password else "no-password"
        last = u.last_sign_in_at.isoformat(timespec="minutes") if u.last_sign_in_at else "never"
        click.echo(f"{u.username}\t{u.display_name}\t{u.role.value}\t{region}\t{scope}\t{state}\t{password}\t{last}")


@main.command()
@click.option("--dry-run", is_flag=True, help="List who would get which items; send nothing, record nothing.")
@_one_line_errors
def remind(dry_run: bool) -> None:
    """E-mail each person one digest of their to-do list, through HUBDASH_SMTP_URL (run it from cron or a timer).

    An item is sent at most once a day per person, also when several runs overlap; a person without an e-mail
    address is named and left out.
    """
    import smtplib
    from datetime import datetime

    from sqlmodel import Session

    from hubdash.domain.periods import JST
    from hubdash.exports import mail
    from hubdash.services import reminders

    engine = _engine()
    today = datetime.now(JST).date()
    with Session(engine) as session:
        digests = reminders.due_digests(session=session, today=today)
    settings = None if dry_run else mail.smtp_settings()
    sent = 0
    with mail.smtp_connection(settings) if settings else _nothing() as server:
        for digest in digests:
            if not digest.email:
                click.echo(f"{digest.name}: no e-mail address, {len(digest.items)} items not sent")
                continue
            if server is None or settings is None:
                click.echo(
                    f"{digest.email}: would send {len(digest.items)} items ({', '.join(i.key for i in digest.items)})"
                )
                continue
            with db.session_scope(engine) as session:  # the claim commits only once the message is out
                keys = [i.key for i in digest.items]
                claimed = set(
                    reminders.claim(session=session, actor=SYSTEM, user_id=digest.user_id, keys=keys, today=today)
                )
                if not claimed:
                    continue
                items = tuple(i for i in digest.items if i.key in claimed)
                message = mail.compose(
                    reminders.Digest(**{**vars(digest), "items": items}), sender=settings.sender, today=today
                )
                try:
                    server.send_message(message)
                except smtplib.SMTPException as exc:
                    raise FileProblem(f"{digest.email}: the SMTP server refused the message ({exc})") from None
            sent += 1
            click.echo(f"{digest.email}: sent {len(items)} items")
    click.echo(f"{sent} reminders sent" if not dry_run else f"{len(digests)} people have something to do")


@contextmanager
def _nothing() -> Iterator[None]:
    yield None
