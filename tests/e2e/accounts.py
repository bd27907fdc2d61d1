"""Helpers for browser tests with sign-in: a sample database with accounts, and signing in through the form."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from hubdash import db, i18n
from hubdash.domain.enums import Role
from hubdash.domain.permissions import SYSTEM
from hubdash.models import AuditEvent, Hub, Region
from hubdash.seed.sample import load_sample
from hubdash.services import users

PASSWORD = "e2e password 1234"


def sample_with_accounts(
    folder: Path,
    accounts: dict[str, tuple[Role, tuple[str, ...]]],
    names: dict[str, str] | None = None,
    lang: str = "ja",
) -> str:
    """A SQLite file with the sample region (Japanese unless `lang`) and accounts {login: (role, hub codes)}; its
    URL. `names`: display names by login (default: the login, capitalised)."""
    url = f"sqlite:///{folder / 'signin.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.session_scope(engine) as s:
        load_sample(session=s, actor=SYSTEM, lang=lang)
        region = s.exec(select(Region)).one()
        hubs = {h.code: h.id for h in s.exec(select(Hub)).all()}
        for name, (role, hub_codes) in accounts.items():
            region_id = None if role is Role.ADMIN else region.id
            shown = (names or {}).get(name, name.title())
            data = users.UserInput(name, shown, role, f"{name}@example.org", region_id, None,
                                   tuple(hubs[c] for c in hub_codes))  # fmt: skip
            users.add_user(session=s, actor=SYSTEM, data=data, password=PASSWORD)
    engine.dispose()
    return url


def audit_count(url: str) -> int:
    """How many audit events the database holds (a refused request adds none)."""
    engine = db.make_engine(url)
    with Session(engine) as s:
        count = s.exec(select(func.count()).select_from(AuditEvent)).one()
    engine.dispose()
    return count


def sign_in(page, server, login: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person does (in the server's language)."""
    page.goto(server.url + "account/login")
    page.get_by_label(i18n.t("accounts.login_name", server.lang)).fill(login)
    page.get_by_label(i18n.t("accounts.password", server.lang)).fill(password)
    page.get_by_role("button", name=i18n.t("accounts.sign_in", server.lang)).click()
