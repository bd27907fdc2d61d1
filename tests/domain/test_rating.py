"""Achievement ratings on a region's own scale: A–D by the share of the target, ◎○△×, S/A/B/C from the baseline."""

from __future__ import annotations

import pytest

from hubdash.domain.enums import Direction, RatingBasis
from hubdash.domain.rating import PRESETS, Grade, RatingScale, ScaleError, from_baseline, of_target, percent


@pytest.mark.parametrize(
    ("actual", "grade"),
    [(120, "A"), (100, "A"), (99.9, "B"), (80, "B"), (79.99, "C"), (50, "C"), (49, "D"), (0, "D"), (None, None)],
)
def test_a_to_d_rates_the_share_of_the_year_target_reached_b_from_80_percent(
    actual: float | None, grade: str | None
) -> None:
    scale = PRESETS["a_to_d"]
    assert scale.rate(percent(scale, actual=actual, baseline=0, year_target=100, direction=Direction.HIGHER)) == grade


def test_symbols_use_the_same_steps_with_marks() -> None:
    scale = PRESETS["symbols"]
    assert [scale.rate(p) for p in (100, 85, 60, 10)] == ["◎", "○", "△", "×"]


@pytest.mark.parametrize(("actual", "grade"), [(30, "S"), (25, "A"), (20, "B"), (19, "C"), (10, "C")])
def test_s_to_c_measures_from_the_baseline(actual: float, grade: str) -> None:
    # baseline 20, the year's target 30: S at the target, A half way, B no worse than the baseline, C below it
    scale = PRESETS["s_to_c"]
    measured = percent(scale, actual=actual, baseline=20, year_target=30, direction=Direction.HIGHER)
    assert scale.rate(measured) == grade


def test_lower_is_better_reads_the_target_over_the_actual() -> None:
    assert of_target(40, 40, Direction.LOWER) == 100
    assert of_target(50, 40, Direction.LOWER) == 80
    assert of_target(30, 40, Direction.LOWER) == pytest.approx(133.3, abs=0.1)
    assert from_baseline(45, 50, 40, Direction.LOWER) == 50  # days down from 50 toward 40


def test_a_target_equal_to_its_baseline_is_reached_or_not() -> None:
    assert from_baseline(10, 10, 10, Direction.HIGHER) == 100
    assert from_baseline(9, 10, 10, Direction.HIGHER) is None


def test_a_scale_survives_its_json() -> None:
    scale = RatingScale(RatingBasis.FROM_BASELINE, (Grade("良", 90.5), Grade("可", 10), Grade("不可", None)))
    assert RatingScale.from_json(scale.to_json()) == scale


@pytest.mark.parametrize(
    ("grades", "key"),
    [
        ((Grade("A", None),), "rating.error_grade_count"),
        ((Grade("A", 100), Grade("", None)), "rating.error_label"),
        ((Grade("A", 100), Grade("A", None)), "rating.error_label_twice"),
        ((Grade("A", 100), Grade("B", 50)), "rating.error_minimums"),
        ((Grade("A", None), Grade("B", None)), "rating.error_minimums"),
        ((Grade("A", 50), Grade("B", 80), Grade("C", None)), "rating.error_order"),
    ],
)
def test_a_scale_that_cannot_rate_is_refused_with_what_to_change(grades: tuple[Grade, ...], key: str) -> None:
    with pytest.raises(ScaleError) as refused:
        RatingScale(RatingBasis.OF_TARGET, grades)
    assert refused.value.key == key
