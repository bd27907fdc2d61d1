"""Workshop participants: people in the room who join one open workshop with its code, without an account.

The code (and its QR code) lets anyone in the room join; who they are is then held by their session, never
by a URL. Closing the workshop ends every participant's session.
"""

from __future__ import annotations

import secrets
import unicodedata

from sqlalchemy import update
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import Sector
from hubdash.domain.errors import NotFound, UserError
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import Workshop, WorkshopParticipant, id_of, utcnow
from hubdash.services.accounts import NewSession, end_sessions, participant_actor, start_session

# no 0/O, 1/I/L: read aloud and typed on phones without mistakes
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
MAX_NAME = 80
MAX_ORGANISATION = 120


class JoinRefused(UserError):
    """A join that cannot be taken: an unknown or closed code, or a missing name or organisation."""


def new_join_code() -> str:
    """A fresh random join code."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_code(code: str) -> str:
    """A code as typed (full-width, lower case, spaces or hyphens) in its stored form."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", code).upper() if ch.isalnum())[:12]


def open_workshop_for_code(*, session: Session, code: str) -> Workshop | None:
    """The open workshop with this join code, if any."""
    wanted = normalise_code(code)
    if not wanted:
        return None
    return session.exec(select(Workshop).where(Workshop.join_code == wanted, col(Workshop.is_open))).first()


def join_workshop(*, session: Session, code: str, name: str, organisation: str, sector: Sector) -> NewSession:
    """Join the open workshop with this code as a participant; returns the new session."""
    db.lock_for_write(session)
    workshop = open_workshop_for_code(session=session, code=code)
    if workshop is None:
        raise JoinRefused("accounts.error_join_code")
    name, organisation = " ".join(name.split()), " ".join(organisation.split())
    if not name or len(name) > MAX_NAME:
        raise JoinRefused("accounts.error_join_name", limit=MAX_NAME)
    if not organisation or len(organisation) > MAX_ORGANISATION:
        raise JoinRefused("accounts.error_join_organisation", limit=MAX_ORGANISATION)
    participant = WorkshopParticipant(
        workshop_id=id_of(workshop), name=name, organisation=organisation, sector=Sector(sector)
    )
    session.add(participant)
    session.flush()
    token, row = start_session(session, kind="participant", participant_id=id_of(participant))
    actor = participant_actor(session, id_of(participant), session_id=row.id)
    assert actor is not None  # the workshop was found open above
    audit.record(session, actor, "workshop.join", participant, region_id=workshop.region_id)
    return NewSession(token, actor)


def workshop_participants(*, session: Session, actor: Actor, workshop_id: int) -> list[WorkshopParticipant]:
    """Who joined a workshop, in order of joining (for its facilitator)."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound("ideas.error_no_workshop", workshop=workshop_id)
    require(actor, Permission.FACILITATE_WORKSHOP, region_id=workshop.region_id)
    return list(
        session.exec(
            select(WorkshopParticipant)
            .where(WorkshopParticipant.workshop_id == workshop_id)
            .order_by(col(WorkshopParticipant.joined_at), col(WorkshopParticipant.id))
        ).all()
    )


def end_workshops(session: Session, workshop_ids: list[int]) -> None:
    """Close these workshops: their code stops working and every participant's session ends."""
    if not workshop_ids:
        return
    session.execute(
        update(Workshop)
        .where(col(Workshop.id).in_(workshop_ids))
        .values(is_open=False, join_code=None, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    participants = session.exec(
        select(WorkshopParticipant.id).where(col(WorkshopParticipant.workshop_id).in_(workshop_ids))
    ).all()
    end_sessions(session, participant_ids=[p for p in participants if p is not None])


def close_workshop(*, session: Session, actor: Actor, workshop_id: int) -> Workshop:
    """Close a workshop: no more ideas or votes, and its participants are signed out."""
    db.lock_for_write(session)
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound("ideas.error_no_workshop", workshop=workshop_id)
    require(actor, Permission.FACILITATE_WORKSHOP, region_id=workshop.region_id)
    if not workshop.is_open:
        return workshop
    before = audit.snapshot(workshop)
    end_workshops(session, [workshop_id])
    session.refresh(workshop)
    audit.record(session, actor, "workshop.close", workshop, before=before)
    return workshop
