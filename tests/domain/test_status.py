import dataclasses
import math
import re
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hubdash.domain.enums import Accumulation, Direction, Measure, Status
from hubdash.domain.profiles import LINEAR, ProfileError
from hubdash.domain.status import (
    HORIZON_QUARTERS,
    STATUS_COLORS,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    Assessment,
    TargetSpec,
    assess,
    compared_value,
    expected_value,
    missing_quarters,
    path_distance,
    position,
    project,
    standing,
    status_of,
    statuses,
    tolerance_band,
)

SEVERITY = {Status.ON_TRACK: 0, Status.AT_RISK: 1, Status.OFF_TRACK: 2, Status.NO_DATA: 3}


def q(fiscal_year: int, quarter: int) -> int:
    return fiscal_year * 4 + quarter - 1


FY2023Q4 = q(2023, 4)
FY2026Q4 = q(2026, 4)


def level(baseline: float = 0, target: float = 40, direction: Direction = Direction.HIGHER, **kw) -> TargetSpec:
    """Baseline FY2023Q4, target FY2026Q4: the expected value moves (target - baseline) / 12 a quarter."""
    return TargetSpec(baseline, FY2023Q4, target, FY2026Q4, Measure.LEVEL, direction, **kw)


def cumulative(baseline: float = 0, target: float = 24, direction: Direction = Direction.HIGHER) -> TargetSpec:
    return TargetSpec(baseline, FY2023Q4, target, FY2026Q4, Measure.FLOW, direction, Accumulation.CUMULATIVE)


def annual(
    baseline: float = 10, target: float = 22, direction: Direction = Direction.HIGHER, profile=None
) -> TargetSpec:
    return TargetSpec(baseline, FY2023Q4, target, FY2026Q4, Measure.FLOW, direction, Accumulation.ANNUAL, 0.1, profile)


SEASONAL = (0.1, 0.25, 0.45, 1.0)  # most of a year's flow lands in January to March


def quarters(start: int, *values: float) -> dict[int, float]:
    return {start + offset: value for offset, value in enumerate(values)}


# --- constants shared with charts and reports ---------------------------------------------------


def test_status_order_lists_every_status_once_in_display_order():
    assert STATUS_ORDER == (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA)


def test_every_status_has_its_own_colour_and_symbol():
    assert set(STATUS_COLORS) == set(Status) == set(STATUS_SYMBOLS)
    assert len(set(STATUS_COLORS.values())) == len(Status)
    assert len(set(STATUS_SYMBOLS.values())) == len(Status)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", colour) for colour in STATUS_COLORS.values())
    assert STATUS_COLORS[Status.ON_TRACK] == "#0072B2"
    assert STATUS_COLORS[Status.OFF_TRACK] == "#D55E00"


# --- the status rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "distance", "tolerance", "expected"),
    [
        (None, 10, 0.1, Status.NO_DATA),
        (math.nan, 10, 0.1, Status.NO_DATA),
        (0.0, 10, 0.1, Status.ON_TRACK),
        (3.0, 10, 0.1, Status.ON_TRACK),
        (-0.5, 10, 0.1, Status.AT_RISK),
        (-1.0, 10, 0.1, Status.AT_RISK),
        (-1.01, 10, 0.1, Status.OFF_TRACK),
        (-1.0, -10, 0.1, Status.AT_RISK),
        (-0.001, 0, 0.1, Status.OFF_TRACK),
        (0.0, 0, 0.1, Status.ON_TRACK),
    ],
)
def test_status_of(gap, distance, tolerance, expected):
    assert status_of(gap, distance, tolerance) is expected


def test_status_of_rejects_a_negative_tolerance():
    with pytest.raises(ValueError, match="tolerance"):
        status_of(-1.0, 10, -0.1)


# --- target validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"target_index": FY2023Q4},
        {"target_index": FY2023Q4 - 1},
        {"baseline_value": math.nan},
        {"target_value": math.inf},
        {"tolerance": -0.1},
        {"accumulation": Accumulation.ANNUAL, "target_index": q(2026, 2)},
        {"accumulation": Accumulation.ANNUAL, "baseline_index": q(2023, 1)},
    ],
)
def test_a_meaningless_target_is_rejected(kwargs):
    fields = {
        "baseline_value": 0,
        "baseline_index": FY2023Q4,
        "target_value": 10,
        "target_index": FY2026Q4,
        "measure": Measure.FLOW,
        "direction": Direction.HIGHER,
    } | kwargs
    with pytest.raises(ValueError):
        TargetSpec(**fields)


def test_database_strings_and_decimals_become_enums_and_floats():
    spec = TargetSpec(Decimal("1.5"), FY2023Q4, Decimal("3"), FY2026Q4, "flow", "lower", "annual", Decimal("0.2"))
    assert spec.measure is Measure.FLOW and spec.direction is Direction.LOWER
    assert spec.accumulation is Accumulation.ANNUAL and spec.is_annual
    assert (spec.baseline_value, spec.target_value, spec.tolerance) == (1.5, 3.0, 0.2)
    assert type(spec.baseline_value) is float


def test_accumulation_is_ignored_for_a_level():
    spec = TargetSpec(0, q(2023, 2), 12, q(2026, 2), Measure.LEVEL, Direction.HIGHER, Accumulation.ANNUAL)
    assert not spec.is_annual
    assert expected_value(spec, q(2024, 4)) == 6


# --- expected path --------------------------------------------------------------------------------


def test_expected_path_is_a_straight_line_held_outside_baseline_and_target():
    spec = level(10, 22)
    assert expected_value(spec, FY2023Q4) == 10
    assert expected_value(spec, q(2024, 1)) == 11
    assert expected_value(spec, q(2025, 2)) == 16
    assert expected_value(spec, FY2026Q4) == 22
    assert expected_value(spec, q(2020, 1)) == 10
    assert expected_value(spec, q(2030, 3)) == 22


def test_expected_annual_path_pro_rates_the_expected_year_total():
    spec = annual(10, 22)  # expected year totals: FY2024 14, FY2025 18, FY2026 22
    assert expected_value(spec, FY2023Q4) == 10
    assert expected_value(spec, q(2024, 1)) == 3.5
    assert expected_value(spec, q(2024, 2)) == 7
    assert expected_value(spec, q(2024, 4)) == 14
    assert expected_value(spec, q(2026, 2)) == 11
    assert expected_value(spec, FY2026Q4) == 22
    assert expected_value(spec, q(2022, 3)) == 7.5
    assert expected_value(spec, q(2028, 1)) == 5.5


def test_tolerance_band_is_scaled_like_the_compared_quantity():
    assert tolerance_band(level(0, 40), q(2025, 1)) == 4
    assert tolerance_band(annual(10, 22), q(2024, 2)) == pytest.approx(0.6)
    assert tolerance_band(annual(10, 22), q(2024, 4)) == pytest.approx(1.2)
    assert tolerance_band(level(5, 5), q(2025, 1)) == 0


# --- level ----------------------------------------------------------------------------------------

MID = q(2025, 2)  # six quarters after the baseline: expected 20 on a 0 -> 40 path, band 4


@pytest.mark.parametrize(
    ("value", "status", "gap", "achievement"),
    [
        (20, Status.ON_TRACK, 0, 50),
        (30, Status.ON_TRACK, 10, 75),
        (17, Status.AT_RISK, -3, 42.5),
        (16, Status.AT_RISK, -4, 40),
        (15.5, Status.OFF_TRACK, -4.5, 38.75),
        (-4, Status.OFF_TRACK, -24, -10),
    ],
)
def test_level_higher_is_better(value, status, gap, achievement):
    result = assess(level(0, 40), {MID: value, MID - 1: 999}, MID)
    assert result == Assessment(
        status=status,
        at_index=MID,
        actual=value,
        expected=20,
        target=40,
        gap=gap,
        achievement_pct=achievement,
        projection=result.projection,
    )


@pytest.mark.parametrize(
    ("value", "status", "gap", "achievement"),
    [
        (20, Status.ON_TRACK, 0, 50),
        (10, Status.ON_TRACK, 10, 75),
        (24, Status.AT_RISK, -4, 40),
        (25, Status.OFF_TRACK, -5, 37.5),
    ],
)
def test_level_lower_is_better(value, status, gap, achievement):
    result = assess(level(40, 0, Direction.LOWER), {MID: value}, MID)
    assert (result.status, result.gap, result.achievement_pct) == (status, gap, achievement)


@pytest.mark.parametrize("value", [None, math.nan, math.inf])
def test_level_without_a_value_for_the_quarter_has_no_data(value):
    actuals = {MID - 1: 20.0} if value is None else {MID - 1: 20.0, MID: value}
    result = assess(level(0, 40), actuals, MID)
    assert result.status is Status.NO_DATA
    assert (result.actual, result.gap, result.achievement_pct) == (None, None, None)
    assert result.expected == 20 and result.target == 40
    assert missing_quarters(level(0, 40), actuals, MID) == [MID]


def test_level_before_the_baseline_is_held_to_the_baseline():
    spec = level(10, 22)
    before = q(2022, 3)
    assert assess(spec, {before: 10}, before).status is Status.ON_TRACK
    assert assess(spec, {before: 9}, before).status is Status.AT_RISK  # band 1.2
    assert assess(spec, {before: 8}, before).status is Status.OFF_TRACK
    assert assess(spec, {before: 8}, before).achievement_pct == pytest.approx(-100 / 6)


def test_level_after_the_deadline_is_held_to_the_target():
    spec = level(0, 40)
    later = FY2026Q4 + 4
    result = assess(spec, {later: 40}, later)
    assert (result.status, result.expected, result.achievement_pct) == (Status.ON_TRACK, 40, 100)
    assert assess(spec, {later: 35}, later).status is Status.OFF_TRACK


def test_target_equal_to_baseline_leaves_no_band():
    spec = level(5, 5)
    met = assess(spec, {MID: 5}, MID)
    assert (met.status, met.gap, met.achievement_pct) == (Status.ON_TRACK, 0, 100)
    above = assess(spec, {MID: 6}, MID)
    assert (above.status, above.achievement_pct) == (Status.ON_TRACK, 100)
    short = assess(spec, {MID: 4.99}, MID)
    assert (short.status, short.achievement_pct) == (Status.OFF_TRACK, None)


def test_rounding_noise_does_not_put_a_hub_on_its_path_at_risk():
    spec = level(0.1, 0.7, tolerance=0)
    at = FY2023Q4 + 7
    assert expected_value(spec, at) > 0.45  # 0.1 + 0.6 * 7 / 12 in floating point
    assert assess(spec, {at: 0.45}, at).status is Status.ON_TRACK
    assert assess(spec, {at: 0.4499}, at).status is Status.OFF_TRACK


# --- cumulative flow ------------------------------------------------------------------------------


def test_cumulative_flow_sums_since_the_baseline_plus_the_baseline_value():
    spec = cumulative(5, 29)  # 5 before the baseline, +2 a quarter expected
    actuals = {FY2023Q4: 100, **quarters(q(2024, 1), 2, 3, 1)}
    assert compared_value(spec, actuals, q(2024, 3)) == 11
    result = assess(spec, actuals, q(2024, 3))
    assert (result.status, result.expected, result.gap, result.target) == (Status.ON_TRACK, 11, 0, 29)
    assert result.achievement_pct == 25


def test_cumulative_flow_behind_the_path():
    spec = cumulative(0, 24)  # band 2.4
    actuals = quarters(q(2024, 1), 2, 1, 1)
    assert assess(spec, actuals, q(2024, 3)).status is Status.AT_RISK  # 4 of 6
    actuals[q(2024, 4)] = 0
    assert assess(spec, actuals, q(2024, 4)).status is Status.OFF_TRACK  # 4 of 8


def test_cumulative_flow_with_a_missing_quarter_has_no_data_until_it_is_entered():
    spec = cumulative(0, 24)
    actuals = {q(2024, 1): 2, q(2024, 3): 10}
    assert assess(spec, actuals, q(2024, 1)).status is Status.ON_TRACK
    assert assess(spec, actuals, q(2024, 3)).status is Status.NO_DATA
    assert compared_value(spec, actuals, q(2024, 3)) is None
    assert missing_quarters(spec, actuals, q(2024, 4)) == [q(2024, 2), q(2024, 4)]
    actuals[q(2024, 2)] = 0
    assert assess(spec, actuals, q(2024, 3)).actual == 12


def test_cumulative_flow_at_and_before_the_baseline_has_nothing_accumulated_yet():
    spec = cumulative(3, 27)
    for at in (FY2023Q4, q(2022, 2)):
        result = assess(spec, {}, at)
        assert (result.status, result.actual, result.expected, result.gap) == (Status.ON_TRACK, 3, 3, 0)
        assert result.achievement_pct == 0
        assert missing_quarters(spec, {}, at) == []


def test_cumulative_flow_keeps_counting_after_the_deadline():
    spec = cumulative(0, 24)
    actuals = dict.fromkeys(range(q(2024, 1), FY2026Q4 + 13), 1)
    at_deadline = assess(spec, actuals, FY2026Q4)
    assert (at_deadline.status, at_deadline.actual) == (Status.OFF_TRACK, 12)
    late = assess(spec, actuals, FY2026Q4 + 12)
    assert (late.status, late.actual, late.expected, late.achievement_pct) == (Status.ON_TRACK, 24, 24, 100)
    assert late.projection.reach_index == FY2026Q4 + 12
    assert not late.projection.reaches_by_deadline


def test_cumulative_flow_lower_is_better_as_a_cap():
    spec = cumulative(0, 120, Direction.LOWER)  # at most 120 in total; expected 10 a quarter, band 12
    actuals = dict.fromkeys(range(q(2024, 1), q(2025, 3)), 10)
    assert assess(spec, actuals, q(2025, 2)).status is Status.ON_TRACK  # 60 of 60
    actuals[q(2025, 2)] = 15
    result = assess(spec, actuals, q(2025, 2))
    assert (result.status, result.gap) == (Status.AT_RISK, -5)
    actuals[q(2025, 2)] = 30
    assert assess(spec, actuals, q(2025, 2)).status is Status.OFF_TRACK


# --- annual flow ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second_quarter", "status"),
    [(4, Status.ON_TRACK), (3.5, Status.AT_RISK), (3.3, Status.OFF_TRACK)],
)
def test_annual_flow_compares_the_year_to_date_with_the_pro_rated_expected_total(second_quarter, status):
    spec = annual(10, 22)  # FY2024: expected 14 for the year, 7 by Q2, band 0.6 by Q2
    actuals = {**quarters(q(2023, 1), 50, 50, 50, 50), q(2024, 1): 3, q(2024, 2): second_quarter}
    result = assess(spec, actuals, q(2024, 2))
    assert result.status is status
    assert result.actual == 3 + second_quarter
    assert (result.expected, result.target) == (7, 22)


def test_annual_flow_achievement_is_the_pace_mid_year_and_the_result_at_year_end():
    spec = annual(10, 22)
    assert assess(spec, quarters(q(2024, 1), 3, 4), q(2024, 2)).achievement_pct == pytest.approx(100 / 3)
    assert assess(spec, quarters(q(2024, 1), 5.5), q(2024, 1)).achievement_pct == 100
    year = assess(spec, quarters(q(2026, 1), 4, 6, 5, 7), FY2026Q4)
    assert (year.actual, year.achievement_pct, year.status) == (22, 100, Status.ON_TRACK)


def test_annual_flow_lower_is_better():
    spec = annual(100, 70, Direction.LOWER)  # FY2024 expected 90 for the year: 22.5 by Q1, band 0.75
    first = q(2024, 1)
    result = assess(spec, {first: 20}, first)
    # Pro-rated: 25 at the baseline pace, 17.5 at the target pace; 20 is two thirds of the way.
    assert (result.status, result.achievement_pct) == (Status.ON_TRACK, pytest.approx(200 / 3))
    assert assess(spec, {first: 22.5}, first).status is Status.ON_TRACK
    assert assess(spec, {first: 23}, first).status is Status.AT_RISK
    assert assess(spec, {first: 23.5}, first).status is Status.OFF_TRACK


def test_annual_flow_needs_every_quarter_of_the_year_so_far():
    spec = annual(10, 22)
    actuals = {q(2024, 2): 8}
    assert assess(spec, actuals, q(2024, 2)).status is Status.NO_DATA
    assert missing_quarters(spec, actuals, q(2024, 3)) == [q(2024, 1), q(2024, 3)]


def test_annual_flow_before_the_baseline_year_and_after_the_target_year():
    spec = annual(10, 22)
    assert assess(spec, {q(2022, 1): 2.5}, q(2022, 1)).status is Status.ON_TRACK
    assert assess(spec, {q(2022, 1): 2}, q(2022, 1)).status is Status.OFF_TRACK  # band 0.3
    after = assess(spec, {q(2028, 1): 5.5}, q(2028, 1))
    assert (after.status, after.expected, after.achievement_pct) == (Status.ON_TRACK, 5.5, 100)


# --- projection -----------------------------------------------------------------------------------

START = q(2024, 1)


def test_projection_reaching_the_target_before_the_deadline():
    projection = project(level(0, 40), quarters(START, 4, 8, 12, 16), START + 3)
    assert projection.slope_per_quarter == pytest.approx(4)
    assert projection.reach_index == q(2026, 2)
    assert projection.reaches_by_deadline


def test_projection_reaching_the_target_late():
    projection = project(level(0, 40), quarters(START, 2, 4, 6, 8), START + 3)
    assert projection.reach_index == q(2028, 4)
    assert not projection.reaches_by_deadline


def test_projection_uses_the_last_four_quarters_with_data_up_to_the_assessed_one():
    actuals = {q(2020, 1): 100, **quarters(START, 4, 8), START + 3: 16, START + 4: 20, START + 5: -50}
    projection = project(level(0, 40), actuals, START + 4)
    assert projection.slope_per_quarter == pytest.approx(4)
    assert projection.reach_index == q(2026, 2)


def test_projection_lower_is_better():
    projection = project(level(40, 0, Direction.LOWER), quarters(START, 36, 32, 28, 24), START + 3)
    assert projection.slope_per_quarter == pytest.approx(-4)
    assert projection.reach_index == q(2026, 2)
    assert projection.reaches_by_deadline


@pytest.mark.parametrize(
    "values",
    [
        (5, 5, 5, 5),  # flat
        (8, 6, 4, 2),  # moving away from the target
        (1, 1.01, 1.02, 1.03),  # arrives long after the horizon
    ],
)
def test_projection_never_reaching_the_target(values):
    projection = project(level(0, 40), quarters(START, *values), START + 3)
    assert projection.slope_per_quarter is not None
    assert projection.reach_index is None
    assert not projection.reaches_by_deadline


def test_projection_horizon_is_forty_quarters_past_the_target():
    # +1 a quarter from 0 at START reaches 52 at START + 52 = target + 40; 53 is one quarter further.
    assert project(level(0, 52), quarters(START, 0, 1, 2, 3), START + 3).reach_index is None
    spec = TargetSpec(0, FY2023Q4, 52, START + 12, Measure.LEVEL, Direction.HIGHER)
    assert START + 12 + HORIZON_QUARTERS == START + 52
    assert project(spec, quarters(START, 0, 1, 2, 3), START + 3).reach_index == START + 52
    spec = TargetSpec(0, FY2023Q4, 53, START + 12, Measure.LEVEL, Direction.HIGHER)
    assert project(spec, quarters(START, 0, 1, 2, 3), START + 3).reach_index is None


def test_projection_is_none_when_assessed_past_the_horizon_without_reaching():
    later = FY2026Q4 + HORIZON_QUARTERS + 2
    projection = project(level(0, 40), quarters(later - 3, 30, 50, 50, 39), later)
    assert projection.slope_per_quarter is not None and projection.slope_per_quarter > 0
    assert projection.reach_index is None


def test_projection_after_a_dip_below_the_target_reaches_it_next_quarter():
    # The trend line is already past the target; the hub is not, so the earliest is the next quarter.
    projection = project(level(0, 40), quarters(START, 30, 50, 50, 39), START + 3)
    assert projection.reach_index == START + 4


def test_projection_rounds_the_crossing_up_to_a_whole_quarter():
    projection = project(level(0, 40), quarters(START, 3, 6, 9), START + 2)
    assert projection.reach_index == START + 13  # crossing at START + 12.33


def test_projection_already_reached_dates_from_the_start_of_the_current_run():
    actuals = {START: 41, **quarters(START + 4, 30, 41, 42), START + 8: 40}
    projection = project(level(0, 40), actuals, START + 8)
    assert projection.reach_index == START + 5
    assert projection.reaches_by_deadline


def test_projection_with_a_single_point_has_no_trend():
    projection = project(level(0, 40), {START: 10}, START)
    assert projection == type(projection)(slope_per_quarter=None, reach_index=None, reaches_by_deadline=False)
    assert project(level(0, 40), {}, START).reach_index is None


def test_projection_of_a_cumulative_flow_starts_from_the_baseline():
    projection = project(cumulative(0, 24), {START: 3}, START)
    assert projection.slope_per_quarter == 3
    assert projection.reach_index == START + 7


def test_projection_of_an_annual_flow_ignores_seasonality_within_the_year():
    seasonal = {index: (1, 2, 3, 6)[index % 4] for index in range(q(2023, 1), q(2025, 3))}
    projection = project(annual(12, 20), seasonal, q(2025, 2))
    assert projection.slope_per_quarter == 0
    assert projection.reach_index is None


def test_projection_of_an_annual_flow_follows_the_rolling_year_total():
    actuals = {**quarters(q(2024, 1), 1, 2, 3, 4), **quarters(q(2025, 1), 2, 3, 4, 5)}
    projection = project(annual(8, 16), actuals, q(2025, 4))  # rolling totals 11, 12, 13, 14
    assert projection.slope_per_quarter == pytest.approx(1)
    assert projection.reach_index == q(2026, 2)
    assert projection.reaches_by_deadline


def test_projection_of_an_annual_flow_skips_rolling_totals_over_a_missing_quarter():
    actuals = {**quarters(q(2024, 1), 1, 2, 3, 4), **quarters(q(2025, 1), 2, 3, 4, 5)}
    del actuals[q(2025, 2)]
    # Only the rolling totals ending FY2024Q4 (10) and FY2025Q1 (11) cover four entered quarters.
    projection = project(annual(8, 16), actuals, q(2025, 4))
    assert projection.slope_per_quarter == pytest.approx(1)
    assert projection.reach_index == q(2026, 2)


def test_assessment_carries_the_projection_even_without_data_for_the_quarter():
    result = assess(level(0, 40), quarters(START, 4, 8, 12), START + 3)
    assert result.status is Status.NO_DATA
    assert result.projection.reach_index == q(2026, 2)


# --- properties -----------------------------------------------------------------------------------

amounts = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
whole_amounts = st.integers(-1000, 1000).map(float)


# Cumulative shares in whole percent, never falling, ending at 100: linear, seasonal, lumpy, all in one quarter.
profiles = st.lists(st.integers(0, 100), min_size=3, max_size=3).map(
    lambda cuts: (*(share / 100 for share in sorted(cuts)), 1.0)
)


@st.composite
def specs(draw, values=amounts, seasonal=None):
    """A target; seasonal=True always carries a profile, False never, None either way."""
    measure = draw(st.sampled_from(Measure))
    accumulation = draw(st.sampled_from(Accumulation))
    fiscal_year = draw(st.integers(2015, 2030))
    if measure == Measure.FLOW and accumulation == Accumulation.ANNUAL:
        baseline_index = q(fiscal_year, 4)
        target_index = baseline_index + 4 * draw(st.integers(1, 10))
    else:
        baseline_index = q(fiscal_year, draw(st.integers(1, 4)))
        target_index = baseline_index + draw(st.integers(1, 40))
    profile = {True: profiles, False: st.none(), None: st.one_of(st.none(), profiles)}[seasonal]
    fields = {
        "baseline_value": draw(values),
        "baseline_index": baseline_index,
        "target_value": draw(values),
        "target_index": target_index,
        "measure": measure,
        "direction": draw(st.sampled_from(Direction)),
        "accumulation": accumulation,
        "tolerance": draw(st.floats(0, 1)),
        "profile": draw(profile),
    }
    try:
        return TargetSpec(**fields)
    except ValueError:  # a profile that expects nothing between baseline and target: no path to draw
        assume(False)
        raise


@st.composite
def cases(draw, values=amounts, after_baseline=False, seasonal=None):
    """A target, a quarter and values entered for every quarter from well before the baseline to it."""
    spec = draw(specs(values, seasonal))
    first = spec.baseline_index + 1 if after_baseline else spec.baseline_index - 8
    at_index = draw(st.integers(first, spec.target_index + 8))
    start = min(spec.baseline_index, at_index) - 12
    entered = draw(st.lists(values, min_size=at_index - start + 1, max_size=at_index - start + 1))
    return spec, quarters(start, *entered), at_index


def needed(spec: TargetSpec, at_index: int) -> list[int]:
    if spec.measure == Measure.LEVEL:
        return [at_index]
    first = at_index - at_index % 4 if spec.is_annual else spec.baseline_index + 1
    return list(range(first, at_index + 1))


def set_compared_value(spec: TargetSpec, actuals: dict[int, float], at_index: int, value: float) -> None:
    """Choose the last needed quarter so that the compared value comes out as `value`."""
    quarters_needed = needed(spec, at_index)
    total = spec.baseline_value if spec.measure == Measure.FLOW and not spec.is_annual else 0.0
    for index in quarters_needed[:-1]:
        total += actuals[index]
    actuals[quarters_needed[-1]] = value - total


@given(cases(), st.data())
def test_a_better_value_never_gives_a_worse_status(case, data):
    spec, actuals, at_index = case
    quarter = data.draw(st.sampled_from(needed(spec, at_index) or [at_index]))
    step = data.draw(st.floats(0, 1e6))
    better = dict(actuals)
    better[quarter] += step if spec.direction == Direction.HIGHER else -step
    before, after = assess(spec, actuals, at_index).status, assess(spec, better, at_index).status
    assert SEVERITY[after] <= SEVERITY[before]


@given(cases())
def test_a_hub_exactly_on_its_expected_path_is_on_track(case):
    spec, actuals, at_index = case
    if needed(spec, at_index):
        set_compared_value(spec, actuals, at_index, expected_value(spec, at_index))
    result = assess(spec, actuals, at_index)
    assert result.status is Status.ON_TRACK
    assert result.gap == 0


@given(specs())
def test_the_expected_path_passes_through_baseline_and_target(spec):
    assert expected_value(spec, spec.baseline_index) == spec.baseline_value
    assert expected_value(spec, spec.target_index) == spec.target_value


@given(cases())
def test_the_mirror_image_gives_the_same_status(case):
    spec, actuals, at_index = case
    flipped = Direction.LOWER if spec.direction == Direction.HIGHER else Direction.HIGHER
    mirror_spec = TargetSpec(
        -spec.baseline_value,
        spec.baseline_index,
        -spec.target_value,
        spec.target_index,
        spec.measure,
        flipped,
        spec.accumulation,
        spec.tolerance,
        spec.profile,
    )
    result = assess(spec, actuals, at_index)
    mirror = assess(mirror_spec, {index: -value for index, value in actuals.items()}, at_index)
    assert mirror.status is result.status
    assert (mirror.gap, mirror.achievement_pct) == (result.gap, result.achievement_pct)
    assert (mirror.actual, mirror.expected) == (-result.actual, -result.expected)
    assert mirror.projection.reach_index == result.projection.reach_index
    assert mirror.projection.reaches_by_deadline == result.projection.reaches_by_deadline


@given(cases(values=whole_amounts, after_baseline=True, seasonal=False))
def test_achievement_is_100_when_the_compared_value_equals_the_target(case):
    spec, actuals, at_index = case
    # Annual flows measure the year to date against the target total pro-rated to the quarter.
    target = spec.target_value * ((at_index % 4 + 1) / 4 if spec.is_annual else 1)
    set_compared_value(spec, actuals, at_index, target)
    assert compared_value(spec, actuals, at_index) == target
    assert assess(spec, actuals, at_index).achievement_pct == 100


@given(cases(values=whole_amounts, after_baseline=True, seasonal=True))
def test_with_a_profile_achievement_is_100_at_the_target_pro_rated_by_the_profile(case):
    spec, actuals, at_index = case
    target = spec.target_value * (spec.shares[at_index % 4] if spec.is_annual else 1)
    set_compared_value(spec, actuals, at_index, target)
    achievement = assess(spec, actuals, at_index).achievement_pct
    assert achievement == pytest.approx(100, abs=1e-6)


@given(cases(after_baseline=True), st.data())
def test_a_missing_needed_quarter_means_no_data(case, data):
    spec, actuals, at_index = case
    del actuals[data.draw(st.sampled_from(needed(spec, at_index)))]
    result = assess(spec, actuals, at_index)
    assert (result.status, result.actual, result.gap) == (Status.NO_DATA, None, None)


@pytest.mark.parametrize("accumulation", list(Accumulation))
@pytest.mark.parametrize("measure", list(Measure))
def test_standing_is_the_assessment_without_its_projection(measure, accumulation):
    spec = TargetSpec(10, 8095, 50, 8111, measure, Direction.HIGHER, accumulation)
    actuals = {i: 3.0 + (i % 4) * 2 for i in range(8092, 8106)} | {8099: 11.0}
    for at in range(8094, 8108):
        full, short = assess(spec, actuals, at), standing(spec, actuals, at)
        assert (short.status, short.actual, short.expected, short.gap, short.achievement_pct) == (
            full.status,
            full.actual,
            full.expected,
            full.gap,
            full.achievement_pct,
        )


@given(cases(seasonal=False), st.sampled_from([LINEAR, [0.25, 0.5, 0.75, 1]]))
def test_a_linear_profile_gives_exactly_the_results_of_no_profile(case, linear):
    spec, actuals, at_index = case
    with_profile = dataclasses.replace(spec, profile=linear)
    assert assess(with_profile, actuals, at_index) == assess(spec, actuals, at_index)
    assert expected_value(with_profile, at_index) == expected_value(spec, at_index)
    assert tolerance_band(with_profile, at_index) == tolerance_band(spec, at_index)


@given(cases(seasonal=True), st.data())
def test_with_a_profile_a_better_value_never_gives_a_worse_status(case, data):
    spec, actuals, at_index = case
    quarter = data.draw(st.sampled_from(needed(spec, at_index) or [at_index]))
    step = data.draw(st.floats(0, 1e6))
    better = dict(actuals)
    better[quarter] += step if spec.direction == Direction.HIGHER else -step
    before, after = assess(spec, actuals, at_index).status, assess(spec, better, at_index).status
    assert SEVERITY[after] <= SEVERITY[before]


@given(cases(seasonal=True))
def test_with_a_profile_a_hub_on_its_seasonal_path_is_on_track(case):
    spec, actuals, at_index = case
    if needed(spec, at_index):
        set_compared_value(spec, actuals, at_index, expected_value(spec, at_index))
    assert assess(spec, actuals, at_index).status is Status.ON_TRACK


@given(specs(seasonal=True))
def test_the_seasonal_path_never_turns_back_and_ends_at_the_target(spec):
    assert expected_value(spec, spec.baseline_index) == spec.baseline_value
    assert expected_value(spec, spec.target_index) == spec.target_value
    if not spec.is_annual:  # the year-to-date of an annual flow starts again each April
        path = [expected_value(spec, i) for i in range(spec.baseline_index - 4, spec.target_index + 5)]
        rising = spec.target_value >= spec.baseline_value
        assert all((b >= a) if rising else (b <= a) for a, b in zip(path, path[1:], strict=False))


# --- seasonal profiles ----------------------------------------------------------------------------


def test_an_annual_flow_with_a_profile_expects_the_years_shares():
    spec = annual(10, 22, profile=SEASONAL)  # FY2024: 14 expected for the year
    assert [expected_value(spec, q(2024, k)) for k in (1, 2, 3, 4)] == pytest.approx([1.4, 3.5, 6.3, 14])
    assert tolerance_band(spec, q(2024, 1)) == pytest.approx(0.12)  # 10 % of 12, times the Q1 share
    assert path_distance(spec, q(2024, 2)) == pytest.approx(3)


@pytest.mark.parametrize(
    ("year_to_date", "linear", "seasonal"),
    [
        ((2.0,), Status.OFF_TRACK, Status.ON_TRACK),  # 2 of 14: far behind a quarter a year, ahead of 10 %
        ((1.5, 2.0), Status.OFF_TRACK, Status.ON_TRACK),
        ((1.0, 1.0), Status.OFF_TRACK, Status.OFF_TRACK),  # 2 of 3.5 by Q2 is behind either way
    ],
)
def test_a_seasonal_hub_ahead_of_its_profile_is_on_track_mid_year(year_to_date, linear, seasonal):
    actuals = quarters(q(2024, 1), *year_to_date)
    at = q(2024, len(year_to_date))
    assert assess(annual(10, 22), actuals, at).status is linear
    assert assess(annual(10, 22, profile=SEASONAL), actuals, at).status is seasonal


def test_a_seasonal_annual_flows_achievement_is_its_pace_against_the_profile():
    result = assess(annual(10, 22, profile=SEASONAL), quarters(q(2024, 1), 1.4), q(2024, 1))
    assert result.achievement_pct == pytest.approx(100 * (1.4 - 1.0) / (2.2 - 1.0))
    assert result.gap == 0 and result.status is Status.ON_TRACK


def test_a_cumulative_flow_with_a_profile_follows_it_within_each_year():
    # 0 -> 24 over FY2024..FY2026: 8 a year, 0.8 / 2 / 3.6 / 8 of it by the end of each quarter
    spec = TargetSpec(0, FY2023Q4, 24, FY2026Q4, Measure.FLOW, Direction.HIGHER, profile=SEASONAL)
    assert [expected_value(spec, q(2024, k)) for k in (1, 2, 3, 4)] == pytest.approx([0.8, 2, 3.6, 8])
    assert expected_value(spec, q(2025, 1)) == pytest.approx(8.8)
    assert position(spec, q(2024, 4)) == q(2024, 4) and position(spec, q(2024, 1)) == pytest.approx(q(2023, 4) + 0.4)
    on_path = quarters(q(2024, 1), 0.8, 1.2, 1.6, 4.4)
    assert assess(spec, on_path, q(2024, 3)).status is Status.ON_TRACK
    straight = TargetSpec(0, FY2023Q4, 24, FY2026Q4, Measure.FLOW, Direction.HIGHER)
    assert assess(straight, on_path, q(2024, 3)).status is Status.AT_RISK  # 3.6 of a straight 6, band 2.4


def test_a_seasonal_cumulative_flow_on_its_path_is_projected_to_reach_the_target_on_time():
    spec = TargetSpec(0, FY2023Q4, 24, FY2026Q4, Measure.FLOW, Direction.HIGHER, profile=SEASONAL)
    actuals = quarters(q(2024, 1), 0.8, 1.2, 1.6, 4.4, 0.8, 1.2)
    projection = project(spec, actuals, q(2025, 2))
    assert projection.reach_index == FY2026Q4 and projection.reaches_by_deadline
    # the same numbers on a straight path read as a slowing trend
    straight = TargetSpec(0, FY2023Q4, 24, FY2026Q4, Measure.FLOW, Direction.HIGHER)
    assert project(straight, actuals, q(2025, 2)).reach_index != FY2026Q4


def test_a_profile_with_everything_in_one_quarter_has_no_trend_within_the_year():
    spec = TargetSpec(0, FY2023Q4, 24, FY2026Q4, Measure.FLOW, Direction.HIGHER, profile=(1, 1, 1, 1))
    assert project(spec, quarters(q(2024, 1), 8, 0, 0, 0), q(2024, 4)).slope_per_quarter is None
    assert [expected_value(spec, q(2024, k)) for k in (1, 2, 3, 4)] == [8, 8, 8, 8]


def test_a_level_target_ignores_a_profile():
    spec = level(0, 40, profile=SEASONAL)
    assert not spec.is_seasonal and spec.shares == LINEAR
    assert expected_value(spec, MID) == 20


@pytest.mark.parametrize(
    "profile",
    [(0.1, 0.25, 0.45), (0.1, 0.5, 0.45, 1.0), (0.1, 0.2, 0.3, 0.9), (-0.1, 0.2, 0.3, 1.0), (0.1, "x", 0.3, 1.0)],
)
def test_a_profile_that_is_no_profile_is_refused(profile):
    with pytest.raises(ProfileError):
        annual(profile=profile)


def test_a_cumulative_profile_that_expects_nothing_between_baseline_and_target_is_refused():
    with pytest.raises(ValueError, match="expects nothing"):
        TargetSpec(0, q(2024, 1), 10, q(2024, 3), Measure.FLOW, Direction.HIGHER, profile=(0.2, 0.2, 0.2, 1))


# --- what is compared, and the expected value at a precision ----------------------------------------


def test_compared_as_names_the_quantity_set_against_the_target():
    from hubdash.domain.enums import ComparedAs
    from hubdash.domain.status import compared_as

    assert compared_as(level()) is ComparedAs.QUARTER_END
    assert compared_as(annual()) is ComparedAs.YEAR_TO_DATE
    assert compared_as(cumulative()) is ComparedAs.SINCE_BASELINE


@pytest.mark.parametrize(
    ("direction", "expected", "decimals", "shown"),
    [
        (Direction.HIGHER, 12.0001, 0, 13),
        (Direction.HIGHER, 12.0, 0, 12),
        (Direction.HIGHER, 12.000000000001, 0, 12),  # rounding noise is no shortfall
        (Direction.HIGHER, 0.875, 1, 0.9),
        (Direction.LOWER, 12.9999, 0, 12),
        (Direction.LOWER, 7.45, 1, 7.4),
    ],
)
def test_the_expected_value_at_a_precision_is_the_first_value_on_track(direction, expected, decimals, shown):
    from hubdash.domain.status import on_track_from

    spec = level(direction=direction)
    assert on_track_from(spec, expected, decimals) == shown


@given(cases(values=whole_amounts, after_baseline=True))
def test_a_whole_compared_value_at_the_rounded_expected_value_is_on_track(case):
    from hubdash.domain.status import on_track_from

    spec, actuals, at_index = case
    if spec.measure != Measure.LEVEL:
        return  # a level's compared value is the entered value itself
    actuals[at_index] = on_track_from(spec, expected_value(spec, at_index), 0)
    assert assess(spec, actuals, at_index).status is Status.ON_TRACK
    actuals[at_index] += -1 if spec.direction == Direction.HIGHER else 1
    assert assess(spec, actuals, at_index).status is not Status.ON_TRACK


@given(cases(), st.data())
def test_statuses_of_many_quarters_are_those_of_standing(case, data):
    spec, actuals, at_index = case
    if data.draw(st.booleans()) and actuals:
        del actuals[data.draw(st.sampled_from(sorted(actuals)))]  # a gap stops a running total
    wanted = data.draw(st.lists(st.integers(spec.baseline_index - 6, at_index + 2), max_size=12))
    assert statuses(spec, actuals, wanted) == {at: standing(spec, actuals, at).status for at in wanted}


@given(cases(), st.data())
def test_standings_of_many_quarters_are_those_of_standing(case, data):
    from hubdash.domain.status import standings

    spec, actuals, at_index = case
    if data.draw(st.booleans()) and actuals:
        del actuals[data.draw(st.sampled_from(sorted(actuals)))]  # a gap stops a running total
    wanted = data.draw(st.lists(st.integers(spec.baseline_index - 6, at_index + 2), max_size=12))
    assert standings(spec, actuals, wanted) == {at: standing(spec, actuals, at) for at in sorted(set(wanted))}
