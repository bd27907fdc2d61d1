"""The executive summary of one region or of every region: status counts, goals rolled up by a stated rule,
top risks, the status and achievement by quarter, PDCA completion and, for every region, the national picture.

A summary is "as of" one quarter for its whole scope: the latest quarter every active hub has submitted
(services.reporting), or a chosen one; it says whether that quarter is complete and how far the hubs are with
newer, provisional quarters. Every number comes from the status engine through services.progress; the
executive page and the PowerPoint / Excel reports (hubdash.exports.executive) show the same ExecutiveSummary.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hubdash.domain.enums import IndicatorKind, PdcaStage, Status
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.domain.rollup import DEFAULT_RULE, Rollup, RollupRule, behind_order, roll_up
from hubdash.domain.status import Standing, path_distance, standing, standings
from hubdash.fmt import coded
from hubdash.models import Hub, PdcaCycle, Region, StrategicGoal, id_of
from hubdash.services.dashboard import rounded
from hubdash.services.progress import (
    Actuals,
    TargetLine,
    as_of_quarter,
    scope_actuals,
    series_of,
    target_lines,
)
from hubdash.services.reporting import Coverage, coverage, reporting

TREND_QUARTERS = 8
TOP_RISKS = 10
TOP_GOALS = 10


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
    """A strategic goal: its hub targets rolled up by the stated rule, and those targets."""

    code: str
    title: str
    rollup: Rollup
    targets: list[TargetRow]

    @property
    def status(self) -> Status:
        """The goal's status by the roll-up rule."""
        return self.rollup.status

    def deciding(self) -> list[TargetRow]:
        """The targets that make the goal's colour (those in its status), furthest behind first."""
        return sorted((t for t in self.targets if t.status is self.status), key=lambda t: -(t.behind or 0.0))


@dataclass(frozen=True)
class RegionSummary:
    """One region's hub targets at the summary's quarter: counts, roll-up, goals, and the roll-up a quarter before."""

    id: int
    code: str
    name: str
    as_of: FiscalQuarter | None
    counts: dict[Status, int]
    goals: list[GoalStatus]
    rollup: Rollup = field(default_factory=Rollup)
    previous: Rollup | None = None

    @property
    def change(self) -> float | None:
        """The change of the share on track since the quarter before, in percentage points."""
        now = self.rollup.on_track_share
        before = self.previous.on_track_share if self.previous else None
        return None if now is None or before is None else (now - before) * 100


@dataclass(frozen=True)
class GoalBehind:
    """A strategic goal of one region, for the national list of the goals most behind."""

    region_id: int
    region: str
    goal: GoalStatus


@dataclass(frozen=True)
class NationalSummary:
    """The national picture: regions ranked by share on track and by change, and the goals most behind."""

    regions_by_status: dict[Status, int]  # regions per roll-up status
    by_share: list[RegionSummary]  # most on track first (regions without data last)
    by_change: list[RegionSummary]  # largest gain first (regions without a change last)
    goals_behind: list[GoalBehind]


@dataclass(frozen=True)
class ExecutiveSummary:
    """The executive summary of one region (region_id) or of every region (region_id None)."""

    region_id: int | None
    as_of: FiscalQuarter | None
    regions: list[RegionSummary]
    counts: dict[Status, int]
    # row (hub, or region when all), row_region_id, row_hub_id, goal (code), status, on_track, known
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
    complete: bool = False  # every active hub has submitted the as-of quarter
    coverage: Coverage | None = None  # of the as-of quarter
    newer: tuple[Coverage, ...] = ()  # provisional quarters after the latest complete one
    rule: RollupRule = DEFAULT_RULE
    rollup: Rollup = field(default_factory=Rollup)
    national: NationalSummary | None = None


def summary_quarter(
    *, session: Session, region_id: int | None, at: FiscalQuarter | None = None, fiscal_year: int | None = None
) -> tuple[FiscalQuarter | None, Coverage | None, tuple[Coverage, ...]]:
    """The quarter a summary is as of (chosen, else the latest complete one), its coverage and the newer quarters."""
    state = reporting(session=session, region_id=region_id)
    if at is None:
        at = as_of_quarter(state.headline, fiscal_year)
    covered = coverage(session=session, region_id=region_id, period=at) if at is not None else None
    return at, covered, state.newer


def executive_summary(
    *,
    session: Session,
    region_id: int | None = None,
    at: FiscalQuarter | None = None,
    fiscal_year: int | None = None,
) -> ExecutiveSummary:
    """Status counts, goals by the roll-up rule, top risks, achievement by quarter, PDCA completion, national picture.

    As of `at`, else the latest quarter complete for the whole scope (within `fiscal_year` when given).
    """
    at, covered, newer = summary_quarter(session=session, region_id=region_id, at=at, fiscal_year=fiscal_year)
    query = select(Region).order_by(col(Region.code))
    if region_id is not None:
        query = query.where(Region.id == region_id)
    regions = list(session.exec(query).all())
    single = region_id is not None
    scope = _Scope.read(session, region_id, at)
    summaries: list[RegionSummary] = []
    lights, risks, pdca = [], [], []
    trend: Counter[tuple[int, Status]] = Counter()
    achievements: dict[int, list[float]] = defaultdict(list)
    goal_titles: dict[str, str] = {}
    for region in regions:
        view = _region_view(region, scope, at, single=single)
        summaries.append(view.summary)
        risks.extend(view.risks)
        for index, statuses in view.trend.items():
            for status in statuses:
                trend[(index, status)] += 1
        for index, values in view.achievements.items():
            achievements[index].extend(values)
        if single:
            goal_titles = {g.code: g.title for g in view.summary.goals}
            for (hub_id, hub_name, goal_code), rollup in view.hub_lights.items():
                lights.append(_light(hub_name, id_of(region), hub_id, goal_code, rollup))
            pdca.extend(view.pdca)
        else:
            for goal in view.summary.goals:
                lights.append(_light(region.name, id_of(region), None, goal.code, goal.rollup))
            cycles = sum(row["cycles"] for row in view.pdca)
            closed = sum(row["closed"] for row in view.pdca)
            pdca.append(_completion(region.name, id_of(region), None, cycles, closed))
    quarters = sorted({index for index, _ in trend})[-TREND_QUARTERS:]
    counts = dict.fromkeys(Status, 0)
    for summary in summaries:
        for status, n in summary.counts.items():
            counts[status] += n
    risks.sort(key=lambda r: -(r.behind or 0.0))
    return ExecutiveSummary(
        region_id=region_id,
        as_of=at,
        regions=summaries,
        counts=counts,
        lights=pd.DataFrame(
            lights, columns=["row", "row_region_id", "row_hub_id", "goal", "status", "on_track", "known"]
        ),
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
                {"fiscal_year": q.fiscal_year, "quarter": q.quarter, "status": s.value, "targets": trend[(q.index, s)]}
                for q in map(FiscalQuarter.from_index, quarters)
                for s in Status
            ],
            columns=["fiscal_year", "quarter", "status", "targets"],
        ),
        achievement=pd.DataFrame(
            [
                {
                    "fiscal_year": q.fiscal_year,
                    "quarter": q.quarter,
                    "achievement": round(statistics.median(achievements[q.index]), 1)
                    if achievements[q.index]
                    else None,
                }
                for q in map(FiscalQuarter.from_index, quarters)
            ],
            columns=["fiscal_year", "quarter", "achievement"],
        ),
        pdca=pd.DataFrame(pdca, columns=["row", "row_region_id", "row_hub_id", "cycles", "closed", "completion"]),
        goal_titles=goal_titles,
        complete=covered.complete if covered else False,
        coverage=covered,
        newer=tuple(c for c in newer if at is None or c.period > at),
        rollup=roll_up(status for status, n in counts.items() for _ in range(n)),
        national=None if single else _national(summaries),
    )


def _national(regions: list[RegionSummary]) -> NationalSummary:
    by_status = dict.fromkeys(Status, 0)
    for region in regions:
        by_status[region.rollup.status] += 1
    with_data = [r for r in regions if r.rollup.known]
    by_share = sorted(with_data, key=lambda r: (-(r.rollup.on_track_share or 0.0), r.code))
    by_share += [r for r in regions if not r.rollup.known]
    changed = [r for r in regions if r.change is not None]
    by_change = sorted(changed, key=lambda r: (-(r.change or 0.0), r.code)) + [r for r in regions if r.change is None]
    goals = [GoalBehind(r.id, r.name, g) for r in regions for g in r.goals if g.rollup.known]
    goals.sort(key=lambda g: (*behind_order(g.goal.rollup), g.region, g.goal.code))
    return NationalSummary(by_status, by_share, by_change, goals[:TOP_GOALS])


def _light(row: str, region_id: int, hub_id: int | None, goal: str, rollup: Rollup) -> dict[str, object]:
    share = rollup.on_track_share
    return {
        "row": row,
        "row_region_id": region_id,
        "row_hub_id": hub_id,
        "goal": goal,
        "status": rollup.status.value,
        "on_track": None if share is None else round(share * 100),
        "known": rollup.known,
    }


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
        "actual": rounded(r.actual, 2),
        "expected": rounded(r.expected, 2),
        "achievement": rounded(r.achievement, 1),
        "behind": rounded(r.behind, 1),
        "status": r.status.value,
    }


@dataclass
class _RegionView:
    summary: RegionSummary
    hub_lights: dict[tuple[int, str, str], Rollup]
    risks: list[TargetRow]
    trend: dict[int, list[Status]]
    achievements: dict[int, list[float]]
    pdca: list[dict[str, Any]]


@dataclass
class _Scope:
    """Everything the summary of one region or of every region reads, in a few queries for the whole scope."""

    targets: dict[int, list[TargetLine]]
    actuals: dict[int, Actuals]
    goals: dict[int, list[tuple[str, str]]]  # region -> active goals (code, title), in the vision's order
    cycles: dict[int, list[tuple[int, str, str, int, int]]]  # region -> (hub id, code, name, cycles, closed)

    @classmethod
    def read(cls, session: Session, region_id: int | None, at: FiscalQuarter | None) -> _Scope:
        targets: dict[int, list[TargetLine]] = defaultdict(list)
        for line in target_lines(session=session, region_id=region_id):
            targets[line.region_id].append(line)
        goals: dict[int, list[tuple[str, str]]] = defaultdict(list)
        query = select(StrategicGoal.region_id, StrategicGoal.code, StrategicGoal.title).where(
            col(StrategicGoal.is_active).is_(True)
        )
        if region_id is not None:
            query = query.where(StrategicGoal.region_id == region_id)
        for region, code, title in session.exec(
            query.order_by(col(StrategicGoal.region_id), col(StrategicGoal.position), col(StrategicGoal.code))
        ).all():
            goals[region].append((code, title))
        return cls(
            targets,
            scope_actuals(session=session, region_id=region_id, quarters=_window(targets, at)),
            goals,
            _pdca_completion(session, region_id, at),
        )


def _window(targets: dict[int, list[TargetLine]], at: FiscalQuarter | None) -> tuple[int, int] | None:
    """The quarters whose values the summary as of `at` reads (None: every quarter, for each region's latest).

    A status at a quarter reads a level's value of that quarter, an annual flow's values of its fiscal year so far,
    a cumulative flow's values since its baseline; the trend does so at each of its quarters up to `at`.
    """
    if at is None:
        return None
    first = at.index - TREND_QUARTERS + 1
    first -= first % 4  # the fiscal year of the trend's first quarter
    baselines = [line.spec.baseline_index + 1 for lines in targets.values() for line in lines]
    return min([first, *baselines]), at.index


def _region_view(region: Region, scope: _Scope, at: FiscalQuarter | None, *, single: bool) -> _RegionView:
    region_id = id_of(region)
    actuals = scope.actuals.get(region_id, {})
    lines = scope.targets.get(region_id, [])
    if at is None:  # no quarter for the whole scope: each region as of its own latest values
        latest = max((index for values in actuals.values() for index in values), default=None)
        at = FiscalQuarter.from_index(latest) if latest is not None else None
        trend_at = None
    else:
        trend_at = at
    # Each target's standing at the quarter and, for hub targets, at each quarter of the trend, in one pass over
    # its values (standings); the summary shows no projection, so none is made.
    trend: dict[int, list[Status]] = defaultdict(list)
    achievements: dict[int, list[float]] = defaultdict(list)
    quarters = range(trend_at.index - TREND_QUARTERS + 1, trend_at.index + 1) if trend_at is not None else range(0)
    rows: list[TargetRow] = []
    counts = dict.fromkeys(Status, 0)
    hub_lights: dict[tuple[int, str, str], list[Status]] = defaultdict(list)
    for line in lines:
        at_index = at.index if at else line.spec.baseline_index
        if line.hub_id is None:
            now = standing(line.spec, series_of(actuals, None, line.indicator_id), at_index)
        else:
            found = standings(line.spec, series_of(actuals, line.hub_id, line.indicator_id), [*quarters, at_index])
            now = found[at_index]
            for index in quarters:
                trend[index].append(found[index].status)
                if (achieved := found[index].achievement_pct) is not None:
                    achievements[index].append(achieved)
            counts[now.status] += 1
            if single and line.goal_code is not None:
                hub_lights[(line.hub_id, coded(line.hub_code or "", line.hub_name or ""), line.goal_code)].append(
                    now.status
                )
        rows.append(_target_row(region, line, now, trend_at))
    hub_rows = [r for r in rows if r.hub_id is not None]
    goals = []
    for code, title in scope.goals.get(region_id, []):
        mine = [r for r in hub_rows if r.goal_code == code]
        goals.append(GoalStatus(code, title, roll_up(r.status for r in mine), mine))
    risks = [r for r in rows if r.kind is IndicatorKind.OUTCOME and r.behind is not None and r.behind > 0]
    previous = roll_up(trend[trend_at.index - 1]) if trend_at is not None and trend.get(trend_at.index - 1) else None
    rollup = roll_up(r.status for r in hub_rows)
    return _RegionView(
        summary=RegionSummary(region_id, region.code, region.name, trend_at, counts, goals, rollup, previous),
        hub_lights={key: roll_up(statuses) for key, statuses in sorted(hub_lights.items())},
        risks=risks,
        trend=trend,
        achievements=achievements,
        pdca=[
            _completion(coded(code, name), region_id, hub_id, cycles, closed)
            for hub_id, code, name, cycles, closed in scope.cycles.get(region_id, [])
        ],
    )


def _target_row(region: Region, line: TargetLine, now: Standing, at: FiscalQuarter | None) -> TargetRow:
    behind = None
    if now.gap is not None and at is not None:
        distance = path_distance(line.spec, at.index)  # pro-rated by the target's profile for annual flows
        behind = -now.gap / distance * 100 if distance else (0.0 if now.gap >= 0 else float("inf"))
    return TargetRow(
        region_id=id_of(region),
        region=region.name,
        hub_id=line.hub_id,
        hub=coded(line.hub_code or "", line.hub_name or "") if line.hub_id is not None else None,
        indicator_id=line.indicator_id,
        indicator=coded(line.indicator_code, line.indicator_name),
        unit=line.unit,
        kind=IndicatorKind(line.kind),
        goal_code=line.goal_code,
        status=now.status,
        actual=now.actual,
        expected=now.expected,
        achievement=now.achievement_pct,
        behind=behind,
    )


def _pdca_completion(
    session: Session, region_id: int | None, at: FiscalQuarter | None
) -> dict[int, list[tuple[int, str, str, int, int]]]:
    """Region -> per hub (by its label): cycles started in the as-of fiscal year up to `at`, and how many are closed."""
    if at is None:
        return {}
    closed = func.sum(case((col(PdcaCycle.stage) == PdcaStage.CLOSED, 1), else_=0))
    query = (
        sa_select(col(Hub.region_id), col(Hub.id), col(Hub.code), col(Hub.name), func.count(), closed)
        .join(PdcaCycle, col(PdcaCycle.hub_id) == Hub.id)
        .where(col(PdcaCycle.fiscal_year) == at.fiscal_year, col(PdcaCycle.quarter) <= at.quarter)
        .group_by(col(Hub.region_id), col(Hub.id), col(Hub.code), col(Hub.name))
    )
    if region_id is not None:
        query = query.where(col(Hub.region_id) == region_id)
    found: dict[int, list[tuple[int, str, str, int, int]]] = defaultdict(list)
    for region, hub_id, code, name, cycles, done in session.execute(query).all():
        found[region].append((hub_id, code, name, int(cycles), int(done or 0)))
    for rows in found.values():
        rows.sort(key=lambda row: coded(row[1], row[2]))
    return found


def executive_report(
    *,
    session: Session,
    actor: Actor,
    region_id: int | None = None,
    at: FiscalQuarter | None = None,
    fiscal_year: int | None = None,
) -> ExecutiveSummary:
    """The summary an executive report is made of: one region, or every region the actor may read."""
    require(actor, Permission.EXPORT_REPORTS, region_id=region_id)
    if region_id is None and actor.region_id is not None:
        region_id = actor.region_id  # a regional reader reports on their own region only
    return executive_summary(session=session, region_id=region_id, at=at, fiscal_year=fiscal_year)
