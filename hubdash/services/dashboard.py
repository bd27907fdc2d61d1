"""The dashboard of one region: each indicator against its expected path, the achievement heatmap,
the PDCA timeline and the endorsement coverage (read side).

Statuses, achievements and projections come from the status engine (through services.progress); this
module only selects, groups and trims, so that each chart receives the rows it draws and nothing more.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hubdash.domain.enums import IndicatorKind, Measure, PdcaStage, Sector, Status
from hubdash.domain.errors import NotFound
from hubdash.domain.periods import JST, FiscalQuarter, cadence_quarters, quarter_index
from hubdash.domain.status import TargetSpec, compared_value, expected_value, position, standing
from hubdash.fmt import coded
from hubdash.models import Hub, Indicator, Measurement, PdcaCycle, StrategicGoal, Target, TargetChange, id_of
from hubdash.services.pdca import latest_cycle_period
from hubdash.services.progress import (
    IndicatorProgress,
    SeriesPoint,
    as_of_quarter,
    judged,
    latest_quarter,
    path_points,
    region_actuals,
    region_progress,
    series_of,
    target_lines,
)
from hubdash.services.regions import active_goals
from hubdash.services.reporting import Coverage, coverage
from hubdash.services.vision import endorsement_coverage

PDCA_TIMELINE_QUARTERS = 8


def rounded(value: float | None, digits: int) -> float | None:
    """A number rounded for a chart or table (None stays None)."""
    return None if value is None else round(value, digits)


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


def _option(session: Session, indicator: Indicator) -> IndicatorOption:
    assert indicator.id is not None  # read from the database
    goal = session.get(StrategicGoal, indicator.goal_id) if indicator.goal_id else None
    return IndicatorOption(
        indicator.id,
        indicator.code,
        indicator.name,
        indicator.unit,
        IndicatorKind(indicator.kind),
        Measure(indicator.measure),
        goal.code if goal else None,
    )


def dashboard_options(*, session: Session, region_id: int) -> DashboardOptions:
    """Hubs, goals, indicators with targets, and the fiscal years with measurements of a region."""
    hubs = {id_of(h): coded(h.code, h.name) for h in session.exec(select(Hub).where(Hub.region_id == region_id)).all()}
    goals = {g.code: g.title for g in active_goals(session=session, region_id=region_id)}
    with_targets = select(Target.indicator_id).where(Target.region_id == region_id)
    indicators = [
        IndicatorOption(indicator_id, code, name, unit, IndicatorKind(kind), Measure(measure), goal_code)
        for indicator_id, code, name, unit, kind, measure, goal_code in session.execute(
            sa_select(
                col(Indicator.id),
                col(Indicator.code),
                col(Indicator.name),
                col(Indicator.unit),
                col(Indicator.kind),
                col(Indicator.measure),
                col(StrategicGoal.code),
            )
            .join(StrategicGoal, col(StrategicGoal.id) == Indicator.goal_id, isouter=True)
            .where(col(Indicator.id).in_(with_targets))
            .order_by(col(Indicator.code))
        ).all()
    ]
    years = session.exec(
        select(Measurement.fiscal_year)
        .join(Hub, col(Hub.id) == Measurement.hub_id)
        .where(Hub.region_id == region_id)
        .distinct()
        .order_by(col(Measurement.fiscal_year))
    ).all()
    return DashboardOptions(
        hubs=dict(sorted(hubs.items(), key=lambda item: item[1])),
        goals=goals,
        indicators=indicators,
        fiscal_years=list(years),
        latest=latest_quarter(session=session, region_id=region_id),
    )


@dataclass(frozen=True)
class Dashboard:
    """The region-wide parts of the dashboard, each trimmed to the rows its chart draws."""

    as_of: FiscalQuarter | None
    coverage: Coverage | None  # of the as-of quarter: provisional unless every active hub has submitted it
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
    at = as_of_quarter(latest_quarter(session=session, region_id=region_id), fiscal_year)
    rows = [
        {
            "hub": coded(p.hub_code or "", p.hub_name or ""),
            "indicator": p.indicator_code,
            "indicator_name": p.indicator_name,
            "unit": p.unit,
            "achievement": rounded(p.assessment.achievement_pct, 1),
            "actual": rounded(p.assessment.actual, 2),
            "expected": rounded(p.assessment.expected, 2),
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
        coverage=coverage(session=session, region_id=region_id, period=at) if at else None,
        heatmap=heatmap,
        pdca=_pdca_timeline(session, region_id, hub_id, fiscal_year),
        **_endorsements(session, region_id),  # type: ignore[arg-type]  # the three endorsement fields, typed there
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
            query = query.where(quarter_index(col(PdcaCycle.fiscal_year), col(PdcaCycle.quarter)) >= first.index)
    rows = []
    for cycle, code, name in session.exec(
        query.order_by(col(Hub.code), col(PdcaCycle.fiscal_year), col(PdcaCycle.quarter))
    ).all():
        start = FiscalQuarter(cycle.fiscal_year, cycle.quarter)
        span = cadence_quarters(cycle.cadence)
        rows.append(
            {
                "hub": coded(code, name),
                "fiscal_year": cycle.fiscal_year,
                "quarter": cycle.quarter,
                "start": start.axis_position,
                "end": start.axis_position + span / 4,
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
        raise NotFound("indicators.error_no_indicator", indicator=indicator_id)
    option = _option(session, indicator)
    at = as_of_quarter(latest_quarter(session=session, region_id=region_id), fiscal_year)
    actuals = region_actuals(session=session, region_id=region_id)  # read once, for every target drawn
    lines = {
        line.target_id: line
        for line in target_lines(session=session, region_id=region_id)
        if line.indicator_id == indicator_id and (hub_id is None or line.hub_id in (None, hub_id))
    }
    assessed = {target_id: judged(line, actuals, at) for target_id, line in lines.items()}
    changes: dict[int, list[TargetChange]] = defaultdict(list)
    if assessed:
        for change in session.exec(
            select(TargetChange)
            .where(col(TargetChange.target_id).in_(list(assessed)))
            .order_by(col(TargetChange.changed_at))
        ).all():
            changes[change.target_id].append(change)
    rows: list[dict[str, object]] = []
    table = []
    for target_id, item in assessed.items():
        panel = coded(item.hub_code or "", item.hub_name or "") if item.hub_id is not None else ""
        spec = lines[target_id].spec
        points = path_points(spec, series_of(actuals, item.hub_id, indicator_id))
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
                "actual": rounded(a.actual, 2),
                "expected": rounded(a.expected, 2),
                "achievement": rounded(a.achievement_pct, 1),
                "status": a.status.value,
                "reach": FiscalQuarter.from_index(reach) if reach is not None else None,
                "rebaselined": len(changes[target_id]),
            }
        )
    return IndicatorPaths(option, at, pd.DataFrame(rows, columns=PATH_COLUMNS), pd.DataFrame(table))


def _path_rows(
    panel: str, spec: TargetSpec, points: list[SeriesPoint], at: FiscalQuarter | None
) -> list[dict[str, object]]:
    baseline = FiscalQuarter.from_index(spec.baseline_index)
    target = FiscalQuarter.from_index(spec.target_index)
    rows: list[dict[str, object]] = [
        {"panel": panel, "layer": "baseline", "x": baseline.axis_position, "value": spec.baseline_value},
        {"panel": panel, "layer": "target", "x": target.axis_position, "value": spec.target_value},
        # the path starts at the baseline itself
        {
            "panel": panel,
            "layer": "path",
            "x": baseline.axis_position,
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
                "x": point.period.axis_position,
                "fiscal_year": point.period.fiscal_year,
                "quarter": point.period.quarter,
                "expected": rounded(point.expected, 3),
                "actual": rounded(point.actual, 3) if shown else None,
                "status": (point.status if shown else Status.NO_DATA).value,
            }
        )
    return rows


def _projection_rows(
    panel: str, spec: TargetSpec, points: list[SeriesPoint], item: IndicatorProgress, at: FiscalQuarter | None
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
    assert last.actual is not None  # known holds only quarters with a value
    reach = projection.reach_index
    if reach is not None and reach <= last.period.index:
        return []  # already at the target
    if reach is not None:
        end_index, end_value = reach, spec.target_value
    else:
        end_index = max(spec.target_index, last.period.index + 4)
        # a seasonal path's slope is per quarter of seasonal time (domain.status.position)
        elapsed = position(spec, end_index) - position(spec, last.period.index)
        end_value = last.actual + projection.slope_per_quarter * elapsed
    end = FiscalQuarter.from_index(end_index)
    return [
        {"panel": panel, "layer": "projection", "x": last.period.axis_position, "value": last.actual},
        {"panel": panel, "layer": "projection", "x": end.axis_position, "value": rounded(end_value, 3)},
    ]


def _event_rows(panel: str, changes: list[TargetChange]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for change in changes:
        period = FiscalQuarter.from_date(change.changed_at.astimezone(JST).date())
        before, after = change.before or {}, change.after or {}
        changed = ", ".join(f"{k}: {before.get(k)} → {v}" for k, v in after.items() if before.get(k) != v)
        rows.append(
            {
                "panel": panel,
                "layer": "event",
                "x": period.axis_position,
                "fiscal_year": period.fiscal_year,
                "quarter": period.quarter,
                "reason": f"{change.reason} ({changed})" if changed else change.reason,
            }
        )
    return rows


@dataclass(frozen=True)
class YearPaths:
    """One fiscal year of a flow indicator's targets: the year to date against the expected (seasonal) path.

    `frame` rows: panel (hub, "" for the region), x (0 = the start of the year, 1..4 = the end of Q1..Q4),
    expected and actual (this year's part: the year to date of an annual target, the growth since last March
    of a cumulative one; actual None where not yet known), status (the target's status at that quarter),
    year_total (the expected total of the year), profile (the expected shares in percent, "25/50/75/100").
    """

    indicator: IndicatorOption
    fiscal_year: int
    as_of: FiscalQuarter | None
    frame: pd.DataFrame


YEAR_COLUMNS = ["panel", "x", "quarter", "expected", "actual", "status", "year_total", "profile"]


def fiscal_year_paths(
    *,
    session: Session,
    region_id: int,
    indicator_id: int,
    hub_id: int | None = None,
    fiscal_year: int | None = None,
) -> YearPaths:
    """Each target of a flow indicator through one fiscal year (default: the as-of year), actual against expected."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None or indicator.region_id != region_id:
        raise NotFound("indicators.error_no_indicator", indicator=indicator_id)
    at = as_of_quarter(latest_quarter(session=session, region_id=region_id), fiscal_year)
    year = fiscal_year if fiscal_year is not None else (at.fiscal_year if at else 0)
    rows: list[dict[str, object]] = []
    if indicator.measure == Measure.FLOW and at is not None:
        actuals = region_actuals(session=session, region_id=region_id)
        for line in target_lines(session=session, region_id=region_id):
            if line.indicator_id != indicator_id or (hub_id is not None and line.hub_id not in (None, hub_id)):
                continue
            panel = coded(line.hub_code or "", line.hub_name or "") if line.hub_id is not None else ""
            rows.extend(_year_rows(panel, line.spec, series_of(actuals, line.hub_id, indicator_id), year, at))
    return YearPaths(_option(session, indicator), year, at, pd.DataFrame(rows, columns=YEAR_COLUMNS))


def _year_rows(
    panel: str, spec: TargetSpec, values: dict[int, float], year: int, at: FiscalQuarter
) -> list[dict[str, object]]:
    start = FiscalQuarter(year, 1).index - 1  # the end of the previous fiscal year
    expected_base: float = 0.0
    actual_base: float | None = 0.0
    if not spec.is_annual:
        expected_base = expected_value(spec, start)
        actual_base = compared_value(spec, values, start)
    profile = "/".join(str(round(share * 100)) for share in spec.shares)
    year_total = rounded(expected_value(spec, start + 4) - expected_base, 3)
    common: dict[str, object] = {"panel": panel, "year_total": year_total, "profile": profile}
    rows: list[dict[str, object]] = [
        common
        | {
            "x": 0,
            "quarter": 0,
            "expected": 0.0,
            "actual": 0.0 if start < at.index and actual_base is not None else None,
            "status": Status.NO_DATA.value,
        }
    ]
    for quarter in (1, 2, 3, 4):
        index = start + quarter
        known = index <= at.index
        actual = compared_value(spec, values, index) if known else None
        rows.append(
            common
            | {
                "x": quarter,
                "quarter": quarter,
                "expected": rounded(expected_value(spec, index) - expected_base, 3),
                "actual": None if actual is None or actual_base is None else rounded(actual - actual_base, 3),
                "status": (standing(spec, values, index).status if known else Status.NO_DATA).value,
            }
        )
    return rows
