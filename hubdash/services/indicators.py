"""The indicator catalogue of a region and its targets (read side)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from hubdash.models import Hub, Indicator, StrategicGoal, Target


@dataclass(frozen=True)
class CatalogueEntry:
    """An indicator with the code of the goal it measures and how many targets it has."""

    indicator: Indicator
    goal_code: str | None
    targets: int


def indicator_catalogue(*, session: Session, region_id: int) -> list[CatalogueEntry]:
    """Every indicator of the region in catalogue order."""
    target_counts: dict[int, int] = {}
    for indicator_id in session.exec(select(Target.indicator_id).where(Target.region_id == region_id)).all():
        target_counts[indicator_id] = target_counts.get(indicator_id, 0) + 1
    rows = session.exec(
        select(Indicator, StrategicGoal.code)
        .join(StrategicGoal, col(StrategicGoal.id) == Indicator.goal_id, isouter=True)
        .where(Indicator.region_id == region_id)
        .order_by(Indicator.position, Indicator.code)
    ).all()
    return [CatalogueEntry(ind, goal, target_counts.get(ind.id, 0)) for ind, goal in rows]  # type: ignore[arg-type]


def region_targets(*, session: Session, region_id: int) -> list[tuple[Target, Indicator, Hub | None]]:
    """Every target of the region with its indicator and hub (None for the region as a whole)."""
    return list(
        session.exec(
            select(Target, Indicator, Hub)
            .join(Indicator, col(Indicator.id) == Target.indicator_id)
            .join(Hub, col(Hub.id) == Target.hub_id, isouter=True)
            .where(Target.region_id == region_id)
            .order_by(col(Hub.code).nulls_first(), Indicator.position, Indicator.code)
        ).all()
    )
