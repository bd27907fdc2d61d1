"""Signing in: Argon2id hashes, the lock-out counted in the database, server-side sessions, nothing secret leaked."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from hubdash import db
from hubdash.domain.enums import Role
from hubdash.domain.permissions import SYSTEM
from hubdash.models import AuditEvent, SignInSession, User
from hubdash.services import accounts, users
from tests import factories

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(session: Session) -> int:
    region = factories.region(session)
    user = users.add_user(
        session=session,
        actor=SYSTEM,
        data=users.UserInput("alice", "Alice", Role.VIEWER, "alice@example.org", region.id),
        password=PASSWORD,
    )
    session.commit()
    return user.id  # type: ignore[return-value]


def _sign_in(session: Session, login: str, password: str) -> accounts.SignInResult:
    result = accounts.sign_in(session=session, login=login, password=password)
    session.commit()
    return result


def test_the_password_is_kept_as_an_argon2id_hash(session: Session, alice: int) -> None:
    stored = session.get(User, alice)
    assert stored is not None and stored.password_hash is not None
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash


def test_sign_in_by_name_or_email_starts_a_session_that_names_the_user(session: Session, alice: int) -> None:
    for login in ("alice", "ALICE@example.org"):
        result = _sign_in(session, login, PASSWORD)
        assert result.started is not None and result.refusal is None
        found = accounts.session_actor(session=session, token=result.started.token)
        assert found is not None and found.user_id == alice and found.role is Role.VIEWER
    tokens = session.exec(select(SignInSession.token_hash)).all()
    assert len(tokens) == 2 and all(len(t) == 64 for t in tokens)  # hashes only


def test_a_wrong_password_or_unknown_name_is_refused_alike(session: Session, alice: int) -> None:
    wrong, unknown = _sign_in(session, "alice", "wrong password"), _sign_in(session, "nobody", PASSWORD)
    assert wrong.started is None and unknown.started is None
    assert wrong.refusal is not None and unknown.refusal is not None
    assert wrong.refusal.key == unknown.refusal.key == "accounts.error_sign_in"


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused_until_the_lock_ends(
    session: Session, alice: int
) -> None:
    for _ in range(5):
        assert _sign_in(session, "alice", "wrong password").started is None
    refused = _sign_in(session, "alice", PASSWORD)
    assert refused.started is None and refused.refusal is not None and refused.refusal.key == "accounts.error_locked"
    user = session.get(User, alice)
    assert user is not None and user.locked_until is not None
    # fifteen minutes later (moved back in the database: no waiting in a test)
    user.locked_until = user.locked_until - timedelta(minutes=accounts.LOCK_MINUTES)
    session.add(user)
    session.commit()
    assert _sign_in(session, "alice", PASSWORD).started is not None
    session.refresh(user)
    assert user.failed_sign_ins == 0 and user.locked_until is None
    actions = session.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("account.sign_in_failed") == 4 and actions.count("account.locked") == 1


def test_parallel_attempts_cannot_get_past_the_limit(engine: Engine, alice: int) -> None:
    """Eight wrong attempts at once: five are counted, the rest find the account locked; none gets more."""
    results: list[accounts.SignInResult] = []

    def attempt() -> None:
        with db.session_scope(engine) as s:
            results.append(accounts.sign_in(session=s, login="alice", password="wrong password"))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as s:
        user = s.get(User, alice)
        assert user is not None and user.failed_sign_ins == 5 and user.locked_until is not None
        assert _sign_in(s, "alice", PASSWORD).started is None
    assert sum(r.refusal is not None and r.refusal.key == "accounts.error_locked" for r in results) == 4


def test_sign_out_and_disabling_end_sessions_at_once(session: Session, alice: int) -> None:
    first, second = _sign_in(session, "alice", PASSWORD).started, _sign_in(session, "alice", PASSWORD).started
    assert first is not None and second is not None
    accounts.sign_out(session=session, token=first.token)
    assert accounts.session_actor(session=session, token=first.token) is None
    assert accounts.session_actor(session=session, token=second.token) is not None
    users.set_active(session=session, actor=SYSTEM, user_id=alice, active=False)
    assert accounts.session_actor(session=session, token=second.token) is None
    assert _sign_in(session, "alice", PASSWORD).started is None


def test_a_session_idle_longer_than_the_limit_ends(session: Session, alice: int, monkeypatch) -> None:
    started = _sign_in(session, "alice", PASSWORD).started
    assert started is not None
    row = session.exec(select(SignInSession)).one()
    row.last_seen_at = row.last_seen_at - timedelta(hours=7, minutes=59)
    session.add(row)
    assert accounts.session_actor(session=session, token=started.token) is not None  # and it is touched
    monkeypatch.setenv(accounts.ENV_IDLE_HOURS, "0.5")
    row.last_seen_at = row.last_seen_at - timedelta(minutes=31)
    session.add(row)
    assert accounts.session_actor(session=session, token=started.token) is None
    assert session.exec(select(SignInSession)).one().ended_at is not None


def test_idle_limit_reads_the_environment(monkeypatch) -> None:
    monkeypatch.delenv(accounts.ENV_IDLE_HOURS, raising=False)
    assert accounts.idle_limit() == timedelta(hours=8)
    monkeypatch.setenv(accounts.ENV_IDLE_HOURS, "2")
    assert accounts.idle_limit() == timedelta(hours=2)
    monkeypatch.setenv(accounts.ENV_IDLE_HOURS, "not a number")
    assert accounts.idle_limit() == timedelta(hours=8)


def test_no_password_hash_or_token_reaches_an_error_a_log_or_the_audit_trail(
    session: Session, alice: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stored = session.get(User, alice)
    assert stored is not None and stored.password_hash is not None
    secrets = [PASSWORD, "wrong password", stored.password_hash]
    texts: list[str] = []
    for password in ("wrong password", PASSWORD):
        result = _sign_in(session, "alice", password)
        texts += [repr(result), str(result.refusal or "")]
        if result.started:
            secrets.append(result.started.token)
            accounts.sign_out(session=session, token=result.started.token)
    users.set_password(session=session, actor=SYSTEM, user_id=alice, password="another long password")
    secrets.append("another long password")
    temporary = users.reset_password(session=session, actor=SYSTEM, user_id=alice)
    texts.append(repr(temporary))
    with pytest.raises(accounts.PasswordRejected) as short:
        users.set_password(session=session, actor=SYSTEM, user_id=alice, password="short1")
    texts.append(str(short.value))
    secrets += ["short1", temporary.value]
    session.commit()
    trail = [f"{e.action} {e.before} {e.after}" for e in session.exec(select(AuditEvent)).all()]
    assert session.exec(select(func.count()).select_from(AuditEvent)).one() >= 5
    for text in [*texts, *trail, caplog.text]:
        for secret in secrets:
            assert secret not in text
