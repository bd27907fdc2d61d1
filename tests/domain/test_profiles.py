"""Quarterly profiles: what counts as one, and the profile proposed from a hub's own past years."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubdash.domain.profiles import (
    LINEAR,
    ProfileError,
    checked,
    from_percent,
    is_linear,
    percents,
    propose_profile,
)


def year(fiscal_year: int, *values: float) -> dict[int, float]:
    return {fiscal_year * 4 + q: value for q, value in enumerate(values)}


def test_a_profile_is_four_rising_shares_ending_at_one():
    assert checked([0.1, 0.25, 0.45, 1]) == (0.1, 0.25, 0.45, 1.0)
    assert from_percent([10, 25, 45, 100]) == (0.1, 0.25, 0.45, 1.0)
    assert percents((0.1, 0.25, 0.45, 1.0)) == (10, 25, 45, 100)
    assert percents(None) == (25, 50, 75, 100)
    assert is_linear(None) and is_linear(LINEAR) and not is_linear((0.1, 0.25, 0.45, 1.0))


@pytest.mark.parametrize(
    ("shares", "key"),
    [
        ([0.1, 0.2, 1.0], "profile.error_length"),
        ("abcd", "profile.error_length"),
        ([0.1, None, 0.3, 1.0], "profile.error_number"),
        ([0.1, float("nan"), 0.3, 1.0], "profile.error_number"),
        ([0.1, 0.2, 1.3, 1.0], "profile.error_range"),
        ([0.5, 0.2, 0.6, 1.0], "profile.error_order"),
        ([0.1, 0.2, 0.3, 0.9], "profile.error_end"),
    ],
)
def test_shares_that_are_no_profile_name_the_rule_they_break(shares, key):
    with pytest.raises(ProfileError) as info:
        checked(shares)
    assert info.value.key == key


def test_the_proposal_is_the_mean_of_the_complete_past_years_in_whole_percent():
    actuals = {
        **year(2023, 1, 2, 3, 4),  # 10 / 30 / 60 / 100 %
        **year(2024, 2, 2, 2, 4),  # 20 / 40 / 60 / 100 %
        **year(2025, 5, 5),  # not complete: left out
        **year(2022, 1, 1, 1),  # not complete either
    }
    proposal = propose_profile(actuals, before_fiscal_year=2026)
    assert proposal is not None
    assert proposal.profile == (0.15, 0.35, 0.6, 1.0)
    assert proposal.fiscal_years == (2023, 2024) and proposal.years == 2


def test_the_proposal_leaves_out_the_current_year_and_years_without_a_total():
    actuals = {**year(2023, 0, 0, 0, 0), **year(2024, 4, 4, 4, 4), **year(2025, 1, 1, 1, 1)}
    proposal = propose_profile(actuals, before_fiscal_year=2025)
    assert proposal is not None and proposal.fiscal_years == (2024,) and proposal.profile == LINEAR
    assert propose_profile(year(2023, 0, 0, 0, 0), before_fiscal_year=2026) is None
    assert propose_profile({}, before_fiscal_year=2026) is None


def test_the_proposal_rests_on_at_most_the_five_latest_years():
    actuals = {}
    for fy in range(2010, 2020):
        actuals |= year(fy, 1, 1, 1, 1)
    proposal = propose_profile(actuals, before_fiscal_year=2030)
    assert proposal is not None and proposal.fiscal_years == (2015, 2016, 2017, 2018, 2019)


@given(st.dictionaries(st.integers(8080, 8120), st.floats(-50, 500, allow_nan=False), min_size=4))
def test_any_history_gives_a_valid_profile_or_none(actuals):
    proposal = propose_profile(actuals, before_fiscal_year=2030)
    if proposal is not None:
        assert checked(proposal.profile) == proposal.profile
        assert all(share * 100 == pytest.approx(round(share * 100)) for share in proposal.profile)
        assert 1 <= proposal.years <= 5
