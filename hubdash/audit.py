"""Audit events: every mutating service records who changed what, in the same transaction as the change.

Reading the trail is a service of its own (services.audit_log), behind a permission check.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, SQLModel

from hubdash.domain.permissions import Actor
from hubdash.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


# never written to the audit trail, whichever row or dict carries them
SECRET_FIELDS = frozenset({"password_hash", "token_hash", "password", "token"})


def snapshot(obj: SQLModel | dict[str, Any] | None) -> dict[str, Any] | None:
    """A JSON-safe copy of a row (or dict) for an audit event's before/after, without secrets."""
    if obj is None:
        return None
    data = obj if isinstance(obj, dict) else obj.model_dump()
    return {k: _plain(v) for k, v in data.items() if k not in SECRET_FIELDS}


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: SQLModel | None = None,
    *,
    entity_type: str | None = None,
    entity_id: Any = None,
    region_id: int | None = None,
    before: SQLModel | dict[str, Any] | None = None,
    after: SQLModel | dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session; the caller's commit writes it together with the change."""
    if entity is not None:
        session.flush()  # the entity's id is part of the event
        entity_type = entity_type or str(type(entity).__tablename__)
        entity_id = entity_id if entity_id is not None else getattr(entity, "id", None)
        if region_id is None:
            region_id = getattr(entity, "region_id", None)
        if after is None:
            after = entity
    event = AuditEvent(
        user_id=actor.user_id,
        actor_name=actor.name,
        action=action,
        entity_type=str(entity_type or ""),
        entity_id=str(entity_id if entity_id is not None else ""),
        region_id=region_id,
        before=snapshot(before),
        after=snapshot(after),
    )
    session.add(event)
    return event
