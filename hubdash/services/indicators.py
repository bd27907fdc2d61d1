"""The indicator catalogue of a region: reading, adding and editing indicators, and its KPI quality hints."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import Direction, IndicatorKind, Measure
from hubdash.domain.errors import NotFound, UserError
from hubdash.domain.kpi_hints import GoalFacts, Hint, IndicatorFacts, TargetFacts, kpi_hints
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import Hub, Indicator, Measurement, StrategicGoal, Target, id_of
from hubdash.services.regions import active_goals


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
        .order_by(col(Indicator.position), col(Indicator.code))
    ).all()
    return [CatalogueEntry(ind, goal, target_counts.get(id_of(ind), 0)) for ind, goal in rows]


def region_targets(*, session: Session, region_id: int) -> list[tuple[Target, Indicator, Hub | None]]:
    """Every target of the region with its indicator and hub (None for the region as a whole)."""
    return list(
        session.exec(
            select(Target, Indicator, Hub)
            .join(Indicator, col(Indicator.id) == Target.indicator_id)
            .join(Hub, col(Hub.id) == Target.hub_id, isouter=True)
            .where(Target.region_id == region_id)
            .order_by(col(Hub.code).nulls_first(), col(Indicator.position), col(Indicator.code))
        ).all()
    )


# --- editing ------------------------------------------------------------------------------------


class IndicatorError(UserError):
    """An indicator that cannot be saved as given; the message names the field and why."""


@dataclass(frozen=True)
class IndicatorInput:
    """What a council member types for an indicator."""

    code: str
    name: str
    unit: str
    kind: IndicatorKind
    measure: Measure
    direction: Direction
    goal_id: int | None = None
    definition: str = ""
    data_source: str = ""


_FIELDS = ("code", "name", "unit", "kind", "measure", "direction", "goal_id", "definition", "data_source")


def _validated(session: Session, region_id: int, data: IndicatorInput, indicator_id: int | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": unicodedata.normalize("NFKC", data.code).strip(),
        "name": data.name.strip(),
        "unit": data.unit.strip(),
        "definition": data.definition.strip(),
        "data_source": data.data_source.strip(),
        "goal_id": data.goal_id,
    }
    for name, enum in (("kind", IndicatorKind), ("measure", Measure), ("direction", Direction)):
        try:
            values[name] = enum(getattr(data, name))
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            raise IndicatorError(
                "indicators.error_choice", field=name, value=getattr(data, name), allowed=allowed
            ) from None
    for name, limit in (("code", 40), ("name", 300), ("unit", 40)):
        if not values[name]:
            raise IndicatorError("indicators.error_empty", field=name)
        if len(values[name]) > limit:
            raise IndicatorError("indicators.error_long", field=name, limit=limit, length=len(values[name]))
    if any(ch.isspace() for ch in values["code"]):
        raise IndicatorError("indicators.error_code_spaces", code=values["code"])
    clash = session.exec(
        select(Indicator.id).where(Indicator.region_id == region_id, Indicator.code == values["code"])
    ).first()
    if clash is not None and clash != indicator_id:
        raise IndicatorError("indicators.error_code_taken", code=values["code"])
    if data.goal_id is not None:
        goal = session.get(StrategicGoal, data.goal_id)
        if goal is None or goal.region_id != region_id:
            raise IndicatorError("indicators.error_goal", goal=data.goal_id)
    return values


def create_indicator(*, session: Session, actor: Actor, region_id: int, data: IndicatorInput) -> Indicator:
    """Add an indicator to the region's catalogue (at the end)."""
    require(actor, Permission.EDIT_INDICATORS, region_id=region_id)
    db.lock_for_write(session)
    values = _validated(session, region_id, data, None)
    last = session.exec(select(func.max(Indicator.position)).where(Indicator.region_id == region_id)).one()
    indicator = Indicator(region_id=region_id, position=(last or 0) + 1, **values)
    if not db.add_unique(session, indicator):  # someone added the same code at the same moment
        raise IndicatorError("indicators.error_code_taken", code=values["code"])
    audit.record(session, actor, "indicator.create", indicator)
    return indicator


def update_indicator(*, session: Session, actor: Actor, indicator_id: int, data: IndicatorInput) -> Indicator:
    """Change an indicator; its measure (flow or level) is fixed once values have been entered."""
    db.lock_for_write(session)
    indicator = session.get(Indicator, indicator_id, populate_existing=True)
    if indicator is None:
        raise NotFound("indicators.error_no_indicator", indicator=indicator_id)
    require(actor, Permission.EDIT_INDICATORS, region_id=indicator.region_id)
    values = _validated(session, indicator.region_id, data, indicator_id)
    if values["measure"] != indicator.measure:
        entered = session.exec(
            select(func.count()).select_from(Measurement).where(Measurement.indicator_id == indicator_id)
        ).one()
        if entered:
            # The same numbers would mean something else: per-quarter counts read as stocks, or the reverse.
            raise IndicatorError(
                "indicators.error_measure_fixed", code=indicator.code, count=entered, measure=indicator.measure
            )
    before = audit.snapshot({name: getattr(indicator, name) for name in _FIELDS})
    if before == audit.snapshot(values):
        return indicator
    for name, value in values.items():
        setattr(indicator, name, value)
    try:
        with session.begin_nested():
            session.add(indicator)
    except IntegrityError as exc:  # someone gave another indicator this code at the same moment
        if not db.is_unique_violation(exc):
            raise
        raise IndicatorError("indicators.error_code_taken", code=values["code"]) from None
    audit.record(session, actor, "indicator.update", indicator, before=before)
    return indicator


# --- quality hints --------------------------------------------------------------------------


def catalogue_hints(*, session: Session, region_id: int) -> list[Hint]:
    """The KPI quality hints of a region's catalogue (see kpi_hints)."""
    catalogue = indicator_catalogue(session=session, region_id=region_id)
    hubs = session.exec(select(Hub.code).where(Hub.region_id == region_id)).all()
    return kpi_hints(
        goals=[GoalFacts(g.code, g.title) for g in active_goals(session=session, region_id=region_id)],
        indicators=[
            IndicatorFacts(
                id_of(e.indicator),
                e.indicator.code,
                e.indicator.name,
                e.indicator.kind,
                e.indicator.direction,
                e.goal_code,
            )
            for e in catalogue
        ],
        targets=[
            TargetFacts(
                indicator_id=target.indicator_id,
                hub_code=hub.code if hub else None,
                baseline_value=target.baseline_value,
                baseline_index=FiscalQuarter(target.baseline_fy, target.baseline_quarter).index,
                target_value=target.target_value,
                target_index=FiscalQuarter(target.target_fy, target.target_quarter).index,
            )
            for target, _, hub in region_targets(session=session, region_id=region_id)
        ],
        hub_codes=hubs,
    )
