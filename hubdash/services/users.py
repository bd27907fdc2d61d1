"""User accounts, administered: add, change role and scope, disable, set or reset a password; a user's Actor."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import ACCOUNT_ROLES, Role
from hubdash.domain.errors import NotFound, UserError
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import Hub, Organisation, Region, User, UserHubScope, id_of
from hubdash.services.accounts import end_sessions, hash_password, user_actor


class UserInputError(UserError):
    """An account that cannot be saved as given: a taken name, a role without its region or hubs, ..."""


@dataclass(frozen=True)
class UserInput:
    """What an administrator types for an account."""

    username: str
    display_name: str
    role: Role
    email: str | None = None
    region_id: int | None = None
    organisation_id: int | None = None
    hub_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class UserLine:
    """One account as the administration page lists it (no password hash)."""

    id: int
    username: str
    display_name: str
    email: str | None
    role: Role
    region_id: int | None
    organisation_id: int | None
    hub_ids: tuple[int, ...]
    is_active: bool
    has_password: bool
    locked_until: datetime | None
    last_sign_in_at: datetime | None
    region_code: str = ""
    hub_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemporaryPassword:
    """A password made by a reset, shown once to the administrator (never stored or logged as such)."""

    value: str = field(repr=False)


def actor_for(*, session: Session, username: str) -> Actor | None:
    """The Actor of an active user, with their hub scope; None for an unknown or inactive user."""
    user = session.exec(select(User).where(User.username == username, User.is_active)).first()
    return None if user is None else user_actor(session, user)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("accounts.error_no_user", user=user_id)
    return user


def _scopes(session: Session, user_id: int) -> tuple[int, ...]:
    return tuple(sorted(session.exec(select(UserHubScope.hub_id).where(UserHubScope.user_id == user_id)).all()))


def _checked(session: Session, data: UserInput, user_id: int | None) -> UserInput:
    username, name = data.username.strip(), " ".join(data.display_name.split())
    email = (data.email or "").strip() or None
    if not username or len(username) > 80 or any(ch.isspace() for ch in username):
        raise UserInputError("accounts.error_username", limit=80)
    if not name or len(name) > 200:
        raise UserInputError("accounts.error_display_name", limit=200)
    if email is not None and ("@" not in email or len(email) > 200):
        raise UserInputError("accounts.error_email", email=email)
    taken = session.exec(
        select(User.id).where(func.lower(col(User.username)) == username.lower(), col(User.id) != (user_id or -1))
    ).first()
    if taken is not None:
        raise UserInputError("accounts.error_username_taken", username=username)
    if data.role not in ACCOUNT_ROLES:
        raise UserInputError("accounts.error_role", role=data.role)
    region_id = None if data.role is Role.ADMIN else data.region_id
    if data.role in (Role.COUNCIL_MEMBER, Role.HUB_MANAGER, Role.OUTSIDE_EXPERT) and region_id is None:
        raise UserInputError("accounts.error_role_needs_region", role=data.role)
    if region_id is not None and session.get(Region, region_id) is None:
        raise NotFound("regions.error_no_region", region=region_id)
    hub_ids = tuple(sorted(set(data.hub_ids))) if data.role is Role.HUB_MANAGER else ()
    if data.role is Role.HUB_MANAGER and not hub_ids:
        raise UserInputError("accounts.error_manager_needs_hubs")
    hubs = session.exec(select(Hub).where(col(Hub.id).in_(hub_ids))).all()
    if len(hubs) != len(hub_ids) or any(h.region_id != region_id for h in hubs):
        raise UserInputError("accounts.error_hubs_outside_region")
    organisation = session.get(Organisation, data.organisation_id) if data.organisation_id is not None else None
    if data.organisation_id is not None and (organisation is None or organisation.region_id != region_id):
        raise UserInputError("accounts.error_organisation_outside_region")
    return UserInput(username, name, data.role, email, region_id, data.organisation_id, hub_ids)


def _shown(user: User, hub_ids: Sequence[int]) -> dict[str, object]:
    # what the audit trail keeps of an account: never its password hash
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "region_id": user.region_id,
        "organisation_id": user.organisation_id,
        "hub_ids": list(hub_ids),
        "is_active": user.is_active,
    }


def _set_hubs(session: Session, user_id: int, hub_ids: Sequence[int]) -> None:
    session.execute(delete(UserHubScope).where(col(UserHubScope.user_id) == user_id))
    session.add_all(UserHubScope(user_id=user_id, hub_id=h) for h in hub_ids)


def add_user(*, session: Session, actor: Actor, data: UserInput, password: str | None = None) -> User:
    """Add an account; without a password it can sign in only through single sign-on until one is set."""
    db.lock_for_write(session)
    require(actor, Permission.MANAGE_USERS)
    data = _checked(session, data, None)
    user = User(
        username=data.username,
        display_name=data.display_name,
        email=data.email,
        role=data.role,
        region_id=data.region_id,
        organisation_id=data.organisation_id,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    _set_hubs(session, id_of(user), data.hub_ids)
    audit.record(session, actor, "user.add", user, after=_shown(user, data.hub_ids))
    return user


def update_user(*, session: Session, actor: Actor, user_id: int, data: UserInput) -> User:
    """Change an account's name, e-mail, role, region, organisation and hubs."""
    db.lock_for_write(session)
    require(actor, Permission.MANAGE_USERS)
    user = _user(session, user_id)
    before = _shown(user, _scopes(session, user_id))
    data = _checked(session, data, user_id)
    user.username, user.display_name, user.email, user.role = data.username, data.display_name, data.email, data.role
    user.region_id, user.organisation_id = data.region_id, data.organisation_id
    session.add(user)
    _set_hubs(session, user_id, data.hub_ids)
    audit.record(session, actor, "user.update", user, before=before, after=_shown(user, data.hub_ids))
    return user


def set_active(*, session: Session, actor: Actor, user_id: int, active: bool) -> User:
    """Enable or disable an account; disabling signs it out everywhere at once."""
    db.lock_for_write(session)
    require(actor, Permission.MANAGE_USERS)
    user = _user(session, user_id)
    if not active and user_id == actor.user_id:
        raise UserInputError("accounts.error_disable_self")
    before = _shown(user, _scopes(session, user_id))
    user.is_active = active
    session.add(user)
    ended = 0 if active else end_sessions(session, user_id=user_id)
    after = _shown(user, before["hub_ids"]) | {"sessions_ended": ended}  # type: ignore[arg-type]  # a list of ids
    audit.record(session, actor, "user.enable" if active else "user.disable", user, before=before, after=after)
    return user


def set_password(*, session: Session, actor: Actor, user_id: int, password: str) -> None:
    """Give an account a new password (an Argon2id hash is kept); its open sessions end."""
    db.lock_for_write(session)
    if actor.user_id != user_id:
        require(actor, Permission.MANAGE_USERS)
    user = _user(session, user_id)
    user.password_hash = hash_password(password)
    user.failed_sign_ins, user.locked_until = 0, None
    session.add(user)
    ended = end_sessions(session, user_id=user_id)
    audit.record(session, actor, "user.set_password", user, after={"username": user.username, "sessions_ended": ended})


def reset_password(*, session: Session, actor: Actor, user_id: int) -> TemporaryPassword:
    """Replace an account's password by a random one, to be handed over once; its open sessions end."""
    require(actor, Permission.MANAGE_USERS)
    temporary = TemporaryPassword(secrets.token_urlsafe(12))
    set_password(session=session, actor=actor, user_id=user_id, password=temporary.value)
    return temporary


def list_users(*, session: Session, actor: Actor) -> list[UserLine]:
    """Every account, by user name."""
    require(actor, Permission.MANAGE_USERS)
    scopes: dict[int, list[int]] = {}
    for user_id, hub_id in session.exec(select(UserHubScope.user_id, UserHubScope.hub_id)).all():
        scopes.setdefault(user_id, []).append(hub_id)
    regions = {r: c for r, c in session.exec(select(Region.id, Region.code)).all() if r is not None}
    hubs = {h: c for h, c in session.exec(select(Hub.id, Hub.code)).all() if h is not None}
    return [
        UserLine(
            id_of(u),
            u.username,
            u.display_name,
            u.email,
            u.role,
            u.region_id,
            u.organisation_id,
            tuple(sorted(scopes.get(id_of(u), []))),
            u.is_active,
            u.password_hash is not None,
            u.locked_until,
            u.last_sign_in_at,
            regions.get(u.region_id, "") if u.region_id else "",
            tuple(hubs[h] for h in sorted(scopes.get(id_of(u), [])) if h in hubs),
        )
        for u in session.exec(select(User).order_by(col(User.username))).all()
    ]


def user_id_for(*, session: Session, login: str) -> int:
    """The id of the account with this user name or e-mail."""
    found = session.exec(
        select(User.id).where((col(User.username) == login) | (func.lower(col(User.email)) == login.lower()))
    ).first()
    if found is None:
        raise NotFound("accounts.error_no_login", login=login)
    return found


def scope_ids(
    *, session: Session, region_code: str | None, hub_codes: Sequence[str], organisation_code: str | None
) -> tuple[int | None, tuple[int, ...], int | None]:
    """Region, hub and organisation ids for their codes (hubs and organisation within the region)."""
    if region_code is None:
        if hub_codes or organisation_code:
            raise UserInputError("accounts.error_codes_need_region")
        return None, (), None
    region = session.exec(select(Region).where(Region.code == region_code)).first()
    if region is None:
        raise NotFound("regions.unknown_code", code=region_code, codes="–")
    hubs = {h.code: id_of(h) for h in session.exec(select(Hub).where(Hub.region_id == region.id)).all()}
    unknown = [c for c in hub_codes if c not in hubs]
    if unknown:
        raise NotFound("accounts.error_unknown_hubs", hubs=unknown, region=region.code)
    organisation_id = None
    if organisation_code:
        organisation_id = session.exec(
            select(Organisation.id).where(Organisation.region_id == region.id, Organisation.code == organisation_code)
        ).first()
        if organisation_id is None:
            raise NotFound("accounts.error_unknown_organisation", organisation=organisation_code, region=region.code)
    return id_of(region), tuple(hubs[c] for c in hub_codes), organisation_id
