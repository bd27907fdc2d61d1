"""Reminders: each person's to-do list as one e-mail digest a day, never the same item twice on one day.

`python -m hubdash remind` (hubdash.cli) asks for the digests due, then for each person claims the items in
one transaction (ReminderSent's unique key on person, item and day decides between two runs at once: the
second finds them claimed and sends nothing), sends the e-mail, and commits; a failed send rolls the claim back,
so the item goes out with the next run. Every digest sent is an audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from hubdash import audit, db, i18n
from hubdash.domain.enums import Role
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import ReminderSent, User, id_of, utcnow
from hubdash.services.accounts import user_actor
from hubdash.services.todo import TodoItem, todo

REMINDED_ROLES = (Role.ADMIN, Role.COUNCIL_MEMBER, Role.HUB_MANAGER, Role.OUTSIDE_EXPERT)


@dataclass(frozen=True)
class Digest:
    """One person's reminder: who, where to, in which language, and their to-do items."""

    user_id: int
    name: str
    email: str | None  # None: the person has no address (the run says so)
    lang: str
    items: tuple[TodoItem, ...]


def language_of(user: User) -> str:
    """The language a person reads reminders in: the one they use hubdash in, else HUBDASH_LANG, else Japanese."""
    return user.language if user.language in i18n.LANGUAGES else i18n.resolve_language(None)


def due_digests(*, session: Session, today: date) -> list[Digest]:
    """Every active person with something to do today, with the items not yet reminded of today."""
    sent = {
        (user_id, key)
        for user_id, key in session.exec(
            select(ReminderSent.user_id, ReminderSent.item_key).where(ReminderSent.sent_on == today)
        ).all()
    }
    digests = []
    for user in session.exec(
        select(User)
        .where(col(User.is_active), col(User.role).in_([r.value for r in REMINDED_ROLES]))
        .order_by(col(User.id))
    ).all():
        items = tuple(
            item
            for item in todo(session=session, actor=user_actor(session, user), today=today)
            if (user.id, item.key) not in sent
        )
        if items:
            digests.append(Digest(id_of(user), user.display_name, user.email, language_of(user), items))
    return digests


def claim(*, session: Session, actor: Actor, user_id: int, keys: Sequence[str], today: date) -> list[str]:
    """Mark the items as reminded today for this person; the keys this call claimed (others were claimed before).

    Runs at once take turns per person; the e-mail goes out before the caller commits.
    """
    db.lock_for_write(session, f"remind:{user_id}")
    require(actor, Permission.SEND_REMINDERS)
    now = utcnow()
    claimed = []
    for key in dict.fromkeys(keys):
        statement = (
            db.insert_statement(session, ReminderSent)
            .values(user_id=user_id, item_key=key, sent_on=today, sent_at=now)
            .on_conflict_do_nothing(index_elements=["user_id", "item_key", "sent_on"])
            .returning(col(ReminderSent.id))
        )
        if session.execute(statement).first() is not None:
            claimed.append(key)
    if claimed:
        user = session.get(User, user_id)
        audit.record(
            session,
            actor,
            "reminder.sent",
            entity_type="hub_user",
            entity_id=user_id,
            region_id=user.region_id if user else None,
            after={"on": today.isoformat(), "items": claimed, "to": user.email if user else None},
        )
    return claimed


def remember_language(*, session: Session, actor: Actor, language: str) -> bool:
    """Keep the language a signed-in person uses hubdash in, for their reminders; True when it changed."""
    db.lock_for_write(session)
    if actor.user_id is None or language not in i18n.LANGUAGES:
        return False
    user = session.get(User, actor.user_id)
    if user is None or user.language == language:
        return False
    before = {"language": user.language}
    user.language = language
    session.add(user)
    audit.record(session, actor, "user.language", user, before=before, after={"language": language})
    return True
