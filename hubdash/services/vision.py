"""The shared vision of a region: its parts, goals, revisions and endorsements (read side)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from hubdash.enums import Sector
from hubdash.models import Endorsement, Organisation, StrategicGoal, VisionPart, VisionRevision

STATEMENT = "statement"


def commitment_key(sector: Sector) -> str:
    """The part key of one sector's commitment."""
    return f"commitment:{sector.value}"


@dataclass(frozen=True)
class Vision:
    """The current state of a region's vision."""

    statement: VisionPart | None
    commitments: dict[Sector, VisionPart]
    goals: list[StrategicGoal]
    latest_revision: VisionRevision | None


@dataclass(frozen=True)
class EndorsementRow:
    """One organisation and its newest endorsement, if any."""

    organisation: str
    sector: Sector
    revision_number: int | None
    is_current: bool
    person_name: str
    endorsed_at: datetime | None


def current_vision(*, session: Session, region_id: int) -> Vision:
    """The statement, the sector commitments, the active goals and the newest revision."""
    parts = {p.key: p for p in session.exec(select(VisionPart).where(VisionPart.region_id == region_id)).all()}
    goals = session.exec(
        select(StrategicGoal)
        .where(StrategicGoal.region_id == region_id, StrategicGoal.is_active)
        .order_by(StrategicGoal.position, StrategicGoal.code)
    ).all()
    latest = session.exec(
        select(VisionRevision).where(VisionRevision.region_id == region_id).order_by(col(VisionRevision.number).desc())
    ).first()
    commitments = {s: parts[commitment_key(s)] for s in Sector if commitment_key(s) in parts}
    return Vision(parts.get(STATEMENT), commitments, list(goals), latest)


def list_revisions(*, session: Session, region_id: int) -> list[VisionRevision]:
    """Every revision of the region's vision, newest first."""
    return list(
        session.exec(
            select(VisionRevision)
            .where(VisionRevision.region_id == region_id)
            .order_by(col(VisionRevision.number).desc())
        ).all()
    )


def endorsement_coverage(*, session: Session, region_id: int) -> list[EndorsementRow]:
    """Every council organisation with its newest endorsement and whether it is for the current revision."""
    latest = session.exec(
        select(VisionRevision.number)
        .where(VisionRevision.region_id == region_id)
        .order_by(col(VisionRevision.number).desc())
    ).first()
    newest: dict[int, tuple[Endorsement, int]] = {}
    for endorsement, number in session.exec(
        select(Endorsement, VisionRevision.number)
        .join(VisionRevision, col(VisionRevision.id) == Endorsement.revision_id)
        .where(Endorsement.region_id == region_id)
        .order_by(VisionRevision.number)
    ).all():
        newest[endorsement.organisation_id] = (endorsement, number)
    rows = []
    for org in session.exec(
        select(Organisation)
        .where(Organisation.region_id == region_id, Organisation.council_member)
        .order_by(Organisation.sector, Organisation.code)
    ).all():
        found = newest.get(org.id)  # type: ignore[arg-type]
        endorsement, number = found if found else (None, None)
        rows.append(
            EndorsementRow(
                organisation=org.name,
                sector=org.sector,
                revision_number=number,
                is_current=number is not None and number == latest,
                person_name=endorsement.person_name if endorsement else "",
                endorsed_at=endorsement.endorsed_at if endorsement else None,
            )
        )
    return rows
