"""Measure speed as a ratio against a floor measured in the same run (the machines are shared and noisy).

A benchmark times the thing under test (`subject`) and the simplest thing that does the same work
(`floor`, e.g. pandas + a plain executemany), interleaved, best of N each, and reports
subject / floor against a limit. Absolute seconds are printed for the reader, never asserted.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass


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
