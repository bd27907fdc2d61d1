"""Read side of progress: every target of a region judged by the status engine at a fiscal quarter."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hubdash import db
from hubdash.domain.enums import ComparedAs, IndicatorKind, Status
from hubdash.domain.errors import NotFound
from hubdash.domain.periods import FiscalQuarter, quarter_index
from hubdash.domain.profiles import ProfileProposal, propose_profile
from hubdash.domain.status import (
    Assessment,
    TargetSpec,
    assess,
    compared_as,
    expected_value,
    on_track_from,
    standings,
)
from hubdash.fmt import decimals_of
from hubdash.models import Hub, Indicator, Measurement, MeasurementCorrection, StrategicGoal, Target, id_of

# (hub id, indicator id) -> {quarter index: value}
Actuals = dict[tuple[int, int], dict[int, float]]


@dataclass(frozen=True)
class IndicatorProgress:
    """One target (of a hub, or of the whole region when hub_id is None) and how it stands."""

    target_id: int
    hub_id: int | None
    hub_code: str | None
    hub_name: str | None
    indicator_id: int
    indicator_code: str
    indicator_name: str
    unit: str
    kind: IndicatorKind
    goal_code: str | None
    assessment: Assessment

    @property
    def status(self) -> Status:
        """The status at the assessed quarter."""
        return self.assessment.status


def target_spec(target: Target, indicator: Indicator) -> TargetSpec:
    """The status engine's view of a stored target."""
    return TargetSpec(
        baseline_value=target.baseline_value,
        baseline_index=FiscalQuarter(target.baseline_fy, target.baseline_quarter).index,
        target_value=target.target_value,
        target_index=FiscalQuarter(target.target_fy, target.target_quarter).index,
        measure=indicator.measure,
        direction=indicator.direction,
        accumulation=target.accumulation,
        tolerance=target.tolerance,
        profile=tuple(target.profile) if target.profile else None,  # type: ignore[arg-type]  # checked by TargetSpec
    )


def as_of_quarter(latest: FiscalQuarter | None, fiscal_year: int | None) -> FiscalQuarter | None:
    """The quarter a view is assessed at: the latest with data, or the end of the chosen fiscal year before it."""
    if fiscal_year is None:
        return latest
    year_end = FiscalQuarter(fiscal_year, 4)
    return year_end if latest is None else min(latest, year_end)


def latest_quarter(*, session: Session, region_id: int) -> FiscalQuarter | None:
    """The newest fiscal quarter with any measurement in the region."""
    row = session.exec(
        select(Measurement.fiscal_year, Measurement.quarter)
        .join(Hub, col(Hub.id) == Measurement.hub_id)
        .where(Hub.region_id == region_id)
        .order_by(col(Measurement.fiscal_year).desc(), col(Measurement.quarter).desc())
        .limit(1)
    ).first()
    return FiscalQuarter(row[0], row[1]) if row else None


def scope_actuals(
    *, session: Session, region_id: int | None = None, quarters: tuple[int, int] | None = None
) -> dict[int, Actuals]:
    """Quarterly values of one region (or of every region), by region id, then as region_actuals; one query.

    `quarters`: only the values of the quarters from the first to the last index given (both included).
    """
    index = quarter_index(col(Measurement.fiscal_year), col(Measurement.quarter))
    statement = sa_select(col(Measurement.hub_id), col(Measurement.indicator_id), index, col(Measurement.value))
    hubs = sa_select(col(Hub.id), col(Hub.region_id))
    if region_id is not None:
        statement = statement.join(Hub, col(Hub.id) == Measurement.hub_id).where(col(Hub.region_id) == region_id)
        hubs = hubs.where(col(Hub.region_id) == region_id)
    if quarters is not None:
        first, last = quarters
        # by year first, so that an index on the periods serves it: years around the window, then the quarters
        statement = statement.where(
            col(Measurement.fiscal_year).between(first // 4, last // 4), index.between(first, last)
        )
    series: Actuals = {}
    # plain numbers, many of them: read as the driver returns them, each row freed once folded in
    for hub_id, indicator_id, quarter, value in db.driver_stream(session, statement):
        key = (hub_id, indicator_id)
        if (values := series.get(key)) is None:
            values = series[key] = {}
        values[quarter] = value
    region_of: dict[int, int] = dict(session.execute(hubs).all())
    found: dict[int, Actuals] = defaultdict(lambda: defaultdict(dict))
    for key, values in series.items():
        found[region_of[key[0]]][key] = values
    return found


def region_actuals(*, session: Session, region_id: int) -> Actuals:
    """Quarterly values by (hub id, indicator id) -> {quarter index: value}, in one query."""
    actuals: Actuals = scope_actuals(session=session, region_id=region_id).get(region_id) or defaultdict(dict)
    return actuals


def series_of(actuals: Actuals, hub_id: int | None, indicator_id: int) -> dict[int, float]:
    """The quarterly values a target is judged on: the hub's, or for a region-wide target the sum over its hubs."""
    return actuals.get((hub_id, indicator_id), {}) if hub_id is not None else _region_series(actuals, indicator_id)


def _region_series(actuals: Actuals, indicator_id: int) -> dict[int, float]:
    # A region-wide value is the sum over its hubs: flows add up, and the level indicators the
    # councils set region targets for are stocks (people, companies) that add up too.
    series: dict[int, float] = defaultdict(float)
    for (_, ind), values in actuals.items():
        if ind == indicator_id:
            for index, value in values.items():
                series[index] += value
    return dict(series)


class TargetLine(NamedTuple):
    """A target as the summaries show it: its hub and indicator by name, its goal, and the status engine's view."""

    target_id: int
    region_id: int
    hub_id: int | None
    hub_code: str | None
    hub_name: str | None
    indicator_id: int
    indicator_code: str
    indicator_name: str
    unit: str
    kind: IndicatorKind
    goal_code: str | None
    spec: TargetSpec


def target_lines(*, session: Session, region_id: int | None = None) -> list[TargetLine]:
    """Every target of one region (or of every region) in one query: by region, then hub (the region first),
    then indicator, as the pages list them."""
    statement = (
        sa_select(
            col(Target.id),
            col(Target.region_id),
            col(Target.hub_id),
            col(Hub.code),
            col(Hub.name),
            col(Indicator.id),
            col(Indicator.code),
            col(Indicator.name),
            col(Indicator.unit),
            col(Indicator.kind),
            col(StrategicGoal.code),
            col(Target.baseline_value),
            col(Target.baseline_fy),
            col(Target.baseline_quarter),
            col(Target.target_value),
            col(Target.target_fy),
            col(Target.target_quarter),
            col(Indicator.measure),
            col(Indicator.direction),
            col(Target.accumulation),
            col(Target.tolerance),
            col(Target.profile),
        )
        .join(Indicator, col(Indicator.id) == Target.indicator_id)
        .join(Hub, col(Hub.id) == Target.hub_id, isouter=True)
        .join(StrategicGoal, col(StrategicGoal.id) == Indicator.goal_id, isouter=True)
    )
    if region_id is not None:
        statement = statement.where(col(Target.region_id) == region_id)
    statement = statement.order_by(
        col(Target.region_id), col(Hub.code).nulls_first(), col(Indicator.position), col(Indicator.code)
    )
    lines = []
    for (
        target_id,
        region,
        hub_id,
        hub_code,
        hub_name,
        indicator_id,
        indicator_code,
        indicator_name,
        unit,
        kind,
        goal_code,
        baseline_value,
        baseline_fy,
        baseline_quarter,
        target_value,
        target_fy,
        target_quarter,
        measure,
        direction,
        accumulation,
        tolerance,
        profile,
    ) in session.execute(statement).all():
        spec = TargetSpec(
            baseline_value=baseline_value,
            baseline_index=quarter_index(baseline_fy, baseline_quarter),
            target_value=target_value,
            target_index=quarter_index(target_fy, target_quarter),
            measure=measure,
            direction=direction,
            accumulation=accumulation,
            tolerance=tolerance,
            profile=tuple(profile) if profile else None,
        )
        lines.append(
            TargetLine(
                target_id,
                region,
                hub_id,
                hub_code,
                hub_name,
                indicator_id,
                indicator_code,
                indicator_name,
                unit,
                IndicatorKind(kind),
                goal_code,
                spec,
            )
        )
    return lines


def judged(line: TargetLine, actuals: Actuals, at: FiscalQuarter | None) -> IndicatorProgress:
    """A target assessed at `at` (none: at its baseline) on the values of its region."""
    series = (
        _region_series(actuals, line.indicator_id)
        if line.hub_id is None
        else actuals.get((line.hub_id, line.indicator_id), {})
    )
    return IndicatorProgress(
        target_id=line.target_id,
        hub_id=line.hub_id,
        hub_code=line.hub_code,
        hub_name=line.hub_name,
        indicator_id=line.indicator_id,
        indicator_code=line.indicator_code,
        indicator_name=line.indicator_name,
        unit=line.unit,
        kind=line.kind,
        goal_code=line.goal_code,
        assessment=assess(line.spec, series, at.index if at else line.spec.baseline_index),
    )


def region_progress(
    *,
    session: Session,
    region_id: int,
    at: FiscalQuarter | None = None,
    actuals: Actuals | None = None,
) -> list[IndicatorProgress]:
    """Every target of the region assessed at `at` (default: the latest quarter with data)."""
    at = at or latest_quarter(session=session, region_id=region_id)
    lines = target_lines(session=session, region_id=region_id)
    if actuals is None:
        actuals = region_actuals(session=session, region_id=region_id)
    return [judged(line, actuals, at) for line in lines]


def status_counts(progress: list[IndicatorProgress]) -> dict[Status, int]:
    """How many targets are in each status (every status present, zero when none)."""
    counts = dict.fromkeys(Status, 0)
    for item in progress:
        counts[item.status] += 1
    return counts


@dataclass(frozen=True)
class QuarterRow:
    """One indicator of a hub in one quarter: this and last quarter's values, and what is compared with what.

    `value` and `previous` are single quarters; `compared` (the assessment's actual) and `expected` are of the
    compared quantity (`compared_as`: quarter-end value, fiscal year to date, or total since the baseline).
    `on_track_from` is the expected value at the indicator's precision (`decimals`, the most its numbers are
    written with), rounded toward behind: a compared value at or past it is on track.
    """

    indicator_id: int
    indicator_code: str
    indicator_name: str
    unit: str
    previous: float | None
    value: float | None
    note: str
    expected: float | None
    assessment: Assessment | None
    compared_as: ComparedAs = ComparedAs.QUARTER_END
    decimals: int = 0
    on_track_from: float | None = None

    @property
    def compared(self) -> float | None:
        """The compared value at the indicator's precision (None without one)."""
        actual = self.assessment.actual if self.assessment else None
        return None if actual is None else round(actual, self.decimals)


def hub_quarter(*, session: Session, hub_id: int, at: FiscalQuarter) -> list[QuarterRow]:
    """Every indicator the hub has a target for, with its values around `at` and its status at `at`."""
    hub = session.get(Hub, hub_id)
    if hub is None:
        return []
    targets = session.exec(
        select(Target, Indicator)
        .join(Indicator, col(Indicator.id) == Target.indicator_id)
        .where(Target.hub_id == hub_id)
        .order_by(col(Indicator.position), col(Indicator.code))
    ).all()
    measurements = session.exec(select(Measurement).where(Measurement.hub_id == hub_id)).all()
    series: dict[int, dict[int, float]] = defaultdict(dict)
    notes: dict[tuple[int, int], str] = {}
    for m in measurements:
        index = quarter_index(m.fiscal_year, m.quarter)
        series[m.indicator_id][index] = m.value
        notes[(m.indicator_id, index)] = m.note
    rows = []
    for target, indicator in targets:
        values = series.get(id_of(indicator), {})
        spec = target_spec(target, indicator)
        assessment = assess(spec, values, at.index)
        decimals = decimals_of([*values.values(), target.baseline_value, target.target_value])
        expected = assessment.expected
        rows.append(
            QuarterRow(
                indicator_id=id_of(indicator),
                indicator_code=indicator.code,
                indicator_name=indicator.name,
                unit=indicator.unit,
                previous=values.get(at.index - 1),
                value=values.get(at.index),
                note=notes.get((id_of(indicator), at.index), ""),
                expected=expected,
                assessment=assessment,
                compared_as=compared_as(spec),
                decimals=decimals,
                on_track_from=None if expected is None else on_track_from(spec, expected, decimals),
            )
        )
    return rows


@dataclass(frozen=True)
class SeriesPoint:
    """The compared value of a target and its expected path at one quarter."""

    period: FiscalQuarter
    actual: float | None
    expected: float
    status: Status


def target_series(*, session: Session, target_id: int) -> tuple[TargetSpec, list[SeriesPoint]]:
    """A target's path quarter by quarter from its baseline to its target (or the latest data)."""
    target = session.get(Target, target_id)
    if target is None:
        raise NotFound("indicators.error_no_target", target=target_id)
    indicator = session.get(Indicator, target.indicator_id)
    assert indicator is not None
    spec = target_spec(target, indicator)
    actuals = region_actuals(session=session, region_id=target.region_id)
    return spec, path_points(spec, series_of(actuals, target.hub_id, id_of(indicator)))


def path_points(spec: TargetSpec, values: dict[int, float]) -> list[SeriesPoint]:
    """The compared value, expected value and status of a target at every quarter from its baseline to its
    target (or its latest value)."""
    last = max([spec.target_index, *values])
    found = standings(spec, values, range(spec.baseline_index + 1, last + 1))
    return [
        SeriesPoint(FiscalQuarter.from_index(index), a.actual, expected_value(spec, index), a.status)
        for index, a in found.items()
    ]


@dataclass(frozen=True)
class EnteredValue:
    """The stored value of one indicator in the hub's quarter, with the version an edit starts from."""

    value: float
    note: str
    version: int


def entered_values(*, session: Session, hub_id: int, at: FiscalQuarter) -> dict[int, EnteredValue]:
    """Indicator id -> stored value of a hub in one quarter."""
    rows = session.exec(
        select(Measurement).where(
            Measurement.hub_id == hub_id, Measurement.fiscal_year == at.fiscal_year, Measurement.quarter == at.quarter
        )
    ).all()
    return {m.indicator_id: EnteredValue(m.value, m.note, m.version) for m in rows}


@dataclass(frozen=True)
class CorrectionRow:
    """One correction of a value: what it was, what it became, who and when, typed or imported."""

    indicator_code: str
    indicator_name: str
    old_value: float
    new_value: float
    old_note: str
    new_note: str
    corrected_at: datetime
    corrected_by: str
    source: str


def quarter_corrections(*, session: Session, hub_id: int, at: FiscalQuarter) -> list[CorrectionRow]:
    """Every correction of the hub's values for one quarter, newest first."""
    rows = session.exec(
        select(MeasurementCorrection, Indicator)
        .join(Measurement, col(Measurement.id) == MeasurementCorrection.measurement_id)
        .join(Indicator, col(Indicator.id) == Measurement.indicator_id)
        .where(
            Measurement.hub_id == hub_id, Measurement.fiscal_year == at.fiscal_year, Measurement.quarter == at.quarter
        )
        .order_by(col(MeasurementCorrection.corrected_at).desc(), col(MeasurementCorrection.id).desc())
    ).all()
    return [
        CorrectionRow(
            indicator_code=indicator.code,
            indicator_name=indicator.name,
            old_value=c.old_value,
            new_value=c.new_value,
            old_note=c.old_note,
            new_note=c.new_note,
            corrected_at=c.corrected_at,
            corrected_by=c.corrected_by_name,
            source=c.source,
        )
        for c, indicator in rows
    ]


def profile_proposal(
    *, session: Session, region_id: int, indicator_id: int, hub_id: int | None
) -> ProfileProposal | None:
    """A quarterly profile read off the hub's (or the whole region's) own complete past fiscal years."""
    values = series_of(region_actuals(session=session, region_id=region_id), hub_id, indicator_id)
    if not values:
        return None
    return propose_profile(values, before_fiscal_year=max(values) // 4 + 1)
