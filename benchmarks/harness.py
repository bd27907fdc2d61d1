"""Measure speed as a ratio against a floor measured in the same run (the machines are shared and noisy).

A benchmark times the thing under test (`subject`) and the simplest thing that does the same work
(`floor`, e.g. pandas + a plain executemany), interleaved, best of N each, and reports
subject / floor against a limit (`Result`). Absolute seconds are printed for the reader, never asserted.
Sizes, counts and shares that have a limit of their own (bytes of chart data, errors, CPU) are `Measure`s.
"""

from __future__ import annotations

import gc
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Result:
    """One benchmark case: the best times of subject and floor and their ratio against a limit."""

    name: str
    subject_seconds: float
    floor_seconds: float
    limit: float

    @property
    def ratio(self) -> float:
        """Subject time over floor time."""
        return self.subject_seconds / self.floor_seconds if self.floor_seconds > 0 else float("inf")

    @property
    def passed(self) -> bool:
        """Whether the ratio is within the limit."""
        return self.ratio <= self.limit

    def line(self) -> str:
        """One line for the benchmark report."""
        verdict = "ok" if self.passed else "TOO SLOW"
        return (
            f"{self.name}: {self.ratio:.2f}x the floor (limit {self.limit:g}x) "
            f"[subject {self.subject_seconds:.3f} s, floor {self.floor_seconds:.3f} s] {verdict}"
        )

    def record(self) -> dict[str, Any]:
        """The result for the JSON report."""
        return {
            "name": self.name,
            "kind": "ratio",
            "value": round(self.ratio, 3),
            "limit": self.limit,
            "unit": "x",
            "passed": self.passed,
            "subject_seconds": round(self.subject_seconds, 4),
            "floor_seconds": round(self.floor_seconds, 4),
        }


@dataclass(frozen=True)
class Measure:
    """A number with a limit of its own (bytes, errors, a share of a core, a ratio of percentiles): passes at or
    under the limit. `detail`: what the number was made of, for the reader."""

    name: str
    value: float
    limit: float
    unit: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Whether the value is within its limit (a value that could not be measured is not)."""
        return math.isfinite(self.value) and self.value <= self.limit

    def line(self) -> str:
        """One line for the benchmark report."""
        verdict = "ok" if self.passed else "OVER THE LIMIT"
        extra = ", ".join(f"{k} {shown(v)}" for k, v in self.detail.items())
        limit = f"limit {shown(self.limit)}{self.unit}" if math.isfinite(self.limit) else "no limit"
        return f"{self.name}: {shown(self.value)}{self.unit} ({limit}){f' [{extra}]' if extra else ''} {verdict}"

    def record(self) -> dict[str, Any]:
        """The measure for the JSON report."""
        return {
            "name": self.name,
            "kind": "measure",
            "value": self.value,
            "limit": self.limit,
            "unit": self.unit,
            "passed": self.passed,
            **self.detail,
        }


def shown(value: object) -> str:
    """A number as the report prints it (thousands separated, three significant digits when small)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def say(text: str) -> None:
    """A line of progress on stderr (the long cases tell what they are doing)."""
    print(f"  {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` (0..1) of the values lie (nearest rank); inf for no values."""
    if not values:
        return float("inf")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def best_time(fn: Callable[[], object], setup: Callable[[], object] | None = None) -> float:
    """Wall time of one call of fn (after an untimed setup), with the garbage collector paused."""
    if setup is not None:
        setup()
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started
    finally:
        gc.enable()


def compare(
    name: str,
    subject: Callable[[], object],
    floor: Callable[[], object],
    *,
    limit: float,
    repeat: int = 3,
    setup: Callable[[], object] | None = None,
) -> Result:
    """Time subject and floor alternately `repeat` times each and keep the best of each."""
    subject_times, floor_times = [], []
    for _ in range(repeat):
        floor_times.append(best_time(floor, setup))
        subject_times.append(best_time(subject, setup))
    return Result(name, min(subject_times), min(floor_times), limit)
