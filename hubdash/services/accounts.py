"""Signing in: Argon2id password hashes, a lock-out decided in the database, server-side sessions.

A session is a random token held only by the browser (in a signed, HttpOnly cookie); the database keeps
its SHA-256, so a copy of the database signs nobody in. Sign-out and disabling a user end sessions at
once, for every tab. No password, hash or token is ever put in an error, a log line or an audit event.
"""

from __future__ import annotations

import hashlib
import math
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, case, func, literal, or_, update
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import Role
from hubdash.domain.errors import UserError
from hubdash.domain.permissions import Actor
from hubdash.models import (
    SignInSession,
    User,
    UserHubScope,
    UTCDateTime,
    VerificationExpert,
    Workshop,
    WorkshopParticipant,
    id_of,
    utcnow,
)

ENV_IDLE_HOURS = "HUBDASH_SESSION_IDLE_HOURS"
DEFAULT_IDLE_HOURS = 8.0
MAX_FAILED_SIGN_INS = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
# last_seen_at is written at most this often, not on every rerun of a page
_TOUCH_SECONDS = 60

# argon2-cffi's defaults are Argon2id with RFC 9106's low-memory profile
_hasher = PasswordHasher()
# verified against when nobody has that name, so that an unknown name takes as long as a wrong password
_NOBODY = _hasher.hash(secrets.token_urlsafe(16))


class PasswordRejected(UserError):
    """A new password that is too short or too long (the message never repeats it)."""


def idle_limit() -> timedelta:
    """How long a session lives without use: HUBDASH_SESSION_IDLE_HOURS, 8 hours by default."""
    raw = os.environ.get(ENV_IDLE_HOURS, "").strip()
    try:
        hours = float(raw) if raw else DEFAULT_IDLE_HOURS
    except ValueError:
        hours = DEFAULT_IDLE_HOURS
    return timedelta(hours=hours if hours > 0 else DEFAULT_IDLE_HOURS)


def hash_password(password: str) -> str:
    """An Argon2id hash of a new password, after checking its length."""
    if len(password) < MIN_PASSWORD or len(password) > MAX_PASSWORD:
        raise PasswordRejected("accounts.error_password_length", min=MIN_PASSWORD, max=MAX_PASSWORD)
    return _hasher.hash(password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _NOBODY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewSession:
    """A session just started: the token goes into the cookie and nowhere else."""

    token: str = field(repr=False)
    actor: Actor


@dataclass(frozen=True)
class SignInResult:
    """What a sign-in attempt came to: a session, or the reason there is none (nothing secret in it)."""

    started: NewSession | None = None
    refusal: UserError | None = None
    locked_until: datetime | None = None


def user_actor(session: Session, user: User, *, session_id: int | None = None) -> Actor:
    """The Actor of a user account, with its hub scope (an outside expert's: the verifications they are invited to)."""
    hub_ids = session.exec(select(UserHubScope.hub_id).where(UserHubScope.user_id == user.id)).all()
    verification_ids: list[int] = []
    if user.role is Role.OUTSIDE_EXPERT:
        query = select(VerificationExpert.verification_id).where(VerificationExpert.user_id == user.id)
        verification_ids = list(session.exec(query).all())
    return Actor(
        name=user.display_name,
        role=user.role,
        user_id=user.id,
        username=user.username,
        organisation_id=user.organisation_id,
        region_id=user.region_id,
        hub_ids=frozenset(hub_ids),
        session_id=session_id,
        verification_ids=frozenset(verification_ids),
    )


def participant_actor(session: Session, participant_id: int, *, session_id: int | None = None) -> Actor | None:
    """The Actor of a participant while their workshop is open; None once it is closed."""
    participant = session.get(WorkshopParticipant, participant_id)
    workshop = session.get(Workshop, participant.workshop_id) if participant else None
    if participant is None or workshop is None or not workshop.is_open:
        return None
    return Actor(
        name=f"{participant.name} ({participant.organisation})",
        role=Role.WORKSHOP_PARTICIPANT,
        region_id=workshop.region_id,
        workshop_id=workshop.id,
        participant_id=participant.id,
        session_id=session_id,
    )


def start_session(
    session: Session, *, kind: str, user_id: int | None = None, participant_id: int | None = None, token: str = ""
) -> tuple[str, SignInSession]:
    """Store a new session (its token's hash) and return the token; `token` names it (OIDC sign-ins)."""
    token = token or secrets.token_urlsafe(32)
    now = utcnow()
    row = SignInSession(
        token_hash=token_hash(token),
        kind=kind,
        user_id=user_id,
        participant_id=participant_id,
        created_at=now,
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    return token, row


def _claim_attempt(session: Session, user_id: int, now: datetime) -> bool:
    """Count one attempt before the password is checked; False while the account is locked.

    The count and the lock are one UPDATE each, so parallel attempts queue on the row and the sixth of
    them finds the account locked, whatever their order.
    """
    expired = session.execute(
        update(User)
        .where(col(User.id) == user_id, col(User.locked_until).is_not(None), col(User.locked_until) <= now)
        .values(failed_sign_ins=1, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(expired, CursorResult)
    if expired.rowcount == 1:
        return True
    counted = session.execute(
        update(User)
        .where(col(User.id) == user_id, col(User.locked_until).is_(None))
        .values(
            failed_sign_ins=col(User.failed_sign_ins) + 1,
            locked_until=case(
                (
                    col(User.failed_sign_ins) + 1 >= MAX_FAILED_SIGN_INS,
                    literal(now + timedelta(minutes=LOCK_MINUTES), UTCDateTime()),
                ),
                else_=None,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    assert isinstance(counted, CursorResult)
    return counted.rowcount == 1


def _locked(user: User) -> SignInResult:
    left = (user.locked_until - utcnow()).total_seconds() if user.locked_until else 0
    refusal = UserError("accounts.error_locked", minutes=max(1, math.ceil(left / 60)))
    return SignInResult(refusal=refusal, locked_until=user.locked_until)


def sign_in(*, session: Session, login: str, password: str) -> SignInResult:
    """Check a user name (or e-mail) and password; the caller commits, also when the attempt failed."""
    db.lock_for_write(session)
    login = login.strip()
    user = session.exec(
        select(User)
        .where(or_(col(User.username) == login, func.lower(col(User.email)) == login.lower()), col(User.is_active))
        .order_by(col(User.id))
    ).first()
    refused = UserError("accounts.error_sign_in")
    if user is None or not user.password_hash:
        _verify(None, password)
        return SignInResult(refusal=refused)
    now = utcnow()
    if not _claim_attempt(session, id_of(user), now):
        session.refresh(user)
        return _locked(user)
    session.refresh(user)
    actor = user_actor(session, user)
    if not _verify(user.password_hash, password):
        locked = user.locked_until is not None
        audit.record(
            session,
            actor,
            "account.locked" if locked else "account.sign_in_failed",
            entity_type="hub_user",
            entity_id=user.id,
            region_id=user.region_id,
            after={"failed_sign_ins": user.failed_sign_ins},
        )
        if locked:
            return _locked(user)
        return SignInResult(refusal=refused)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_sign_ins, user.locked_until, user.last_sign_in_at = 0, None, now
    session.add(user)
    token, row = start_session(session, kind="password", user_id=id_of(user))
    actor = user_actor(session, user, session_id=row.id)
    audit.record(session, actor, "account.sign_in", entity_type="hub_user", entity_id=user.id, region_id=user.region_id)
    return SignInResult(started=NewSession(token, actor))


def still_valid(session: Session, row: SignInSession, now: datetime) -> bool:
    """Whether a session is still open and not idle too long (an idle one is ended); refreshes its last use."""
    if row.ended_at is not None:
        return False
    idle = row.last_seen_at + idle_limit() <= now
    if idle or (now - row.last_seen_at).total_seconds() > _TOUCH_SECONDS:
        # a write after this transaction's read: on SQLite it must take the write lock first, or it fails at once
        # ("database is locked") when another tab wrote since the read (30 people in one workshop room)
        db.lock_for_write(session)
        if idle:
            row.ended_at = now
        else:
            row.last_seen_at = now
        session.add(row)
    return not idle


def session_actor(*, session: Session, token: str) -> Actor | None:
    """Who a session token signs in, or None: unknown, signed out, idle too long, or the user disabled."""
    row = session.exec(select(SignInSession).where(SignInSession.token_hash == token_hash(token))).first()
    if row is None or not still_valid(session, row, utcnow()):
        return None
    if row.participant_id is not None:
        return participant_actor(session, row.participant_id, session_id=row.id)
    user = session.get(User, row.user_id) if row.user_id is not None else None
    if user is None or not user.is_active or user.role is Role.WORKSHOP_PARTICIPANT:
        return None
    return user_actor(session, user, session_id=row.id)


def sign_out(*, session: Session, token: str) -> None:
    """End the session of this token (every tab that shares its cookie is signed out)."""
    db.lock_for_write(session)
    found = select(SignInSession).where(SignInSession.token_hash == token_hash(token))
    row = session.exec(found.where(col(SignInSession.ended_at).is_(None))).first()
    if row is None:
        return
    actor = session_actor(session=session, token=token)
    row.ended_at = utcnow()
    session.add(row)
    if actor is not None:
        audit.record(
            session, actor, "account.sign_out", entity_type="session", entity_id=row.id, region_id=actor.region_id
        )


def end_sessions(session: Session, *, user_id: int | None = None, participant_ids: list[int] | None = None) -> int:
    """End every open session of a user or of these participants; how many were ended."""
    query = update(SignInSession).where(col(SignInSession.ended_at).is_(None))
    if user_id is not None:
        query = query.where(col(SignInSession.user_id) == user_id)
    elif participant_ids:
        query = query.where(col(SignInSession.participant_id).in_(participant_ids))
    else:
        return 0
    result = session.execute(query.values(ended_at=utcnow()).execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return result.rowcount
