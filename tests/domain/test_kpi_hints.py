"""KPI quality hints: each rule fires on what it names and stays quiet on a sound catalogue."""

from __future__ import annotations

from hubdash.domain.enums import Direction, IndicatorKind
from hubdash.domain.kpi_hints import (
    GoalFacts,
    Hint,
    HintRule,
    IndicatorFacts,
    Principle,
    TargetFacts,
    kpi_hints,
    not_ahead,
)

G1 = GoalFacts("G1", "Joint research")


def _indicator(id_: int, kind: IndicatorKind = IndicatorKind.OUTCOME, goal: str | None = "G1", **kw) -> IndicatorFacts:
    return IndicatorFacts(
        id_, kw.get("code", f"K{id_:02d}"), f"Indicator {id_}", kind, kw.get("direction", Direction.HIGHER), goal
    )


def _target(
    indicator_id: int, hub: str | None = "H1", baseline: float | None = 10, target: float | None = 20
) -> TargetFacts:
    return TargetFacts(indicator_id, hub, baseline, 8095 if baseline is not None else None, target, 8111)


def test_a_sound_catalogue_has_no_hints() -> None:
    assert kpi_hints(goals=[G1], indicators=[_indicator(1)], targets=[_target(1)], hub_codes=["H1"]) == []


def test_goal_with_only_activity_indicators_lacks_an_outcome() -> None:
    hints = kpi_hints(
        goals=[G1, GoalFacts("G2", "Start-ups")],
        indicators=[_indicator(1), _indicator(2, IndicatorKind.ACTIVITY, goal="G2")],
        targets=[_target(1), _target(2)],
        hub_codes=["H1"],
    )
    assert hints == [Hint(HintRule.GOAL_WITHOUT_OUTCOME, "G2", "Start-ups")]
    assert hints[0].principle is Principle.OUTCOME


def test_indicator_without_any_target() -> None:
    hints = kpi_hints(goals=[G1], indicators=[_indicator(1), _indicator(2)], targets=[_target(1)], hub_codes=["H1"])
    assert hints == [Hint(HintRule.INDICATOR_WITHOUT_TARGET, "K02", "Indicator 2")]


def test_target_without_baseline_or_deadline() -> None:
    no_deadline = TargetFacts(1, None, 10, 8095, 20, None)
    hints = kpi_hints(
        goals=[G1], indicators=[_indicator(1)], targets=[_target(1, baseline=None), no_deadline], hub_codes=[]
    )
    assert [h.rule for h in hints] == [HintRule.TARGET_WITHOUT_BASELINE, HintRule.TARGET_WITHOUT_DEADLINE]
    assert [h.detail for h in hints] == ["H1", ""]  # "" is the whole region


def test_target_not_ahead_depends_on_direction() -> None:
    lower = _indicator(2, direction=Direction.LOWER, code="K02")
    hints = kpi_hints(
        goals=[G1],
        indicators=[_indicator(1), lower],
        targets=[
            _target(1, baseline=20, target=20),
            _target(2, baseline=10, target=5),
            _target(2, hub=None, baseline=5, target=8),
        ],
        hub_codes=["H1"],
    )
    assert [(h.rule, h.subject, h.detail) for h in hints] == [
        (HintRule.TARGET_NOT_AHEAD, "K01", "H1"),
        (HintRule.TARGET_NOT_AHEAD, "K02", ""),
    ]
    assert not_ahead(_target(1, baseline=10, target=20), Direction.HIGHER) is False
    assert not_ahead(_target(1, baseline=10, target=20), Direction.LOWER) is True


def test_hub_with_only_input_and_activity_indicators() -> None:
    indicators = [_indicator(1), _indicator(2, IndicatorKind.INPUT), _indicator(3, IndicatorKind.ACTIVITY)]
    hints = kpi_hints(
        goals=[G1],
        indicators=indicators,
        targets=[_target(1, hub="H1"), _target(2, hub="H2"), _target(3, hub="H2"), _target(2, hub="H1")],
        hub_codes=["H1", "H2", "H3"],  # H3 has no indicators at all: nothing to judge
    )
    assert hints == [Hint(HintRule.HUB_ONLY_INPUTS, "H2")]
    assert hints[0].principle is Principle.DIRECT_LINK
