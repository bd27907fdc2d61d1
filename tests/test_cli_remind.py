"""`python -m hubdash remind`: one digest per person in their language through a real SMTP server (aiosmtpd,
started here), never the same item twice on one day, also when two runs start at once; --dry-run sends nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from hubdash import db
from hubdash.domain.enums import Measure, Role
from hubdash.models import AuditEvent, ReminderSent, User
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]  # the default policy makes EmailMessages
        return "250 OK"

    def to(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)


@pytest.fixture
def smtp() -> Iterator[tuple[str, Inbox]]:
    """A local SMTP server on a free port: its HUBDASH_SMTP_URL and its inbox."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}?from=hubdash@example.jp", inbox
    controller.stop()


@pytest.fixture
def people(engine: Engine) -> dict[str, int]:
    """Two hub managers with a quarter to enter (one reads English), and a viewer (nothing to do)."""
    with db.session_scope(engine) as s:
        r = factories.region(s, "r1")
        k01 = factories.indicator(s, r.id, "K01", measure=Measure.FLOW)
        ids = {}
        for code, name, lang in (("H1", "sato", "ja"), ("H2", "smith", "en")):
            hub = factories.hub(s, r.id, code)
            factories.target(s, k01, hub)
            ids[name] = factories.user(s, name, Role.HUB_MANAGER, region_id=r.id, hub_ids=(hub.id,)).user_id
            user = s.get(User, ids[name])
            user.email, user.language = f"{name}@example.org", lang
        factories.user(s, "nomail", Role.HUB_MANAGER, region_id=r.id, hub_ids=(hub.id,))
        factories.user(s, "viewer", Role.VIEWER, region_id=r.id)
    return ids


def _remind(engine: Engine, smtp_url: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env.update({db.ENV_DATABASE_URL: engine.url.render_as_string(hide_password=False), "HUBDASH_SMTP_URL": smtp_url})
    return subprocess.Popen(
        [sys.executable, "-m", "hubdash", "remind", *args], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _done(run: subprocess.Popen[str]) -> str:
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    return out


def _count(engine: Engine, model: type, *where: Any) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())


def test_two_runs_at_once_send_one_digest_per_person_in_their_language_and_a_third_run_sends_nothing(
    engine: Engine, smtp: tuple[str, Inbox], people: dict[str, int]
) -> None:
    url, inbox = smtp
    outputs = [_done(run) for run in [_remind(engine, url), _remind(engine, url)]]
    assert inbox.to() == ["Sato <sato@example.org>", "Smith <smith@example.org>"]
    by_to = {str(m["To"]): m for m in inbox.messages}
    japanese, english = by_to["Sato <sato@example.org>"], by_to["Smith <smith@example.org>"]
    assert "やることが1件" in str(japanese["Subject"]) and "実績値を入力してください" in japanese.get_content()
    assert "1 open on your to-do list" in str(english["Subject"]) and "enter the values of" in english.get_content()
    assert str(japanese["From"]) == "hubdash@example.jp" and japanese["Auto-Submitted"] == "auto-generated"
    assert _count(engine, ReminderSent) == 2  # one item each, claimed once
    assert _count(engine, AuditEvent, AuditEvent.action == "reminder.sent") == 2
    joined = "".join(outputs)
    assert joined.count("sent 1 items") == 2 and "Nomail: no e-mail address" in joined

    assert "0 reminders sent" in _done(_remind(engine, url))
    assert len(inbox.messages) == 2


def test_a_dry_run_lists_what_would_be_sent_and_sends_and_records_nothing(
    engine: Engine, smtp: tuple[str, Inbox], people: dict[str, int]
) -> None:
    url, inbox = smtp
    out = _done(_remind(engine, url, "--dry-run"))
    assert "sato@example.org: would send 1 items (enter_quarter:" in out
    assert inbox.messages == [] and _count(engine, ReminderSent) == 0


def test_without_an_smtp_server_it_says_what_to_set_in_one_line(engine: Engine, people: dict[str, int]) -> None:
    run = _remind(engine, "")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1 and err.strip().count("\n") == 0 and "HUBDASH_SMTP_URL" in err and "Traceback" not in err
    refused = _remind(engine, "smtp://127.0.0.1:1")
    out, err = refused.communicate(timeout=120)
    assert refused.returncode == 1 and "Cannot connect to the SMTP server 127.0.0.1:1" in err
    assert _count(engine, ReminderSent) == 0
