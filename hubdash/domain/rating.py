"""Achievement ratings of an effect verification on a region's own scale (pure, stdlib only).

Municipalities rate each KPI on scales of their own: A–D by the share of the target reached (杵築市: B means
80 % or more of the target), ◎○△× (いの町), or S/A/B/C measured from the baseline (長与町). A scale is a
basis (what is measured, in percent) and its grades, best first, each with the lowest percentage that earns
it; the last grade takes everything below. The year's target is where the target's expected path stands at
the end of the fiscal year (the milestone of that year).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from hubdash.domain.enums import Direction, RatingBasis
from hubdash.domain.errors import UserError

MIN_GRADES, MAX_GRADES, MAX_LABEL = 2, 6, 8


class ScaleError(UserError):
    """A rating scale that cannot be used as given; the message says what to change."""


@dataclass(frozen=True)
class Grade:
    """One step of a scale: its label and the lowest percentage that earns it (None: the last step)."""

    label: str
    minimum: float | None


@dataclass(frozen=True)
class RatingScale:
    """A region's achievement scale: what it measures and its grades, best first."""

    basis: RatingBasis
    grades: tuple[Grade, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "basis", RatingBasis(self.basis))
        grades = tuple(Grade(g.label.strip(), g.minimum) for g in self.grades)
        object.__setattr__(self, "grades", grades)
        if not MIN_GRADES <= len(grades) <= MAX_GRADES:
            raise ScaleError("rating.error_grade_count", low=MIN_GRADES, high=MAX_GRADES)
        labels = [g.label for g in grades]
        if any(not label or len(label) > MAX_LABEL for label in labels):
            raise ScaleError("rating.error_label", limit=MAX_LABEL)
        if len(set(labels)) != len(labels):
            raise ScaleError("rating.error_label_twice")
        minimums = [g.minimum for g in grades[:-1]]
        if grades[-1].minimum is not None or any(m is None or not math.isfinite(m) for m in minimums):
            raise ScaleError("rating.error_minimums", last=grades[-1].label)
        if any(a <= b for a, b in zip(minimums, minimums[1:], strict=False)):  # type: ignore[operator]  # None refused above
            raise ScaleError("rating.error_order")

    def rate(self, percent: float | None) -> str | None:
        """The grade a percentage earns; None when there is nothing to rate (no data)."""
        if percent is None or not math.isfinite(percent):
            return None
        for grade in self.grades:
            if grade.minimum is None or percent >= grade.minimum:
                return grade.label
        raise AssertionError("the last grade takes everything")

    def to_json(self) -> dict[str, Any]:
        """The scale as stored in the database and in a published verification."""
        return {"basis": self.basis.value, "grades": [[g.label, g.minimum] for g in self.grades]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RatingScale:
        """A scale as to_json wrote it."""
        return cls(RatingBasis(data["basis"]), tuple(Grade(str(label), minimum) for label, minimum in data["grades"]))


PRESETS: dict[str, RatingScale] = {
    "a_to_d": RatingScale(
        RatingBasis.OF_TARGET, (Grade("A", 100.0), Grade("B", 80.0), Grade("C", 50.0), Grade("D", None))
    ),
    "symbols": RatingScale(
        RatingBasis.OF_TARGET, (Grade("◎", 100.0), Grade("○", 80.0), Grade("△", 50.0), Grade("×", None))
    ),
    "s_to_c": RatingScale(
        RatingBasis.FROM_BASELINE, (Grade("S", 100.0), Grade("A", 50.0), Grade("B", 0.0), Grade("C", None))
    ),
}
DEFAULT_SCALE = PRESETS["a_to_d"]


def of_target(actual: float | None, year_target: float, direction: Direction) -> float | None:
    """The actual as a percentage of the year's target (達成率); for lower-is-better, the target over the actual."""
    if actual is None:
        return None
    if Direction(direction) is Direction.HIGHER:
        return actual / year_target * 100 if year_target > 0 else (100.0 if actual >= year_target else None)
    if actual <= 0:
        return 100.0 if actual <= year_target else None
    return year_target / actual * 100


def from_baseline(actual: float | None, baseline: float, year_target: float, direction: Direction) -> float | None:
    """How far the actual has come from the baseline toward the year's target, in percent (100: reached)."""
    if actual is None:
        return None
    if year_target == baseline:  # nothing to travel: reached when the actual is at or past it
        reached = actual >= baseline if Direction(direction) is Direction.HIGHER else actual <= baseline
        return 100.0 if reached else None
    return (actual - baseline) / (year_target - baseline) * 100


def percent(
    scale: RatingScale, *, actual: float | None, baseline: float, year_target: float, direction: Direction
) -> float | None:
    """What the scale measures for one target."""
    if scale.basis is RatingBasis.OF_TARGET:
        return of_target(actual, year_target, direction)
    return from_baseline(actual, baseline, year_target, direction)
