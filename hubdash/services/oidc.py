"""Single sign-on: a person signed in by the OpenID provider (st.login) becomes a hubdash user and session.

The person is matched to a user by the provider's `sub`, else by e-mail; an optional claim (e.g. `groups`)
maps to a role. Unknown people are refused unless the administrator lets them in as viewers of one region.
Each provider sign-in is tied to a server-side session, so that signing out and disabling a user end it
even though the provider's cookie cannot be revoked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import ACCOUNT_ROLES, Role
from hubdash.domain.permissions import SYSTEM, Actor
from hubdash.models import Region, SignInSession, User, id_of, utcnow
from hubdash.services.accounts import start_session, still_valid, token_hash, user_actor

ENV_ROLE_CLAIM = "HUBDASH_OIDC_ROLE_CLAIM"
ENV_ROLES = "HUBDASH_OIDC_ROLES"
ENV_NEW_USERS_REGION = "HUBDASH_OIDC_NEW_USERS_REGION"


@dataclass(frozen=True)
class OidcSettings:
    """How provider sign-ins become users: the role claim, its value -> role map, and who may come in unknown."""

    role_claim: str = ""
    roles: dict[str, Role] = field(default_factory=dict)  # claim value -> role, strongest first
    new_users_region: str = ""  # region code: unknown people become its viewers; empty: they are refused


def settings_from_env() -> OidcSettings:
    """HUBDASH_OIDC_ROLE_CLAIM, HUBDASH_OIDC_ROLES ("hubdash-admins=admin,council=council_member,...")
    and HUBDASH_OIDC_NEW_USERS_REGION."""
    roles: dict[str, Role] = {}
    for pair in os.environ.get(ENV_ROLES, "").split(","):
        value, _, role = pair.partition("=")
        if value.strip() and role.strip() in {r.value for r in ACCOUNT_ROLES}:
            roles[value.strip()] = Role(role.strip())
    return OidcSettings(
        os.environ.get(ENV_ROLE_CLAIM, "").strip(), roles, os.environ.get(ENV_NEW_USERS_REGION, "").strip()
    )


def sign_in_key(claims: Mapping[str, Any]) -> str:
    """What identifies one provider sign-in: issuer, subject, issue time and nonce of its ID token."""
    return "\n".join(str(claims.get(k, "")) for k in ("iss", "sub", "iat", "nonce"))


def _claimed_role(claims: Mapping[str, Any], settings: OidcSettings) -> Role | None:
    if not settings.role_claim:
        return None
    raw = claims.get(settings.role_claim)
    values = {str(v) for v in (raw if isinstance(raw, list | tuple) else [raw]) if v is not None}
    return next((role for value, role in settings.roles.items() if value in values), None)


def _match(session: Session, claims: Mapping[str, Any]) -> User | None:
    subject = str(claims.get("sub") or "")
    user = session.exec(select(User).where(User.oidc_subject == subject)).first() if subject else None
    email = str(claims.get("email") or "").strip().lower()
    if user is None and email and claims.get("email_verified", True) is not False:
        unlinked = select(User).where(func.lower(col(User.email)) == email, col(User.oidc_subject).is_(None))
        user = session.exec(unlinked).first()
        if user is not None:
            user.oidc_subject = subject or None
            session.add(user)
    return user


def _newcomer(session: Session, claims: Mapping[str, Any], settings: OidcSettings) -> User | None:
    region = session.exec(select(Region).where(Region.code == settings.new_users_region)).first()
    if not settings.new_users_region or region is None:
        return None
    email = str(claims.get("email") or "").strip()
    user = User(
        username=(email or str(claims.get("sub")))[:80],
        display_name=str(claims.get("name") or email or claims.get("sub"))[:200],
        email=email or None,
        role=Role.VIEWER,
        region_id=id_of(region),
        oidc_subject=str(claims.get("sub") or "") or None,
    )
    session.add(user)
    session.flush()
    audit.record(session, SYSTEM, "user.add_from_sign_in", user, after={"username": user.username, "role": user.role})
    return user


def oidc_actor(*, session: Session, claims: Mapping[str, Any], settings: OidcSettings) -> Actor | None:
    """The Actor of a provider sign-in, or None: unknown person, disabled user, or signed out of this sign-in."""
    db.lock_for_write(session)
    key = token_hash(sign_in_key(claims))
    row = session.exec(select(SignInSession).where(SignInSession.token_hash == key)).first()
    if row is not None:
        user = session.get(User, row.user_id) if row.user_id is not None else None
        if user is None or not user.is_active or not still_valid(session, row, utcnow()):
            return None
        return user_actor(session, user, session_id=row.id)
    user = _match(session, claims) or _newcomer(session, claims, settings)
    if user is None or not user.is_active:
        return None
    role = _claimed_role(claims, settings)
    # a regional role from the claim needs the region the user already has: never every region
    if role in (Role.COUNCIL_MEMBER, Role.HUB_MANAGER, Role.OUTSIDE_EXPERT) and user.region_id is None:
        role = None
    if role is not None and role is not user.role:
        before = {"role": user.role}
        user.role = role
        user.region_id = None if role is Role.ADMIN else user.region_id
        session.add(user)
        audit.record(session, SYSTEM, "user.role_from_claim", user, before=before, after={"role": role})
    user.last_sign_in_at = utcnow()
    session.add(user)
    _, row = start_session(session, kind="oidc", user_id=id_of(user), token=sign_in_key(claims))
    actor = user_actor(session, user, session_id=row.id)
    audit.record(session, actor, "account.sign_in", entity_type="hub_user", entity_id=user.id, region_id=user.region_id)
    return actor


def end_oidc_session(*, session: Session, claims: Mapping[str, Any]) -> None:
    """Sign out of one provider sign-in: its cookie, replayed later, no longer signs anyone in."""
    db.lock_for_write(session)
    key = token_hash(sign_in_key(claims))
    row = session.exec(select(SignInSession).where(SignInSession.token_hash == key)).first()
    if row is None or row.ended_at is not None:
        return
    row.ended_at = utcnow()
    session.add(row)
    user = session.get(User, row.user_id) if row.user_id is not None else None
    if user is not None:
        actor = user_actor(session, user, session_id=row.id)
        audit.record(
            session, actor, "account.sign_out", entity_type="session", entity_id=row.id, region_id=user.region_id
        )
