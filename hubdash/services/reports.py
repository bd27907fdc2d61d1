"""Aggregations behind the dashboard, the executive summary and the PPTX / XLSX reports (read side).

Statuses, achievements and projections come from the status engine (progress.region_progress,
progress.target_series, status.assess); this module only selects, groups, counts and trims, so that
each chart receives the rows it draws and nothing more.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC

import pandas as pd
from sqlmodel import Session, col, select

from hubdash.domain.enums import IndicatorKind, Measure, PdcaCadence, PdcaStage, Sector, Status
from hubdash.domain.periods import JST, FiscalQuarter
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.domain.status import TargetSpec, standing, worst
from hubdash.models import Hub, Indicator, Measurement, PdcaCycle, Region, StrategicGoal, Target, TargetChange
from hubdash.services import progress as progress_service
from hubdash.services.indicators import region_targets
from hubdash.services.pdca import latest_cycle_period
from hubdash.services.progress import IndicatorProgress, region_progress, status_counts, target_series
from hubdash.services.vision import endorsement_coverage

TREND_QUARTERS = 8
TOP_RISKS = 10
PDCA_TIMELINE_QUARTERS = 8
CADENCE_QUARTERS = {PdcaCadence.QUARTER: 1, PdcaCadence.HALF: 2, PdcaCadence.YEAR: 4}


def period_x(period: FiscalQuarter) -> float:
    """A quarter on a continuous axis: the fiscal year plus a quarter's share (FY2024 Q3 -> 2024.5)."""
    return period.fiscal_year + (period.quarter - 1) / 4


def as_of_quarter(latest: FiscalQuarter | None, fiscal_year: int | None) -> FiscalQuarter | None:
    """The quarter a view is assessed at: the latest with data, or the end of the chosen fiscal year before it."""
    if fiscal_year is None:
        return latest
    year_end = FiscalQuarter(fiscal_year, 4)
    return year_end if latest is None else min(latest, year_end)


# --- dashboard ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorOption:
    """An indicator that can be chosen on the dashboard."""

    id: int
    code: str
    name: str
    unit: str
    kind: IndicatorKind
    measure: Measure
    goal_code: str | None


@dataclass(frozen=True)
class DashboardOptions:
    """What the dashboard's filters offer for one region."""

    hubs: dict[int, str]
    goals: dict[str, str]
    indicators: list[IndicatorOption]
    fiscal_years: list[int]
    latest: FiscalQuarter | None


def dashboard_options(*, session: Session, region_id: int) -> DashboardOptions:
    """Hubs, goals, indicators with targets, and the fiscal years with measurements of a region."""
    hubs = {h.id: f"{h.code} {h.name}" for h in session.exec(select(Hub).where(Hub.region_id == region_id)).all()}
    goals = {
        g.code: g.title
        for g in session.exec(
            select(StrategicGoal)
            .where(StrategicGoal.region_id == region_id, StrategicGoal.is_active)
            .order_by(StrategicGoal.position, StrategicGoal.code)
        ).all()
    }
    seen: dict[int, IndicatorOption] = {}
    for _, indicator, _ in region_targets(session=session, region_id=region_id):
        if indicator.id not in seen:
            goal = session.get(StrategicGoal, indicator.goal_id) if indicator.goal_id else None
            seen[indicator.id] = IndicatorOption(  # type: ignore[index]
                indicator.id,  # type: ignore[arg-type]
                indicator.code,
                indicator.name,
                indicator.unit,
                IndicatorKind(indicator.kind),
                Measure(indicator.measure),
                goal.code if goal else None,
            )
    years = session.exec(
        select(Measurement.fiscal_year)
        .join(Hub, col(Hub.id) == Measurement.hub_id)
        .where(Hub.region_id == region_id)
        .distinct()
        .order_by(Measurement.fiscal_year)
    ).all()
    return DashboardOptions(
        hubs=dict(sorted(hubs.items(), key=lambda item: item[1])),
        goals=goals,
        indicators=sorted(seen.values(), key=lambda o: o.code),
        fiscal_years=list(years),
        latest=progress_service.latest_quarter(session=session, region_id=region_id),
    )


@dataclass(frozen=True)
class Dashboard:
    """The region-wide parts of the dashboard, each trimmed to the rows its chart draws."""

    as_of: FiscalQuarter | None
    # hub, indicator (code), indicator_name, unit, achievement, actual, expected, status
    heatmap: pd.DataFrame
    # hub, fiscal_year, quarter, start, end, stage
    pdca: pd.DataFrame
    # sector, state (current | earlier | none), organisations
    endorsements: pd.DataFrame
    endorsed_current: int
    council_organisations: int


def _matches(item: IndicatorProgress, hub_id: int | None, goal_code: str | None, kind: str | None) -> bool:
    return (
        (hub_id is None or item.hub_id == hub_id)
        and (goal_code is None or item.goal_code == goal_code)
        and (kind is None or item.kind == kind)
    )


def dashboard(
    *,
    session: Session,
    region_id: int,
    hub_id: int | None = None,
    goal_code: str | None = None,
    kind: str | None = None,
    fiscal_year: int | None = None,
) -> Dashboard:
    """Achievement heatmap of hubs by indicators, the PDCA stage timeline and the endorsement coverage."""
    at = as_of_quarter(progress_service.latest_quarter(session=session, region_id=region_id), fiscal_year)
    rows = [
        {
            "hub": f"{p.hub_code} {p.hub_name}",
            "indicator": p.indicator_code,
            "indicator_name": p.indicator_name,
            "unit": p.unit,
            "achievement": _rounded(p.assessment.achievement_pct, 1),
            "actual": _rounded(p.assessment.actual, 2),
            "expected": _rounded(p.assessment.expected, 2),
            "status": p.status.value,
        }
        for p in region_progress(session=session, region_id=region_id, at=at)
        if p.hub_id is not None and _matches(p, hub_id, goal_code, kind)
    ]
    heatmap = pd.DataFrame(
        rows, columns=["hub", "indicator", "indicator_name", "unit", "achievement", "actual", "expected", "status"]
    )
    return Dashboard(
        as_of=at,
        heatmap=heatmap,
        pdca=_pdca_timeline(session, region_id, hub_id, fiscal_year),
        **_endorsements(session, region_id),
    )


def _pdca_timeline(session: Session, region_id: int, hub_id: int | None, fiscal_year: int | None) -> pd.DataFrame:
    query = select(PdcaCycle, Hub.code, Hub.name).join(Hub, col(Hub.id) == PdcaCycle.hub_id)
    query = query.where(Hub.region_id == region_id)
    if hub_id is not None:
        query = query.where(PdcaCycle.hub_id == hub_id)
    if fiscal_year is not None:
        query = query.where(PdcaCycle.fiscal_year == fiscal_year)
    else:
        newest = latest_cycle_period(session=session, region_id=region_id)
        if newest is not None:
            first = newest - (PDCA_TIMELINE_QUARTERS - 1)
            query = query.where(PdcaCycle.fiscal_year * 4 + PdcaCycle.quarter - 1 >= first.index)
    rows = []
    for cycle, code, name in session.exec(query.order_by(Hub.code, PdcaCycle.fiscal_year, PdcaCycle.quarter)).all():
        start = FiscalQuarter(cycle.fiscal_year, cycle.quarter)
        span = CADENCE_QUARTERS[PdcaCadence(cycle.cadence)]
        rows.append(
            {
                "hub": f"{code} {name}",
                "fiscal_year": cycle.fiscal_year,
                "quarter": cycle.quarter,
                "start": period_x(start),
                "end": period_x(start) + span / 4,
                "stage": PdcaStage(cycle.stage).value,
            }
        )
    return pd.DataFrame(rows, columns=["hub", "fiscal_year", "quarter", "start", "end", "stage"])


def _endorsements(session: Session, region_id: int) -> dict[str, object]:
    counts: Counter[tuple[Sector, str]] = Counter()
    rows = endorsement_coverage(session=session, region_id=region_id)
    for row in rows:
        state = "current" if row.is_current else "earlier" if row.revision_number is not None else "none"
        counts[(Sector(row.sector), state)] += 1
    frame = pd.DataFrame(
        [
            {"sector": sector.value, "state": state, "organisations": n}
            for sector in Sector
            for state in ("current", "earlier", "none")
            if (n := counts[(sector, state)])
        ],
        columns=["sector", "state", "organisations"],
    )
    return {
        "endorsements": frame,
        "endorsed_current": sum(1 for row in rows if row.is_current),
        "council_organisations": len(rows),
    }


@dataclass(frozen=True)
class IndicatorPaths:
    """One indicator's targets (small multiples: the whole region and each hub) as chart rows.

    `frame` has one row per drawn element, told apart by `layer`:
        path        x, fiscal_year, quarter, expected, actual (None without data), status
        projection  x, value: the recent trend from the last compared value toward the target
        baseline    x, value: the baseline;  target  x, value: the target
        event       x, reason, change: a re-baselining (目標の見直し) in the quarter it was made
    `targets` is the table view: one row per target with its status at `as_of`.
    """

    indicator: IndicatorOption
    as_of: FiscalQuarter | None
    frame: pd.DataFrame
    targets: pd.DataFrame


PATH_COLUMNS = ["panel", "layer", "x", "fiscal_year", "quarter", "expected", "actual", "value", "status", "reason"]


def indicator_paths(
    *,
    session: Session,
    region_id: int,
    indicator_id: int,
    hub_id: int | None = None,
    fiscal_year: int | None = None,
) -> IndicatorPaths:
    """Actual against the expected path of every target of one indicator, with projection and re-baselinings."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None or indicator.region_id != region_id:
        raise LookupError(f"no indicator {indicator_id} in region {region_id}")
    goal = session.get(StrategicGoal, indicator.goal_id) if indicator.goal_id else None
    option = IndicatorOption(
        indicator_id,
        indicator.code,
        indicator.name,
        indicator.unit,
        IndicatorKind(indicator.kind),
        Measure(indicator.measure),
        goal.code if goal else None,
    )
    at = as_of_quarter(progress_service.latest_quarter(session=session, region_id=region_id), fiscal_year)
    assessed = {
        p.target_id: p
        for p in region_progress(session=session, region_id=region_id, at=at)
        if p.indicator_id == indicator_id and (hub_id is None or p.hub_id in (None, hub_id))
    }
    changes: dict[int, list[TargetChange]] = defaultdict(list)
    if assessed:
        for change in session.exec(
            select(TargetChange)
            .where(col(TargetChange.target_id).in_(list(assessed)))
            .order_by(TargetChange.changed_at)
        ).all():
            changes[change.target_id].append(change)
    rows: list[dict[str, object]] = []
    table = []
    for target_id, item in assessed.items():
        panel = f"{item.hub_code} {item.hub_name}" if item.hub_id is not None else ""
        spec, points = target_series(session=session, target_id=target_id)
        rows.extend(_path_rows(panel, spec, points, at))
        rows.extend(_projection_rows(panel, spec, points, item, at))
        rows.extend(_event_rows(panel, changes[target_id]))
        a = item.assessment
        reach = a.projection.reach_index
        table.append(
            {
                "panel": panel,
                "baseline": spec.baseline_value,
                "baseline_period": FiscalQuarter.from_index(spec.baseline_index),
                "target": spec.target_value,
                "target_period": FiscalQuarter.from_index(spec.target_index),
                "actual": _rounded(a.actual, 2),
                "expected": _rounded(a.expected, 2),
                "achievement": _rounded(a.achievement_pct, 1),
                "status": a.status.value,
                "reach": FiscalQuarter.from_index(reach) if reach is not None else None,
                "rebaselined": len(changes[target_id]),
            }
        )
    return IndicatorPaths(option, at, pd.DataFrame(rows, columns=PATH_COLUMNS), pd.DataFrame(table))


def _path_rows(panel: str, spec: TargetSpec, points: list, at: FiscalQuarter | None) -> list[dict[str, object]]:
    baseline = FiscalQuarter.from_index(spec.baseline_index)
    target = FiscalQuarter.from_index(spec.target_index)
    rows: list[dict[str, object]] = [
        {"panel": panel, "layer": "baseline", "x": period_x(baseline), "value": spec.baseline_value},
        {"panel": panel, "layer": "target", "x": period_x(target), "value": spec.target_value},
        # the path starts at the baseline itself
        {
            "panel": panel,
            "layer": "path",
            "x": period_x(baseline),
            "fiscal_year": baseline.fiscal_year,
            "quarter": baseline.quarter,
            "expected": spec.baseline_value,
            "status": Status.NO_DATA.value,
        },
    ]
    for point in points:
        shown = at is None or point.period <= at
        rows.append(
            {
                "panel": panel,
                "layer": "path",
                "x": period_x(point.period),
                "fiscal_year": point.period.fiscal_year,
                "quarter": point.period.quarter,
                "expected": _rounded(point.expected, 3),
                "actual": _rounded(point.actual, 3) if shown else None,
                "status": (point.status if shown else Status.NO_DATA).value,
            }
        )
    return rows


def _projection_rows(
    panel: str, spec: TargetSpec, points: list, item: IndicatorProgress, at: FiscalQuarter | None
) -> list[dict[str, object]]:
    # Annual flows are projected on rolling four-quarter totals, which this chart of year-to-date values
    # does not show; their projection is in the table (reach) only.
    if spec.is_annual:
        return []
    known = [p for p in points if p.actual is not None and (at is None or p.period <= at)]
    projection = item.assessment.projection
    if not known or projection.slope_per_quarter is None:
        return []
    last = known[-1]
    reach = projection.reach_index
    if reach is not None and reach <= last.period.index:
        return []  # already at the target
    if reach is not None:
        end_index, end_value = reach, spec.target_value
    else:
        end_index = max(spec.target_index, last.period.index + 4)
        end_value = last.actual + projection.slope_per_quarter * (end_index - last.period.index)
    end = FiscalQuarter.from_index(end_index)
    return [
        {"panel": panel, "layer": "projection", "x": period_x(last.period), "value": last.actual},
        {"panel": panel, "layer": "projection", "x": period_x(end), "value": _rounded(end_value, 3)},
    ]


def _event_rows(panel: str, changes: list[TargetChange]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for change in changes:
        moment = change.changed_at if change.changed_at.tzinfo else change.changed_at.replace(tzinfo=UTC)
        period = FiscalQuarter.from_date(moment.astimezone(JST).date())
        before, after = change.before or {}, change.after or {}
        changed = ", ".join(f"{k}: {before.get(k)} → {v}" for k, v in after.items() if before.get(k) != v)
        rows.append(
            {
                "panel": panel,
                "layer": "event",
                "x": period_x(period),
                "fiscal_year": period.fiscal_year,
                "quarter": period.quarter,
                "reason": f"{change.reason} ({changed})" if changed else change.reason,
            }
        )
    return rows


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# --- executive summary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    """One target of a region as executives see it: where it stands and how far behind its path."""

    region_id: int
    region: str
    hub_id: int | None
    hub: str | None
    indicator_id: int
    indicator: str
    unit: str
    kind: IndicatorKind
    goal_code: str | None
    status: Status
    actual: float | None
    expected: float | None
    achievement: float | None
    # percentage points of the baseline-to-target distance behind the expected path (negative: ahead)
    behind: float | None


@dataclass(frozen=True)
class GoalStatus:
    """A strategic goal with the worst status of its hub targets and those targets."""

    code: str
    title: str
    status: Status
    targets: list[TargetRow]


@dataclass(frozen=True)
class RegionSummary:
    """One region's status counts (hub targets) and goals at its own as-of quarter."""

    id: int
    code: str
    name: str
    as_of: FiscalQuarter | None
    counts: dict[Status, int]
    goals: list[GoalStatus]


@dataclass(frozen=True)
class ExecutiveSummary:
    """The executive summary of one region (region_id) or of every region (region_id None)."""

    region_id: int | None
    as_of: FiscalQuarter | None
    regions: list[RegionSummary]
    counts: dict[Status, int]
    # row (hub, or region when all), row_region_id, row_hub_id, goal (code), status
    lights: pd.DataFrame
    # region, region_id, hub, hub_id, indicator_id, indicator, unit, actual, expected, achievement, behind, status
    risks: pd.DataFrame
    # fiscal_year, quarter, status, targets (hub targets per status per quarter)
    trend: pd.DataFrame
    # fiscal_year, quarter, achievement (median achievement % of hub targets)
    achievement: pd.DataFrame
    # row, row_region_id, row_hub_id, cycles, closed, completion (%), in the as-of fiscal year
    pdca: pd.DataFrame
    goal_titles: dict[str, str] = field(default_factory=dict)


def executive_summary(
    *, session: Session, region_id: int | None = None, fiscal_year: int | None = None
) -> ExecutiveSummary:
    """Status counts, traffic lights, top risks, achievement by quarter and PDCA completion."""
    query = select(Region).order_by(Region.code)
    if region_id is not None:
        query = query.where(Region.id == region_id)
    regions = list(session.exec(query).all())
    single = region_id is not None
    summaries: list[RegionSummary] = []
    lights, risks, pdca = [], [], []
    trend: Counter[tuple[int, Status]] = Counter()
    achievements: dict[int, list[float]] = defaultdict(list)
    goal_titles: dict[str, str] = {}
    for region in regions:
        view = _region_view(session, region, fiscal_year)
        summaries.append(view.summary)
        risks.extend(view.risks)
        for index, statuses in view.trend.items():
            for status in statuses:
                trend[(index, status)] += 1
        for index, values in view.achievements.items():
            achievements[index].extend(values)
        if single:
            goal_titles = {g.code: g.title for g in view.summary.goals}
            for (hub_id, hub_name, goal), status in view.hub_lights.items():
                lights.append(_light(hub_name, region.id, hub_id, goal, status))  # type: ignore[arg-type]
            pdca.extend(view.pdca)
        else:
            for goal in view.summary.goals:
                lights.append(_light(region.name, region.id, None, goal.code, goal.status))  # type: ignore[arg-type]
            cycles = sum(row["cycles"] for row in view.pdca)
            closed = sum(row["closed"] for row in view.pdca)
            pdca.append(_completion(region.name, region.id, None, cycles, closed))  # type: ignore[arg-type]
    as_of = max((s.as_of for s in summaries if s.as_of is not None), default=None)
    quarters = sorted({index for index, _ in trend})[-TREND_QUARTERS:]
    counts = dict.fromkeys(Status, 0)
    for summary in summaries:
        for status, n in summary.counts.items():
            counts[status] += n
    risks.sort(key=lambda r: -(r.behind or 0.0))
    return ExecutiveSummary(
        region_id=region_id,
        as_of=as_of,
        regions=summaries,
        counts=counts,
        lights=pd.DataFrame(lights, columns=["row", "row_region_id", "row_hub_id", "goal", "status"]),
        risks=pd.DataFrame(
            [_risk_row(r) for r in risks[:TOP_RISKS]],
            columns=[
                "region",
                "region_id",
                "hub",
                "hub_id",
                "indicator_id",
                "indicator",
                "unit",
                "actual",
                "expected",
                "achievement",
                "behind",
                "status",
            ],
        ),
        trend=pd.DataFrame(
            [
                {"fiscal_year": i // 4, "quarter": i % 4 + 1, "status": s.value, "targets": trend[(i, s)]}
                for i in quarters
                for s in Status
            ],
            columns=["fiscal_year", "quarter", "status", "targets"],
        ),
        achievement=pd.DataFrame(
            [
                {
                    "fiscal_year": i // 4,
                    "quarter": i % 4 + 1,
                    "achievement": round(statistics.median(achievements[i]), 1) if achievements[i] else None,
                }
                for i in quarters
            ],
            columns=["fiscal_year", "quarter", "achievement"],
        ),
        pdca=pd.DataFrame(pdca, columns=["row", "row_region_id", "row_hub_id", "cycles", "closed", "completion"]),
        goal_titles=goal_titles,
    )


def _light(row: str, region_id: int, hub_id: int | None, goal: str, status: Status) -> dict[str, object]:
    return {"row": row, "row_region_id": region_id, "row_hub_id": hub_id, "goal": goal, "status": status.value}


def _completion(row: str, region_id: int, hub_id: int | None, cycles: int, closed: int) -> dict[str, object]:
    return {
        "row": row,
        "row_region_id": region_id,
        "row_hub_id": hub_id,
        "cycles": cycles,
        "closed": closed,
        "completion": round(closed / cycles * 100, 1) if cycles else None,
    }


def _risk_row(r: TargetRow) -> dict[str, object]:
    return {
        "region": r.region,
        "region_id": r.region_id,
        "hub": r.hub,
        "hub_id": r.hub_id,
        "indicator_id": r.indicator_id,
        "indicator": r.indicator,
        "unit": r.unit,
        "actual": _rounded(r.actual, 2),
        "expected": _rounded(r.expected, 2),
        "achievement": _rounded(r.achievement, 1),
        "behind": _rounded(r.behind, 1),
        "status": r.status.value,
    }


@dataclass
class _RegionView:
    summary: RegionSummary
    hub_lights: dict[tuple[int, str, str], Status]
    risks: list[TargetRow]
    trend: dict[int, list[Status]]
    achievements: dict[int, list[float]]
    pdca: list[dict[str, object]]


def _region_view(session: Session, region: Region, fiscal_year: int | None) -> _RegionView:
    region_id: int = region.id  # type: ignore[assignment]
    at = as_of_quarter(progress_service.latest_quarter(session=session, region_id=region_id), fiscal_year)
    actuals = progress_service.region_actuals(session=session, region_id=region_id)  # read once, judged twice
    assessed = region_progress(session=session, region_id=region_id, at=at, actuals=actuals)
    specs = {
        target.id: (progress_service.target_spec(target, indicator), target)
        for target, indicator, _ in region_targets(session=session, region_id=region_id)
    }
    rows = [_target_row(region, p, specs[p.target_id][0], at) for p in assessed]
    hub_rows = [r for r in rows if r.hub_id is not None]
    counts = status_counts([p for p in assessed if p.hub_id is not None])
    goals = []
    for goal in session.exec(
        select(StrategicGoal)
        .where(StrategicGoal.region_id == region_id, StrategicGoal.is_active)
        .order_by(StrategicGoal.position, StrategicGoal.code)
    ).all():
        mine = [r for r in hub_rows if r.goal_code == goal.code]
        goals.append(GoalStatus(goal.code, goal.title, worst(r.status for r in mine), mine))
    hub_lights: dict[tuple[int, str, str], list[Status]] = defaultdict(list)
    for p in assessed:
        if p.hub_id is not None and p.goal_code is not None:
            hub_lights[(p.hub_id, f"{p.hub_code} {p.hub_name}", p.goal_code)].append(p.status)
    risks = [r for r in rows if r.kind is IndicatorKind.OUTCOME and r.behind is not None and r.behind > 0]
    trend, achievements = _trend(actuals, specs, at)
    return _RegionView(
        summary=RegionSummary(region_id, region.code, region.name, at, counts, goals),
        hub_lights={key: worst(statuses) for key, statuses in sorted(hub_lights.items())},
        risks=risks,
        trend=trend,
        achievements=achievements,
        pdca=_pdca_completion(session, region_id, at),
    )


def _target_row(region: Region, p: IndicatorProgress, spec: TargetSpec, at: FiscalQuarter | None) -> TargetRow:
    a = p.assessment
    behind = None
    if a.gap is not None and at is not None:
        share = (at.quarter / 4) if spec.is_annual else 1.0
        distance = abs(spec.target_value - spec.baseline_value) * share
        behind = -a.gap / distance * 100 if distance else (0.0 if a.gap >= 0 else float("inf"))
    return TargetRow(
        region_id=region.id,  # type: ignore[arg-type]
        region=region.name,
        hub_id=p.hub_id,
        hub=f"{p.hub_code} {p.hub_name}" if p.hub_id is not None else None,
        indicator_id=p.indicator_id,
        indicator=f"{p.indicator_code} {p.indicator_name}",
        unit=p.unit,
        kind=IndicatorKind(p.kind),
        goal_code=p.goal_code,
        status=p.status,
        actual=a.actual,
        expected=a.expected,
        achievement=a.achievement_pct,
        behind=behind,
    )


def _trend(
    actuals: dict[tuple[int, int], dict[int, float]],
    specs: dict[int | None, tuple[TargetSpec, Target]],
    at: FiscalQuarter | None,
) -> tuple[dict[int, list[Status]], dict[int, list[float]]]:
    """The status and achievement of every hub target at each of the last quarters up to `at`."""
    if at is None:
        return {}, {}
    statuses: dict[int, list[Status]] = defaultdict(list)
    achievements: dict[int, list[float]] = defaultdict(list)
    for spec, target in specs.values():
        if target.hub_id is None:
            continue
        series = actuals.get((target.hub_id, target.indicator_id), {})
        for index in range(at.index - TREND_QUARTERS + 1, at.index + 1):
            a = standing(spec, series, index)  # no projection: the trend only counts statuses
            statuses[index].append(a.status)
            if a.achievement_pct is not None:
                achievements[index].append(a.achievement_pct)
    return statuses, achievements


def _pdca_completion(session: Session, region_id: int, at: FiscalQuarter | None) -> list[dict[str, object]]:
    """Per hub: cycles started in the as-of fiscal year up to `at`, and how many are closed."""
    if at is None:
        return []
    rows = session.exec(
        select(Hub.id, Hub.code, Hub.name, PdcaCycle.stage)
        .join(PdcaCycle, col(PdcaCycle.hub_id) == Hub.id)
        .where(
            Hub.region_id == region_id,
            PdcaCycle.fiscal_year == at.fiscal_year,
            PdcaCycle.quarter <= at.quarter,
        )
    ).all()
    cycles: Counter[tuple[int, str]] = Counter()
    closed: Counter[tuple[int, str]] = Counter()
    for hub_id, code, name, stage in rows:
        cycles[(hub_id, f"{code} {name}")] += 1
        closed[(hub_id, f"{code} {name}")] += PdcaStage(stage) is PdcaStage.CLOSED
    return [
        _completion(name, region_id, hub_id, n, closed[(hub_id, name)])
        for (hub_id, name), n in sorted(cycles.items(), key=lambda kv: kv[0][1])
    ]


# --- reports ------------------------------------------------------------------------------------

REPORT_FORMATS: tuple[str, ...] = ("pptx", "xlsx")


class UnknownRegion(ValueError):
    """A region code that names no region."""


def region_id_for(*, session: Session, code: str) -> int:
    """The id of the region with this code; UnknownRegion names the codes there are."""
    region = session.exec(select(Region).where(Region.code == code)).first()
    if region is None:
        codes = ", ".join(session.exec(select(Region.code).order_by(Region.code).limit(10)).all())
        raise UnknownRegion(f'no region with code "{code}"; regions: {codes or "none"}')
    return region.id  # type: ignore[return-value]


def export_report(
    *,
    session: Session,
    actor: Actor,
    fmt: str,
    lang: str,
    region_id: int | None = None,
    fiscal_year: int | None = None,
) -> bytes:
    """The executive report of one region or of every region as a .pptx or .xlsx file."""
    require(actor, Permission.EXPORT_REPORTS, region_id=region_id)
    if region_id is None and actor.region_id is not None:
        region_id = actor.region_id  # a regional reader reports on their own region only
    if fmt not in REPORT_FORMATS:
        raise ValueError(f'unknown report format "{fmt}"; use one of: {", ".join(REPORT_FORMATS)}')
    summary = executive_summary(session=session, region_id=region_id, fiscal_year=fiscal_year)
    # imported here: the report writers import this module for its data classes
    if fmt == "pptx":
        from hubdash.exports.executive_pptx import executive_pptx

        return executive_pptx(summary, lang)
    from hubdash.exports.executive_xlsx import executive_xlsx

    return executive_xlsx(summary, lang)
