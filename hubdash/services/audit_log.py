"""The audit trail as people read it: who changed what and when, for those allowed to see it."""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import AuditEvent


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
