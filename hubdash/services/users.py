"""Users and the Actor a signed-in user acts as."""

from __future__ import annotations

from sqlmodel import Session, select

from hubdash.domain.permissions import Actor
from hubdash.models import User, UserHubScope


def actor_for(*, session: Session, username: str) -> Actor | None:
    """The Actor of an active user, with their hub scope; None for an unknown or inactive user."""
    user = session.exec(select(User).where(User.username == username, User.is_active)).first()
    if user is None:
        return None
    hub_ids = session.exec(select(UserHubScope.hub_id).where(UserHubScope.user_id == user.id)).all()
    return Actor(
        name=user.display_name,
        role=user.role,
        user_id=user.id,
        username=user.username,
        organisation_id=user.organisation_id,
        region_id=user.region_id,
        hub_ids=frozenset(hub_ids),
    )
