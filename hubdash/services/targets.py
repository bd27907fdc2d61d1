"""Targets of indicators, for one hub or the whole region: setting them, re-baselining with a reason, history."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import Accumulation, Measure
from hubdash.domain.errors import EditConflict, NotFound, UserError
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.domain.profiles import checked, is_linear, percents
from hubdash.models import Hub, Indicator, Target, TargetChange, id_of, utcnow
from hubdash.services.progress import target_spec

MAX_TOLERANCE = 1.0


class TargetError(UserError):
    """A target that cannot be saved as given; the message names the field and why."""


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
    profile: tuple[float, ...] | None = None  # flow targets: shares of a year by the end of Q1..Q4; None: linear


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
        "profile": list(percents(target.profile)) if target.profile else None,
    }


def _finite(name: str, value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]  # whatever came in: float() refuses what is no number
    except (TypeError, ValueError):
        raise TargetError("indicators.error_not_number", field=name, value=repr(value)) from None
    if not math.isfinite(number):
        raise TargetError("indicators.error_not_finite", field=name, value=repr(value))
    return number


def _validated(session: Session, region_id: int, data: TargetInput) -> tuple[Indicator, dict[str, Any]]:
    indicator = session.get(Indicator, data.indicator_id)
    if indicator is None or indicator.region_id != region_id:
        raise TargetError("indicators.error_target_indicator", indicator=data.indicator_id)
    if data.hub_id is not None:
        hub = session.get(Hub, data.hub_id)
        if hub is None or hub.region_id != region_id:
            raise TargetError("indicators.error_target_hub", hub=data.hub_id)
    baseline, deadline = data.baseline_period, data.target_period
    if deadline.index <= baseline.index:
        raise TargetError("indicators.error_target_order", target=deadline, baseline=baseline)
    accumulation = Accumulation(data.accumulation)  # ignored by the status engine for level indicators
    if (
        indicator.measure == Measure.FLOW
        and accumulation == Accumulation.ANNUAL
        and (baseline.quarter != 4 or deadline.quarter != 4)
    ):
        raise TargetError("indicators.error_target_q4", baseline=baseline, target=deadline)
    tolerance = _finite("tolerance", data.tolerance)
    if not 0 <= tolerance <= MAX_TOLERANCE:
        raise TargetError("indicators.error_tolerance", value=f"{tolerance:g}", limit=f"{MAX_TOLERANCE:g}")
    milestones: dict[str, float] = {}
    for year, value in sorted(data.milestones.items()):
        if not baseline.fiscal_year < int(year) < deadline.fiscal_year:
            raise TargetError(
                "indicators.error_milestone_year",
                year=year,
                baseline=baseline.fiscal_year,
                target=deadline.fiscal_year,
            )
        milestones[str(int(year))] = _finite("milestones", value)
    profile: list[float] | None = None
    if indicator.measure == Measure.FLOW and data.profile is not None and not is_linear(data.profile):
        profile = list(checked(data.profile))  # a level indicator's targets have no profile
    values: dict[str, Any] = {
        "baseline_value": _finite("baseline", data.baseline_value),
        "baseline_fy": baseline.fiscal_year,
        "baseline_quarter": baseline.quarter,
        "target_value": _finite("target", data.target_value),
        "target_fy": deadline.fiscal_year,
        "target_quarter": deadline.quarter,
        "accumulation": accumulation,
        "tolerance": tolerance,
        "milestones": milestones,
        "profile": profile,
    }
    try:
        target_spec(Target(region_id=region_id, indicator_id=data.indicator_id, **values), indicator)
    except ValueError:  # the limits above hold, so only a profile expecting nothing on the way is left
        raise TargetError("indicators.error_profile_span", baseline=baseline, target=deadline) from None
    return indicator, values


def _existing(session: Session, indicator_id: int, hub_id: int | None) -> Target | None:
    query = select(Target).where(Target.indicator_id == indicator_id)
    query = query.where(col(Target.hub_id).is_(None) if hub_id is None else Target.hub_id == hub_id)
    return session.exec(query).first()


def create_target(*, session: Session, actor: Actor, region_id: int, data: TargetInput) -> Target:
    """Set a new target of an indicator for a hub or the whole region (one per indicator and hub)."""
    require(actor, Permission.EDIT_TARGETS, region_id=region_id)
    db.lock_for_write(session)
    indicator, values = _validated(session, region_id, data)
    exists = "indicators.error_target_exists_region" if data.hub_id is None else "indicators.error_target_exists_hub"
    if _existing(session, data.indicator_id, data.hub_id) is not None:
        raise TargetError(exists, code=indicator.code)
    target = Target(region_id=region_id, indicator_id=id_of(indicator), hub_id=data.hub_id, **values)
    # two people setting the same target at once: the unique indexes let one of them in
    if not db.add_unique(session, target):
        raise TargetError(exists, code=indicator.code)
    audit.record(session, actor, "target.create", target)
    return target


def update_target(
    *, session: Session, actor: Actor, target_id: int, data: TargetInput, reason: str, version: int
) -> Target:
    """Re-baseline a target: needs a reason; the change is kept as a TargetChange (before, after, who, why).

    Raises EditConflict with what the other person saved when the target is no longer at `version`.
    """
    db.lock_for_write(session)
    target = session.get(Target, target_id, populate_existing=True)
    if target is None:
        raise NotFound("indicators.error_no_target", target=target_id)
    require(actor, Permission.EDIT_TARGETS, region_id=target.region_id)
    if (data.indicator_id, data.hub_id) != (target.indicator_id, target.hub_id):
        raise TargetError("indicators.error_target_identity")
    indicator, values = _validated(session, target.region_id, data)
    before = _fields(target)
    after = _fields(Target(region_id=target.region_id, indicator_id=id_of(indicator), **values))
    if before == after:
        return target
    reason = reason.strip()
    if not reason:
        raise TargetError("indicators.error_reason", code=indicator.code)
    audit_before = audit.snapshot(target)
    if not db.update_checked(
        session, Target, where={"id": target_id}, version=version, values={**values, "updated_at": utcnow()}
    ):
        session.refresh(target)
        raise EditConflict(indicator.code, current_version=target.version, theirs=_fields(target))
    session.refresh(target)
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
            target_id=id_of(target),
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
