"""Timing helpers: every reported figure is the median of several runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Sample:
    """The runs of one measurement, in seconds."""

    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs) if self.runs else float("nan")

    def p95(self) -> float:
        if not self.runs:
            return float("nan")
        ordered = sorted(self.runs)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(func: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def repeat(func: Callable[[int], object], runs: int) -> Sample:
    """Call ``func(run_index)`` ``runs`` times and keep each duration."""
    sample = Sample()
    for index in range(runs):
        elapsed, _ = timed(lambda i=index: func(i))
        sample.runs.append(elapsed)
    return sample
