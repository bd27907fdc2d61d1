"""Quarterly profiles of seasonal flows: the share of a fiscal year's total expected by the end of each quarter.

A profile is four cumulative shares for Q1..Q4, each between 0 and 1, never falling, the last exactly 1:
(0.10, 0.25, 0.45, 1.0) expects a tenth of the year by the end of June and most of it in January to March.
Without a profile the path is linear, LINEAR = (0.25, 0.5, 0.75, 1.0). Shown and typed in whole percent.

`propose_profile` suggests a hub's profile from its own complete past fiscal years (pure, stdlib only).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hubdash.domain.errors import UserError

Profile = tuple[float, float, float, float]

LINEAR: Profile = (0.25, 0.5, 0.75, 1.0)
PROPOSAL_YEARS = 5  # at most this many of the latest complete years
_SLACK = 1e-9


class ProfileError(UserError):
    """Four shares that are no profile: the message says which rule they break."""


def checked(shares: Sequence[float]) -> Profile:
    """The shares as a Profile; raise ProfileError unless four finite shares in 0..1, never falling, ending at 1."""
    if isinstance(shares, str | bytes) or len(shares) != 4:
        raise ProfileError("profile.error_length")
    values = []
    for share in shares:
        try:
            value = float(share)
        except (TypeError, ValueError):
            raise ProfileError("profile.error_number") from None
        if not math.isfinite(value):
            raise ProfileError("profile.error_number")
        values.append(value)
    if any(v < -_SLACK or v > 1 + _SLACK for v in values):
        raise ProfileError("profile.error_range")
    if any(later < earlier - _SLACK for earlier, later in zip(values, values[1:], strict=False)):
        raise ProfileError("profile.error_order")
    if abs(values[3] - 1) > _SLACK:
        raise ProfileError("profile.error_end")
    first, second, third = (min(1.0, max(0.0, v)) for v in values[:3])
    return (first, max(first, second), max(first, second, third), 1.0)


def from_percent(percents: Sequence[float]) -> Profile:
    """A profile typed in percent (10, 25, 45, 100)."""
    return checked([float(p) / 100 for p in percents])


def percents(profile: Sequence[float] | None) -> tuple[int, int, int, int]:
    """A profile (or the linear path for None) in whole percent, as users read and type it."""
    shares = LINEAR if profile is None else profile
    first, second, third, fourth = (round(share * 100) for share in shares)
    return (first, second, third, fourth)


def is_linear(profile: Sequence[float] | None) -> bool:
    """Whether the profile is the straight path (None counts as linear)."""
    return profile is None or all(abs(a - b) <= _SLACK for a, b in zip(profile, LINEAR, strict=True))


@dataclass(frozen=True)
class ProfileProposal:
    """A profile read off complete past fiscal years, and which years it rests on."""

    profile: Profile
    fiscal_years: tuple[int, ...]

    @property
    def years(self) -> int:
        """On how many fiscal years the proposal rests."""
        return len(self.fiscal_years)


def propose_profile(actuals: Mapping[int, float], before_fiscal_year: int) -> ProfileProposal | None:
    """The mean cumulative shares of the latest complete fiscal years before `before_fiscal_year`, in whole percent.

    `actuals` maps quarter index (fiscal_year * 4 + quarter - 1) to the quarter's value. A year counts when all
    four quarters are entered (finite) and its total is positive; None when no year does.
    """
    years = sorted({index // 4 for index in actuals if index // 4 < before_fiscal_year}, reverse=True)
    used: list[tuple[int, list[float]]] = []
    for year in years:
        values = [actuals.get(year * 4 + q) for q in range(4)]
        numbers = [float(v) for v in values if v is not None and math.isfinite(float(v))]
        total = sum(numbers)
        if len(numbers) < 4 or total <= 0:
            continue
        running, shares = 0.0, []
        for value in numbers:
            running += value
            shares.append(min(1.0, max(0.0, running / total)))
        used.append((year, shares))
        if len(used) == PROPOSAL_YEARS:
            break
    if not used:
        return None
    mean = [sum(shares[q] for _, shares in used) / len(used) for q in range(3)]
    whole, floor = [], 0
    for share in mean:
        floor = max(floor, round(share * 100))
        whole.append(floor)
    return ProfileProposal(from_percent([*whole, 100]), tuple(sorted(year for year, _ in used)))
