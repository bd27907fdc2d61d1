"""Fair roll-ups: a group's standing is the distribution of its targets' statuses and one stated rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubdash.domain.enums import Status
from hubdash.domain.rollup import RollupRule, behind_order, roll_up

ON, RISK, OFF, NONE = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA
BETTER = {OFF: (RISK, ON), RISK: (ON,), ON: ()}
SEVERITY = {ON: 0, RISK: 1, OFF: 2}


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], NONE),
        ([NONE, NONE], NONE),
        ([ON, ON, OFF], ON),  # most on track
        ([ON, OFF, OFF], OFF),  # most off track
        ([ON, RISK, OFF], RISK),
        ([ON, ON, OFF, OFF], RISK),  # half and half: neither most
        ([ON, ON, ON, RISK, OFF, OFF, OFF], RISK),  # 3 of 7 on track is no majority
        ([OFF, NONE, NONE, ON, ON], ON),  # targets without data are not counted
        (["off_track", "off_track", "at_risk"], OFF),
    ],
)
def test_the_default_rule_is_most_of_the_targets_with_data(statuses, expected):
    assert roll_up(statuses).status is expected


def test_one_off_track_target_does_not_turn_a_goal_red():
    rollup = roll_up([ON] * 4 + [OFF])
    assert rollup.status is ON
    assert rollup.counts == {ON: 4, RISK: 0, OFF: 1, NONE: 0}
    assert (rollup.known, rollup.total, rollup.on_track_share, rollup.off_track_share) == (5, 5, 0.8, 0.2)


def test_shares_are_none_without_data():
    rollup = roll_up([NONE])
    assert (rollup.known, rollup.total, rollup.on_track_share, rollup.off_track_share) == (0, 1, None, None)


def test_a_stricter_rule_asks_for_more():
    strict = RollupRule(on_track_above=0.75, off_track_above=0.25)
    assert roll_up([ON, ON, ON, OFF], strict).status is RISK
    assert roll_up([ON, ON, RISK, OFF, OFF], strict).status is OFF


def test_the_groups_most_behind_sort_first():
    groups = [roll_up([ON, ON]), roll_up([OFF, ON]), roll_up([OFF, OFF, ON]), roll_up([RISK, ON])]
    ranked = sorted(groups, key=behind_order)
    assert [g.counts[OFF] for g in ranked] == [2, 1, 0, 0]
    assert ranked[2].counts[RISK] == 1  # less on track goes first among equals


@given(st.lists(st.sampled_from([ON, RISK, OFF, NONE]), min_size=1, max_size=40), st.data())
def test_a_better_target_never_makes_its_group_worse(statuses, data):
    improvable = [i for i, s in enumerate(statuses) if s in (RISK, OFF)]
    if not improvable:
        return
    i = data.draw(st.sampled_from(improvable))
    better = list(statuses)
    better[i] = data.draw(st.sampled_from(BETTER[statuses[i]]))
    before, after = roll_up(statuses).status, roll_up(better).status
    assert SEVERITY[after] <= SEVERITY[before]


@given(st.lists(st.sampled_from([ON, RISK, OFF]), min_size=1, max_size=40))
def test_a_group_is_red_only_when_most_of_its_targets_are_off_track(statuses):
    red = roll_up(statuses).status is OFF
    assert red == (statuses.count(OFF) * 2 > len(statuses))
