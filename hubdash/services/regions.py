"""Regions and what belongs to them: organisations, hubs, goals; the overview of the home page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from hubdash.domain.enums import Sector, Status
from hubdash.domain.errors import NotFound
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.rollup import Rollup, roll_up
from hubdash.models import Hub, Indicator, Organisation, Region, StrategicGoal, id_of
from hubdash.services.progress import IndicatorProgress, region_progress, status_counts
from hubdash.services.reporting import Coverage, reporting


def list_regions(*, session: Session, include_archived: bool = False) -> list[Region]:
    """Every region (archived ones only when asked), by code."""
    query = select(Region).order_by(col(Region.code))
    if not include_archived:
        query = query.where(col(Region.archived_at).is_(None))
    return list(session.exec(query).all())


def list_hubs(*, session: Session, region_id: int) -> list[Hub]:
    """The hubs of a region that are not archived, by code."""
    return list(
        session.exec(
            select(Hub).where(Hub.region_id == region_id, col(Hub.archived_at).is_(None)).order_by(col(Hub.code))
        ).all()
    )


def active_goals(*, session: Session, region_id: int) -> list[StrategicGoal]:
    """The region's active strategic goals, in the order of the vision."""
    return list(
        session.exec(
            select(StrategicGoal)
            .where(StrategicGoal.region_id == region_id, col(StrategicGoal.is_active).is_(True))
            .order_by(col(StrategicGoal.position), col(StrategicGoal.code))
            # goals are written with version-checked UPDATEs: read what is stored, not the session's copies
            .execution_options(populate_existing=True)
        ).all()
    )


def region_id_for(*, session: Session, code: str) -> int:
    """The id of the region with this code; NotFound names the codes there are."""
    found = session.exec(select(Region.id).where(Region.code == code)).first()
    if found is None:
        codes = ", ".join(session.exec(select(Region.code).order_by(col(Region.code)).limit(10)).all())
        raise NotFound("regions.unknown_code", code=code, codes=codes or "–")
    return found


@dataclass(frozen=True)
class HubSummary:
    """A hub with its core institution and the status counts of its targets."""

    id: int
    code: str
    name: str
    theme: str
    core_institution: str
    statuses: dict[Status, int]


@dataclass(frozen=True)
class GoalSummary:
    """A strategic goal with how many indicators measure it, their statuses and the goal's roll-up."""

    code: str
    title: str
    indicators: int
    statuses: dict[Status, int]
    rollup: Rollup


@dataclass(frozen=True)
class RegionOverview:
    """What the home page shows for one region, as of its latest complete quarter (`complete` False: none yet,
    `latest` is then the newest reported quarter, provisional), with the newer quarters' coverage."""

    region: Region
    latest: FiscalQuarter | None
    complete: bool
    newer: tuple[Coverage, ...]
    hubs: list[HubSummary]
    goals: list[GoalSummary]
    statuses: dict[Status, int]
    organisations_by_sector: dict[Sector, int]
    progress: list[IndicatorProgress]


def region_overview(*, session: Session, region_id: int) -> RegionOverview | None:
    """Hubs, goals, status counts and coverage, as of the region's latest complete quarter."""
    region = session.get(Region, region_id)
    if region is None:
        return None
    state = reporting(session=session, region_id=region_id)
    latest = state.headline
    progress = region_progress(session=session, region_id=region_id, at=latest)
    hub_progress = [p for p in progress if p.hub_id is not None]
    hubs = []
    for hub, core in session.exec(
        select(Hub, Organisation)
        .join(Organisation, col(Organisation.id) == Hub.core_institution_id, isouter=True)
        .where(Hub.region_id == region_id)
        .order_by(col(Hub.code))
    ).all():
        mine = [p for p in hub_progress if p.hub_id == hub.id]
        hubs.append(
            HubSummary(
                id_of(hub),
                hub.code,
                hub.name,
                hub.theme,
                core.name if core else "",
                status_counts(mine),
            )
        )
    goals = []
    indicator_counts = dict(
        session.exec(
            select(Indicator.goal_id, func.count())
            .where(Indicator.region_id == region_id)
            .group_by(col(Indicator.goal_id))
        ).all()
    )
    for goal in active_goals(session=session, region_id=region_id):
        mine = [p for p in hub_progress if p.goal_code == goal.code]
        goals.append(
            GoalSummary(
                goal.code,
                goal.title,
                indicator_counts.get(goal.id, 0),
                status_counts(mine),
                roll_up(p.status for p in mine),
            )
        )
    sectors = dict.fromkeys(Sector, 0)
    for sector, count in session.exec(
        select(Organisation.sector, func.count())
        .where(Organisation.region_id == region_id)
        .group_by(col(Organisation.sector))
    ).all():
        sectors[Sector(sector)] = count
    newer = tuple(c for c in state.newer if latest is None or c.period > latest)
    return RegionOverview(
        region, latest, state.complete is not None, newer, hubs, goals, status_counts(hub_progress), sectors, progress
    )
