"""`python -m hubdash user ...`: the first administrator, passwords never on the command line, disable, list."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import Engine
from sqlmodel import Session, select

from hubdash import db
from hubdash.cli import main
from hubdash.models import AuditEvent, User
from hubdash.services import accounts


def _invoke(engine: Engine, *args: str, stdin: str | None = None):
    url = engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(main, list(args), input=stdin, env={db.ENV_DATABASE_URL: url})


def _sign_in(engine: Engine, login: str, password: str) -> bool:
    with db.session_scope(engine) as s:
        return accounts.sign_in(session=s, login=login, password=password).started is not None


def test_the_first_administrator_is_added_with_a_hidden_prompt_and_can_sign_in(engine: Engine) -> None:
    added = _invoke(
        engine, "user", "add", "--email", "admin@example.org", "--name", "Admin", "--role", "admin",
        stdin="a long admin password\na long admin password\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "a long admin password" not in added.output
    assert _sign_in(engine, "admin@example.org", "a long admin password")
    listed = _invoke(engine, "user", "list")
    assert "admin@example.org\tAdmin\tadmin\t*\t-\tactive\tpassword" in listed.output


def test_a_hub_manager_gets_region_and_hubs_by_code_and_a_piped_password(engine: Engine) -> None:
    assert _invoke(engine, "load-sample", "--lang", "en").exit_code == 0
    with Session(engine) as s:
        from hubdash.models import Hub, Region

        region = s.exec(select(Region)).one()
        hubs = sorted(h.code for h in s.exec(select(Hub)).all())
    args = ["user", "add", "--email", "m@example.org", "--name", "M", "--role", "hub_manager"]
    result = _invoke(
        engine, *args, "--region", region.code, "--hub", hubs[0], "--password-stdin", stdin="piped pw 123\n"
    )
    assert result.exit_code == 0, result.output
    assert f"\thub_manager\t{region.code}\t{hubs[0]}\t" in _invoke(engine, "user", "list").output
    bad = _invoke(
        engine, *[a.replace("m@", "n@") for a in args], "--region", region.code, "--hub", "NOPE", "--no-password"
    )
    assert bad.exit_code == 1 and "Unknown hubs" in bad.output and "Traceback" not in bad.output


def test_set_password_and_disable(engine: Engine) -> None:
    args = ["user", "add", "--username", "sato", "--name", "Sato", "--role", "viewer", "--no-password"]
    assert _invoke(engine, *args).exit_code == 0
    assert not _sign_in(engine, "sato", "")
    changed = _invoke(engine, "user", "set-password", "sato", "--password-stdin", stdin="new password 42\n")
    assert changed.exit_code == 0 and _sign_in(engine, "sato", "new password 42")
    short = _invoke(engine, "user", "set-password", "sato", "--password-stdin", stdin="short\n")
    assert short.exit_code == 1 and "10 to 1024 characters" in short.output and "short\n" not in short.output
    assert _invoke(engine, "user", "disable", "sato").exit_code == 0
    assert not _sign_in(engine, "sato", "new password 42")
    assert "\tdisabled\t" in _invoke(engine, "user", "list").output
    with Session(engine) as s:
        assert s.exec(select(User.is_active)).one() is False
        trail = " ".join(f"{e.before} {e.after}" for e in s.exec(select(AuditEvent)).all())
    assert "new password 42" not in trail and "$argon2" not in trail
    missing = _invoke(engine, "user", "disable", "nobody")
    assert missing.exit_code == 1 and "nobody" in missing.output
