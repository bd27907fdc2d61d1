"""The audit trail as people read it: who changed what and when, filtered, for those allowed to see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import AuditEvent, Region


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show: by who (a name, in part), what (an action, in part), when and region."""

    who: str = ""
    what: str = ""
    since: datetime | None = None
    until: datetime | None = None
    region_id: int | None = None


@dataclass(frozen=True)
class AuditLine:
    """One event as the change log shows and exports it."""

    occurred_at: datetime
    actor_name: str
    action: str
    entity_type: str
    entity_id: str
    region: str
    before: dict[str, object] | None
    after: dict[str, object] | None


def recent_events(
    *, session: Session, actor: Actor, region_id: int | None = None, limit: int = 200
) -> list[AuditEvent]:
    """The newest audit events, of one region (and the events of no region) or of all."""
    require(actor, Permission.READ_AUDIT, region_id=region_id)
    query = select(AuditEvent)
    if region_id is not None:
        query = query.where(or_(col(AuditEvent.region_id) == region_id, col(AuditEvent.region_id).is_(None)))
    return list(session.exec(query.order_by(col(AuditEvent.occurred_at).desc()).limit(limit)).all())


def change_stamp(*, session: Session) -> int:
    """The id of the newest audit event (0 before any): every change writes one, so it moves with every change."""
    return session.exec(select(func.max(AuditEvent.id))).one() or 0


def audit_trail(*, session: Session, actor: Actor, where: AuditFilter, limit: int = 5000) -> list[AuditLine]:
    """The events matching the filter, newest first (at most `limit`)."""
    require(actor, Permission.READ_AUDIT, region_id=where.region_id)
    query = select(AuditEvent, Region.code).join(Region, col(Region.id) == AuditEvent.region_id, isouter=True)
    if where.region_id is not None:
        query = query.where(col(AuditEvent.region_id) == where.region_id)
    if where.who.strip():
        query = query.where(func.lower(col(AuditEvent.actor_name)).contains(where.who.strip().lower()))
    if where.what.strip():
        query = query.where(func.lower(col(AuditEvent.action)).contains(where.what.strip().lower()))
    if where.since is not None:
        query = query.where(col(AuditEvent.occurred_at) >= where.since)
    if where.until is not None:
        query = query.where(col(AuditEvent.occurred_at) < where.until)
    rows = session.exec(query.order_by(col(AuditEvent.occurred_at).desc(), col(AuditEvent.id).desc()).limit(limit))
    return [
        AuditLine(e.occurred_at, e.actor_name, e.action, e.entity_type, e.entity_id, code or "", e.before, e.after)
        for e, code in rows.all()
    ]


def audit_actions(*, session: Session, actor: Actor) -> list[str]:
    """Every kind of action in the trail, for the filter."""
    require(actor, Permission.READ_AUDIT)
    return list(session.exec(select(AuditEvent.action).distinct().order_by(col(AuditEvent.action))).all())
