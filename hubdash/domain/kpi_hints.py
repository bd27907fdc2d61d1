"""KPI quality hints: pure rules over a region's indicator catalogue (no database, no UI).

They follow the Cabinet Office's guideline for local revitalisation grant projects (2018), which asks
of every KPI an objective outcome (成果を示す指標), a direct link to what the project does (直接性)
and a target at an appropriate level (妥当な水準). Each hint names the rule it comes from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from hubdash.domain.enums import Direction, IndicatorKind


class HintRule(StrEnum):
    """What a hint says is missing or doubtful."""

    GOAL_WITHOUT_OUTCOME = "goal_without_outcome"
    INDICATOR_WITHOUT_TARGET = "indicator_without_target"
    TARGET_WITHOUT_BASELINE = "target_without_baseline"
    TARGET_WITHOUT_DEADLINE = "target_without_deadline"
    TARGET_NOT_AHEAD = "target_not_ahead"
    HUB_ONLY_INPUTS = "hub_only_inputs"


class Principle(StrEnum):
    """The guideline's three demands on a KPI that a rule serves."""

    OUTCOME = "outcome"  # shows an objective outcome
    DIRECT_LINK = "direct_link"  # directly linked to what the project does
    APPROPRIATE_LEVEL = "appropriate_level"  # target set at an appropriate level


PRINCIPLE_OF: dict[HintRule, Principle] = {
    HintRule.GOAL_WITHOUT_OUTCOME: Principle.OUTCOME,
    HintRule.INDICATOR_WITHOUT_TARGET: Principle.APPROPRIATE_LEVEL,
    HintRule.TARGET_WITHOUT_BASELINE: Principle.APPROPRIATE_LEVEL,
    HintRule.TARGET_WITHOUT_DEADLINE: Principle.APPROPRIATE_LEVEL,
    HintRule.TARGET_NOT_AHEAD: Principle.APPROPRIATE_LEVEL,
    HintRule.HUB_ONLY_INPUTS: Principle.DIRECT_LINK,
}

_EARLY_KINDS = frozenset({IndicatorKind.INPUT, IndicatorKind.ACTIVITY})


@dataclass(frozen=True)
class GoalFacts:
    """A strategic goal of the region."""

    code: str
    title: str


@dataclass(frozen=True)
class IndicatorFacts:
    """An indicator as the rules see it."""

    id: int
    code: str
    name: str
    kind: IndicatorKind
    direction: Direction
    goal_code: str | None


@dataclass(frozen=True)
class TargetFacts:
    """A target as the rules see it; hub_code None is the whole region. Periods as quarter indexes."""

    indicator_id: int
    hub_code: str | None
    baseline_value: float | None
    baseline_index: int | None
    target_value: float | None
    target_index: int | None


@dataclass(frozen=True)
class Hint:
    """One finding: the rule, what it is about (goal, indicator or hub code) and the codes involved."""

    rule: HintRule
    subject: str
    detail: str = ""

    @property
    def principle(self) -> Principle:
        """The guideline demand this hint is about."""
        return PRINCIPLE_OF[self.rule]


def kpi_hints(
    *,
    goals: Sequence[GoalFacts],
    indicators: Sequence[IndicatorFacts],
    targets: Sequence[TargetFacts],
    hub_codes: Iterable[str],
) -> list[Hint]:
    """Every hint for a catalogue, grouped by rule in a stable order."""
    by_id = {i.id: i for i in indicators}
    hints: list[Hint] = []
    outcome_goals = {i.goal_code for i in indicators if i.kind == IndicatorKind.OUTCOME}
    hints += [Hint(HintRule.GOAL_WITHOUT_OUTCOME, g.code, g.title) for g in goals if g.code not in outcome_goals]
    with_target = {t.indicator_id for t in targets}
    hints += [Hint(HintRule.INDICATOR_WITHOUT_TARGET, i.code, i.name) for i in indicators if i.id not in with_target]
    for target in targets:
        indicator = by_id.get(target.indicator_id)
        if indicator is None:
            continue
        where = target.hub_code or ""
        if target.baseline_value is None or target.baseline_index is None:
            hints.append(Hint(HintRule.TARGET_WITHOUT_BASELINE, indicator.code, where))
        if target.target_index is None:
            hints.append(Hint(HintRule.TARGET_WITHOUT_DEADLINE, indicator.code, where))
        if not_ahead(target, indicator.direction):
            hints.append(Hint(HintRule.TARGET_NOT_AHEAD, indicator.code, where))
    kinds_by_hub: dict[str, set[IndicatorKind]] = defaultdict(set)
    for target in targets:
        if target.hub_code is not None and target.indicator_id in by_id:
            kinds_by_hub[target.hub_code].add(by_id[target.indicator_id].kind)
    hints += [
        Hint(HintRule.HUB_ONLY_INPUTS, code)
        for code in sorted(set(hub_codes))
        if kinds_by_hub.get(code) and kinds_by_hub[code] <= _EARLY_KINDS
    ]
    return hints


def not_ahead(target: TargetFacts, direction: Direction) -> bool:
    """Whether a target asks for no improvement on its baseline in the indicator's direction."""
    if target.baseline_value is None or target.target_value is None:
        return False
    if direction == Direction.HIGHER:
        return target.target_value <= target.baseline_value
    return target.target_value >= target.baseline_value
