"""The status engine: expected path, status, achievement and projection of one target (pure, stdlib only).

Every page and report takes statuses, colours and symbols from here and never recomputes them.
Quarters are plain ints: ``index = fiscal_year * 4 + (quarter - 1)``, so FY2024Q1 is 8096,
``index // 4`` is the fiscal year and ``index % 4 + 1`` the quarter.

Compared quantity: what is set against the target at quarter ``i``
    level            the value entered for ``i``.
    flow, cumulative ``baseline_value`` plus the values of quarters ``baseline_index + 1 .. i``;
                     at or before the baseline nothing has accumulated yet, so it is ``baseline_value``.
    flow, annual     the fiscal-year-to-date total, Q1 .. the quarter of ``i``; ``baseline_index`` and
                     ``target_index`` must be Q4s, whose fiscal-year totals are the baseline and target.

Missing data: a total is known only when every quarter in it is entered. One gap makes the compared
value unknown (status no data) instead of counting as 0, which would show a hub as behind (higher is
better) or ahead (lower is better) of where it really is. Hub managers enter 0 for an empty quarter;
``missing_quarters`` names the quarters still needed. None, NaN and infinite values count as missing.

Expected path: a straight line from ``(baseline_index, baseline_value)`` to ``(target_index,
target_value)``, held at the baseline before it and at the target after the deadline. Annual flows:
the expected fiscal-year total runs straight from ``baseline_value`` in the baseline fiscal year to
``target_value`` in the target fiscal year (held outside them), and the expected year-to-date at
quarter q is that total * share(q).

Seasonal flows: a flow target may carry a quarterly ``profile`` (hubdash.domain.profiles), the share of
a year's total expected by the end of each quarter; share(q) is q/4 without one (the linear path). An
annual flow's year-to-date follows the shares; a cumulative flow's straight line runs in seasonal time,
``position(i) = 4 * fiscal_year + 4 * share(quarter) - 1`` (which is ``i`` itself on the linear path), so
each year of the path adds the same amount, spread over its quarters by the profile. Level targets ignore
profiles. Everything below that speaks of q/4 reads share(q) with a profile; a linear profile gives exactly
the results of no profile.

Status: ``gap = actual - expected``, negated when lower is better, so a positive gap is ahead.
    gap >= 0                                   on track
    behind by at most tolerance * distance     at risk
    behind by more                             off track
    no compared value                          no data
``distance`` is |target - baseline| of the compared quantity (annual flows: scaled by share(q) like the
expected value), so target == baseline leaves no band: any shortfall is off track. A gap within
floating-point rounding of the numbers involved (1e-9 of their size) counts as 0, so a hub exactly
on its path is never flagged because 0.1 + 0.2 != 0.3. After the deadline the expected value stays
at the target and the compared value keeps counting: the status says whether the target is met now;
``Projection.reaches_by_deadline`` says whether it was met in time.

Achievement: ``(actual - baseline) / (target - baseline) * 100`` for the compared quantity. Annual
flows set the year-to-date total against the baseline and target totals pro-rated to the quarter
(* q/4): mid-year it is the pace (100 = on pace for the target total; measuring the year-to-date
against full-year totals would read -70 % for a hub on track in Q1, or 170 % for a lower-is-better
indicator that has merely not finished its year), and at Q4 it is the achievement of the year.
When target == baseline there is no distance to measure: 100 if the target is met, else None.

Projection: a least-squares line through the last up-to-4 points, at or before the assessed quarter,
of the compared series that have data (level: the values; cumulative: the running totals, starting
with the baseline; annual: rolling four-quarter totals, so a seasonal year does not read as a trend,
set against the target fiscal-year total; a seasonal cumulative flow's line runs in seasonal time). If
the latest point is already at or past the target, ``reach_index`` is where the current run of such
points began, so a target met before the deadline and held stays "by deadline" when viewed later.
Otherwise it is the first quarter after the latest point at which the line reaches the target; None
when the line is flat, heads away from the target, has fewer than 2 points, or arrives more than 40
quarters after ``target_index``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from hubdash.domain.enums import Accumulation, ComparedAs, Direction, Measure, Status
from hubdash.domain.profiles import LINEAR, Profile, checked, is_linear

HORIZON_QUARTERS = 40
TREND_POINTS = 4
_ROUNDING = 1e-9

STATUS_ORDER: tuple[Status, ...] = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA)

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
STATUS_COLORS: dict[Status, str] = {
    Status.ON_TRACK: "#0072B2",
    Status.AT_RISK: "#E69F00",
    Status.OFF_TRACK: "#D55E00",
    Status.NO_DATA: "#999999",
}

STATUS_SYMBOLS: dict[Status, str] = {
    Status.ON_TRACK: "●",
    Status.AT_RISK: "▲",
    Status.OFF_TRACK: "✖",
    Status.NO_DATA: "–",
}


@dataclass(frozen=True)
class TargetSpec:
    """A target of one indicator: baseline and target, how values add up, and which way is better."""

    baseline_value: float
    baseline_index: int
    target_value: float
    target_index: int
    measure: Measure
    direction: Direction
    accumulation: Accumulation = Accumulation.CUMULATIVE
    tolerance: float = 0.1
    profile: Profile | None = None  # cumulative shares of a year's flow by the end of Q1..Q4; None: linear
    # Derived once here, read for every quarter judged (an import judges hundreds of thousands of values):
    is_annual: bool = field(init=False, repr=False, compare=False)  # a fiscal-year total of a flow
    shares: Profile = field(init=False, repr=False, compare=False)  # by the end of Q1..Q4: the profile, or LINEAR
    is_seasonal: bool = field(init=False, repr=False, compare=False)  # a profile other than LINEAR bends the path

    def __post_init__(self) -> None:
        # Values read from the database arrive as plain strings and Decimals.
        object.__setattr__(self, "measure", Measure(self.measure))
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "accumulation", Accumulation(self.accumulation))
        flow = self.measure == Measure.FLOW
        object.__setattr__(self, "is_annual", flow and self.accumulation == Accumulation.ANNUAL)
        for name in ("baseline_value", "target_value", "tolerance"):
            value = float(getattr(self, name))
            if not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, not {value}")
            object.__setattr__(self, name, value)
        if self.tolerance < 0:
            raise ValueError(f"tolerance must not be negative, not {self.tolerance}")
        if self.target_index <= self.baseline_index:
            raise ValueError("target_index must come after baseline_index")
        if self.is_annual and (self.baseline_index % 4 != 3 or self.target_index % 4 != 3):
            raise ValueError("an annual flow target needs baseline_index and target_index at a Q4")
        if self.profile is not None:
            object.__setattr__(self, "profile", checked(self.profile))
        object.__setattr__(self, "shares", self.profile if self.profile is not None and flow else LINEAR)
        object.__setattr__(self, "is_seasonal", flow and not is_linear(self.profile))
        if self.is_seasonal and position(self, self.target_index) <= position(self, self.baseline_index):
            raise ValueError("the profile expects nothing between baseline_index and target_index")


@dataclass(frozen=True)
class Projection:
    """Where the recent trend of the compared series leads."""

    slope_per_quarter: float | None
    reach_index: int | None
    reaches_by_deadline: bool


@dataclass(frozen=True)
class Assessment:
    """The status of one target at one quarter, with the numbers behind it."""

    status: Status
    at_index: int
    actual: float | None
    expected: float | None
    target: float
    gap: float | None
    achievement_pct: float | None
    projection: Projection


def expected_value(spec: TargetSpec, at_index: int) -> float:
    """The expected value of the compared quantity at a quarter, on the path to the target."""
    if spec.is_annual:
        annual = _along(
            spec.baseline_value,
            spec.target_value,
            spec.baseline_index // 4,
            spec.target_index // 4,
            at_index // 4,
        )
        return annual * _year_share(spec, at_index)
    if spec.is_seasonal:
        start, end = position(spec, spec.baseline_index), position(spec, spec.target_index)
        return _along(spec.baseline_value, spec.target_value, start, end, position(spec, at_index))
    return _along(spec.baseline_value, spec.target_value, spec.baseline_index, spec.target_index, at_index)


def position(spec: TargetSpec, index: int) -> float:
    """Where a quarter's end lies in seasonal time, in quarters: ``index`` itself on the linear path."""
    return 4 * (index // 4) + 4 * spec.shares[index % 4] - 1


def path_distance(spec: TargetSpec, at_index: int) -> float:
    """|target - baseline| of the compared quantity at a quarter (annual flows: pro-rated to the year so far)."""
    baseline, target = _scaled_ends(spec, at_index)
    return abs(target - baseline)


def compared_as(spec: TargetSpec) -> ComparedAs:
    """What is set against the target: the quarter-end value, the year to date, or the total since the baseline."""
    if spec.measure == Measure.LEVEL:
        return ComparedAs.QUARTER_END
    return ComparedAs.YEAR_TO_DATE if spec.is_annual else ComparedAs.SINCE_BASELINE


def on_track_from(spec: TargetSpec, expected: float, decimals: int) -> float:
    """The expected value at a precision of `decimals`, rounded toward behind: the first such value on track."""
    step = 10.0**-decimals
    noise = _ROUNDING * (1 + abs(expected))
    if spec.direction == Direction.HIGHER:
        return round(math.ceil((expected - noise) / step) * step, decimals)
    return round(math.floor((expected + noise) / step) * step, decimals)


def compared_value(spec: TargetSpec, actuals: Mapping[int, float], at_index: int) -> float | None:
    """The quantity set against the target at a quarter, or None when a quarter it needs is missing."""
    return _compared(spec, actuals, at_index)[0]


def missing_quarters(spec: TargetSpec, actuals: Mapping[int, float], at_index: int) -> list[int]:
    """The quarters that must still be entered before the target can be assessed at a quarter."""
    return [index for index in _needed_quarters(spec, at_index) if _entered(actuals, index) is None]


def tolerance_band(spec: TargetSpec, at_index: int) -> float:
    """How far behind the expected value a hub may be at a quarter and still be at risk, not off track."""
    return spec.tolerance * path_distance(spec, at_index)


def status_of(gap: float | None, distance: float, tolerance: float) -> Status:
    """The status for a gap (positive = ahead) given the baseline-to-target distance and the tolerance."""
    if gap is None or math.isnan(gap):
        return Status.NO_DATA
    if tolerance < 0:
        raise ValueError(f"tolerance must not be negative, not {tolerance}")
    if gap >= 0:
        return Status.ON_TRACK
    if -gap <= tolerance * abs(distance):
        return Status.AT_RISK
    return Status.OFF_TRACK


def project(spec: TargetSpec, actuals: Mapping[int, float], at_index: int) -> Projection:
    """Whether and when the recent trend, from data up to a quarter, reaches the target."""
    series = _trend_series(spec, actuals, at_index)
    recent = series[-TREND_POINTS:]
    # A seasonal cumulative flow is on its path when its running total is a straight line in seasonal time.
    seasonal = spec.is_seasonal and not spec.is_annual
    points = [(position(spec, index), value) for index, value in recent] if seasonal else recent
    slope = _slope(points)
    reach: int | None = None
    horizon = spec.target_index + HORIZON_QUARTERS
    if series and _at_or_past(series[-1][1], spec.target_value, spec.direction):
        for index, value in reversed(series):
            if not _at_or_past(value, spec.target_value, spec.direction):
                break
            reach = index
    elif slope is not None and slope != 0 and (slope > 0) == (spec.direction == Direction.HIGHER):
        mean_x = sum(x for x, _ in points) / len(points)
        mean_value = sum(value for _, value in points) / len(points)
        crossing = mean_x + (spec.target_value - mean_value) / slope
        if seasonal:
            reach = _first_at(spec, crossing, recent[-1][0] + 1, horizon)
        elif math.isfinite(crossing) and crossing <= horizon:
            reach = max(math.ceil(crossing - _ROUNDING), recent[-1][0] + 1)
            if reach > horizon:
                reach = None
    return Projection(
        slope_per_quarter=slope,
        reach_index=reach,
        reaches_by_deadline=reach is not None and reach <= spec.target_index,
    )


@dataclass(frozen=True)
class Standing:
    """Where a target stands at a quarter: an Assessment without the projection (cheaper, for long histories)."""

    status: Status
    actual: float | None
    expected: float
    gap: float | None
    achievement_pct: float | None


def standing(spec: TargetSpec, actuals: Mapping[int, float], at_index: int) -> Standing:
    """The status, gap and achievement of a target at a quarter."""
    actual, magnitude = _compared(spec, actuals, at_index)
    return _standing(spec, at_index, actual, magnitude)


def statuses(spec: TargetSpec, actuals: Mapping[int, float], indexes: Iterable[int]) -> dict[int, Status]:
    """The status at each of the quarters, as standing() gives it, summing a cumulative flow's values once."""
    return {at: found.status for at, found in standings(spec, actuals, indexes).items()}


def standings(spec: TargetSpec, actuals: Mapping[int, float], indexes: Iterable[int]) -> dict[int, Standing]:
    """standing() at each of the quarters (the same numbers), summing a cumulative flow's values once."""
    wanted = sorted(set(indexes))
    if spec.measure == Measure.LEVEL:  # the compared value is the entered one (0.0 + value, as _compared sums)
        found = {}
        for at in wanted:
            value = _entered(actuals, at)
            found[at] = _standing(spec, at, None if value is None else 0.0 + value, abs(value or 0.0))
        return found
    if not wanted:
        return {}
    if spec.is_annual:  # each fiscal year's running total summed once, in _compared's order
        years: dict[int, list[tuple[float, float]]] = {}
        return {at: _standing(spec, at, *_year_to_date(actuals, at, years)) for at in wanted}
    # Same summation order as _compared: the baseline, then each quarter since; magnitudes from 0.
    totals: dict[int, tuple[float, float]] = {}
    total, magnitude = spec.baseline_value, 0.0
    for index in range(spec.baseline_index + 1, wanted[-1] + 1):
        value = _entered(actuals, index)
        if value is None:
            break
        total += value
        magnitude += abs(value)
        totals[index] = (total, magnitude)
    found = {}
    for at in wanted:
        actual, size = (spec.baseline_value, 0.0) if at <= spec.baseline_index else totals.get(at, (None, 0.0))
        found[at] = _standing(spec, at, actual, size)
    return found


def _year_to_date(
    actuals: Mapping[int, float], at_index: int, years: dict[int, list[tuple[float, float]]]
) -> tuple[float | None, float]:
    """An annual flow's compared value at a quarter and the size of its entries, as _compared sums them; `years`
    keeps each fiscal year's running totals (up to its first missing quarter) for the next quarter asked."""
    start = at_index - at_index % 4
    sums = years.get(start)
    if sums is None:
        sums, total, magnitude = [], 0.0, 0.0
        for index in range(start, start + 4):
            value = _entered(actuals, index)
            if value is None:
                break
            total += value
            magnitude += abs(value)
            sums.append((total, magnitude))
        years[start] = sums
    offset = at_index % 4
    return sums[offset] if offset < len(sums) else (None, 0.0)


def _standing(spec: TargetSpec, at_index: int, actual: float | None, magnitude: float) -> Standing:
    expected = expected_value(spec, at_index)
    baseline, target = _scaled_ends(spec, at_index)
    gap: float | None = None
    achievement: float | None = None
    if actual is not None:
        gap = actual - expected if spec.direction == Direction.HIGHER else expected - actual
        noise = _ROUNDING * (1 + magnitude + abs(expected) + abs(spec.baseline_value) + abs(spec.target_value))
        if abs(gap) <= noise:
            gap = 0.0
        if target != baseline:
            achievement = (actual - baseline) / (target - baseline) * 100
        elif gap >= 0:
            achievement = 100.0
    return Standing(status_of(gap, abs(target - baseline), spec.tolerance), actual, expected, gap, achievement)


def assess(spec: TargetSpec, actuals: Mapping[int, float], at_index: int) -> Assessment:
    """The status, gap, achievement and projection of a target at a quarter."""
    now = standing(spec, actuals, at_index)
    return Assessment(
        status=now.status,
        at_index=at_index,
        actual=now.actual,
        expected=now.expected,
        target=spec.target_value,
        gap=now.gap,
        achievement_pct=now.achievement_pct,
        projection=project(spec, actuals, at_index),
    )


def _along(start_value: float, end_value: float, start: float, end: float, at: float) -> float:
    if at <= start:
        return start_value
    if at >= end:
        return end_value
    return start_value + (end_value - start_value) * (at - start) / (end - start)


def _year_share(spec: TargetSpec, index: int) -> float:
    return spec.shares[index % 4]


def _first_at(spec: TargetSpec, crossing: float, first: int, horizon: int) -> int | None:
    """The first quarter from `first` (up to the horizon) whose end lies at or past `crossing` in seasonal time."""
    if not math.isfinite(crossing):
        return None
    for index in range(first, horizon + 1):
        if position(spec, index) >= crossing - _ROUNDING:
            return index
    return None


def _scaled_ends(spec: TargetSpec, at_index: int) -> tuple[float, float]:
    share = _year_share(spec, at_index) if spec.is_annual else 1.0
    return spec.baseline_value * share, spec.target_value * share


def _at_or_past(value: float, target: float, direction: Direction) -> bool:
    return value >= target if direction == Direction.HIGHER else value <= target


def _entered(actuals: Mapping[int, float], index: int) -> float | None:
    value = actuals.get(index)
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _needed_quarters(spec: TargetSpec, at_index: int) -> range:
    if spec.measure == Measure.LEVEL:
        return range(at_index, at_index + 1)
    if spec.is_annual:
        return range(at_index - at_index % 4, at_index + 1)
    return range(spec.baseline_index + 1, at_index + 1)


def _compared(spec: TargetSpec, actuals: Mapping[int, float], at_index: int) -> tuple[float | None, float]:
    """The compared value and the summed size of the entries in it, which bounds its rounding error."""
    needed = _needed_quarters(spec, at_index)
    values = [value for index in needed if (value := _entered(actuals, index)) is not None]
    if len(values) < len(needed):
        return None, 0.0
    total = 0.0 if spec.measure == Measure.LEVEL or spec.is_annual else spec.baseline_value
    for value in values:
        total += value
    return total, sum(abs(value) for value in values)


def _finite(actuals: Mapping[int, float]) -> dict[int, float]:
    """The entered values as _entered reads them (floats; None, NaN and infinite left out), for reading many."""
    found = {}
    for index, raw in actuals.items():
        if raw is not None and math.isfinite(value := float(raw)):
            found[index] = value
    return found


def _trend_series(spec: TargetSpec, actuals: Mapping[int, float], at_index: int) -> list[tuple[int, float]]:
    values = _finite(actuals)
    if spec.measure == Measure.LEVEL:
        return [(index, values[index]) for index in sorted(values) if index <= at_index]
    if spec.is_annual:
        series = []
        for index in sorted(values):  # a quarter without a value has no full four-quarter window
            if index > at_index:
                break
            window = [values[quarter] for quarter in range(index - 3, index + 1) if quarter in values]
            if len(window) == 4:
                total = 0.0
                for value in window:
                    total += value
                series.append((index, total))
        return series
    if at_index < spec.baseline_index:
        return []
    # Same summation order as _compared, so the last point equals the compared value exactly.
    total = spec.baseline_value
    series = [(spec.baseline_index, total)]
    for index in range(spec.baseline_index + 1, at_index + 1):
        found = values.get(index)
        if found is None:
            break
        total += found
        series.append((index, total))
    return series


def _slope(points: Sequence[tuple[float, float]]) -> float | None:
    if len(points) < 2:
        return None
    mean_index = sum(index for index, _ in points) / len(points)
    mean_value = sum(value for _, value in points) / len(points)
    spread = sum((index - mean_index) ** 2 for index, _ in points)
    if spread == 0:  # every point at one moment of seasonal time: no trend to read
        return None
    covariance = sum((index - mean_index) * (value - mean_value) for index, value in points)
    return covariance / spread
