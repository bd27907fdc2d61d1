"""Fair roll-ups: the standing of a goal, a hub or a region from the statuses of its targets (pure, stdlib only).

A roll-up is the distribution of the statuses plus one stated rule, never the worst single target:
targets without data are not counted; of the others, the group is
    off track   when more than `off_track_above` of them are off track,
    on track    when more than `on_track_above` of them are on track,
    at risk     otherwise,
and no data when none has data. The default rule is "most": more than half. The share on track is shown
beside the colour; the targets in the group's own status are the ones that make its colour.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hubdash.domain.enums import Status


@dataclass(frozen=True)
class RollupRule:
    """When a group of targets counts as on track or off track (shares of its targets with data)."""

    on_track_above: float = 0.5
    off_track_above: float = 0.5


DEFAULT_RULE = RollupRule()


@dataclass(frozen=True)
class Rollup:
    """How the targets of a group stand: their statuses counted, and the group's status by the rule."""

    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    status: Status = Status.NO_DATA

    @property
    def known(self) -> int:
        """Targets with data (on track, at risk or off track)."""
        return self.total - self.counts[Status.NO_DATA]

    @property
    def total(self) -> int:
        """All targets of the group."""
        return sum(self.counts.values())

    @property
    def on_track_share(self) -> float | None:
        """The share of the targets with data that are on track (None without any)."""
        return self.counts[Status.ON_TRACK] / self.known if self.known else None

    @property
    def off_track_share(self) -> float | None:
        """The share of the targets with data that are off track (None without any)."""
        return self.counts[Status.OFF_TRACK] / self.known if self.known else None


def roll_up(statuses: Iterable[Status | str], rule: RollupRule = DEFAULT_RULE) -> Rollup:
    """Count the statuses and judge the group by the rule."""
    counts = dict.fromkeys(Status, 0)
    for status in statuses:
        counts[Status(status)] += 1
    known = sum(counts.values()) - counts[Status.NO_DATA]
    if not known:
        return Rollup(counts, Status.NO_DATA)
    if counts[Status.OFF_TRACK] > rule.off_track_above * known:
        return Rollup(counts, Status.OFF_TRACK)
    if counts[Status.ON_TRACK] > rule.on_track_above * known:
        return Rollup(counts, Status.ON_TRACK)
    return Rollup(counts, Status.AT_RISK)


def behind_order(rollup: Rollup) -> tuple[float, float, int]:
    """A sort key putting the groups most behind first: most off track, then least on track, then the largest."""
    return (-(rollup.off_track_share or 0.0), rollup.on_track_share or 0.0, -rollup.known)
