"""Targets of indicators, for one hub or the whole region: setting them, re-baselining with a reason, history."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from hubdash import audit
from hubdash.domain.enums import Accumulation, Measure
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import Hub, Indicator, Target, TargetChange, utcnow
from hubdash.services.progress import target_spec

MAX_TOLERANCE = 1.0


class TargetError(ValueError):
    """A target that cannot be saved as given; the message names the field and why."""


class TargetConflict(TargetError):
    """Someone else changed the target since it was read; nothing was saved."""


@dataclass(frozen=True)
class TargetInput:
    """What a council member sets for a target: baseline and target with their fiscal quarters."""

    indicator_id: int
    hub_id: int | None  # None: the region as a whole
    baseline_value: float
    baseline_period: FiscalQuarter
    target_value: float
    target_period: FiscalQuarter
    accumulation: Accumulation = Accumulation.CUMULATIVE
    tolerance: float = 0.1
    milestones: dict[int, float] = field(default_factory=dict)  # fiscal year -> value


@dataclass(frozen=True)
class TargetHistoryEntry:
    """One re-baselining of a target: what changed, why and who did it."""

    target_id: int
    indicator_code: str
    hub_code: str | None
    changed_at: Any
    changed_by: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]


def _fields(target: Target) -> dict[str, Any]:
    """The user-set part of a target, as stored in TargetChange and audit events."""
    return {
        "baseline_value": target.baseline_value,
        "baseline_period": FiscalQuarter(target.baseline_fy, target.baseline_quarter).canonical(),
        "target_value": target.target_value,
        "target_period": FiscalQuarter(target.target_fy, target.target_quarter).canonical(),
        "accumulation": Accumulation(target.accumulation).value,
        "tolerance": target.tolerance,
        "milestones": dict(sorted((str(k), v) for k, v in (target.milestones or {}).items())),
    }


def _finite(name: str, value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TargetError(f"{name}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise TargetError(f"{name}: {value!r} is not a finite number")
    return number


def _validated(session: Session, region_id: int, data: TargetInput) -> tuple[Indicator, dict[str, Any]]:
    indicator = session.get(Indicator, data.indicator_id)
    if indicator is None or indicator.region_id != region_id:
        raise TargetError(f"indicator: {data.indicator_id} is not an indicator of this region")
    if data.hub_id is not None:
        hub = session.get(Hub, data.hub_id)
        if hub is None or hub.region_id != region_id:
            raise TargetError(f"hub: {data.hub_id} is not a hub of this region")
    baseline, deadline = data.baseline_period, data.target_period
    if deadline.index <= baseline.index:
        raise TargetError(
            f"target period: {deadline.canonical()} must come after the baseline period {baseline.canonical()}"
        )
    accumulation = Accumulation(data.accumulation)  # ignored by the status engine for level indicators
    if (
        indicator.measure == Measure.FLOW
        and accumulation == Accumulation.ANNUAL
        and (baseline.quarter != 4 or deadline.quarter != 4)
    ):
        raise TargetError(
            "periods: a fiscal-year total is compared at year end, so the baseline and target periods "
            f"must be Q4 (not {baseline.canonical()} and {deadline.canonical()})"
        )
    tolerance = _finite("tolerance", data.tolerance)
    if not 0 <= tolerance <= MAX_TOLERANCE:
        raise TargetError(f"tolerance: {tolerance:g} must be between 0 and {MAX_TOLERANCE:g} (0.1 = 10 %)")
    milestones: dict[str, float] = {}
    for year, value in sorted(data.milestones.items()):
        if not baseline.fiscal_year < int(year) < deadline.fiscal_year:
            raise TargetError(
                f"milestones: FY{year} is not between the baseline year FY{baseline.fiscal_year} "
                f"and the target year FY{deadline.fiscal_year}"
            )
        milestones[str(int(year))] = _finite(f"milestones FY{year}", value)
    values = {
        "baseline_value": _finite("baseline", data.baseline_value),
        "baseline_fy": baseline.fiscal_year,
        "baseline_quarter": baseline.quarter,
        "target_value": _finite("target", data.target_value),
        "target_fy": deadline.fiscal_year,
        "target_quarter": deadline.quarter,
        "accumulation": accumulation,
        "tolerance": tolerance,
        "milestones": milestones,
    }
    return indicator, values


def _existing(session: Session, indicator_id: int, hub_id: int | None) -> Target | None:
    query = select(Target).where(Target.indicator_id == indicator_id)
    query = query.where(col(Target.hub_id).is_(None) if hub_id is None else Target.hub_id == hub_id)
    return session.exec(query).first()


def create_target(*, session: Session, actor: Actor, region_id: int, data: TargetInput) -> Target:
    """Set a new target of an indicator for a hub or the whole region (one per indicator and hub)."""
    require(actor, Permission.EDIT_TARGETS, region_id=region_id)
    indicator, values = _validated(session, region_id, data)
    if _existing(session, data.indicator_id, data.hub_id) is not None:
        where = "the whole region" if data.hub_id is None else "this hub"
        raise TargetError(f"indicator: {indicator.code} already has a target for {where}; change that one instead")
    target = Target(region_id=region_id, indicator_id=indicator.id, hub_id=data.hub_id, **values)  # type: ignore[arg-type]
    session.add(target)
    audit.record(session, actor, "target.create", target)
    return target


def update_target(
    *, session: Session, actor: Actor, target_id: int, data: TargetInput, reason: str, version: int
) -> Target:
    """Re-baseline a target: needs a reason; the change is kept as a TargetChange (before, after, who, why)."""
    target = session.get(Target, target_id)
    if target is None:
        raise TargetError(f"no target {target_id}")
    require(actor, Permission.EDIT_TARGETS, region_id=target.region_id)
    if (data.indicator_id, data.hub_id) != (target.indicator_id, target.hub_id):
        raise TargetError("indicator and hub of a target cannot change; set a new target instead")
    indicator, values = _validated(session, target.region_id, data)
    before = _fields(target)
    after = _fields(Target(region_id=target.region_id, indicator_id=indicator.id, **values))  # type: ignore[arg-type]
    if before == after:
        return target
    reason = reason.strip()
    if not reason:
        raise TargetError(f"reason: changing the target or baseline of {indicator.code} needs a reason")
    if target.version != version:
        raise TargetConflict(f"{indicator.code}: someone else changed this target in the meantime; reload and retry")
    audit_before = audit.snapshot(target)
    for name, value in values.items():
        setattr(target, name, value)
    target.version += 1
    target.updated_at = utcnow()
    target_spec(target, indicator)  # the status engine must accept what was stored
    session.add(target)
    session.add(
        TargetChange(target_id=target_id, changed_by_name=actor.name, reason=reason, before=before, after=after)
    )
    audit.record(session, actor, "target.update", target, before=audit_before)
    return target


def target_history(*, session: Session, region_id: int) -> list[TargetHistoryEntry]:
    """Every re-baselining of the region's targets, newest first."""
    rows = session.exec(
        select(TargetChange, Target, Indicator, Hub)
        .join(Target, col(Target.id) == TargetChange.target_id)
        .join(Indicator, col(Indicator.id) == Target.indicator_id)
        .join(Hub, col(Hub.id) == Target.hub_id, isouter=True)
        .where(Target.region_id == region_id)
        .order_by(col(TargetChange.changed_at).desc(), col(TargetChange.id).desc())
    ).all()
    return [
        TargetHistoryEntry(
            target_id=target.id,  # type: ignore[arg-type]
            indicator_code=indicator.code,
            hub_code=hub.code if hub else None,
            changed_at=change.changed_at,
            changed_by=change.changed_by_name,
            reason=change.reason,
            before=change.before or {},
            after=change.after or {},
        )
        for change, target, indicator, hub in rows
    ]
