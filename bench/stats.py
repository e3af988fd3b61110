"""Percentiles and summaries of latency samples."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating linearly between the two nearest ranks.

    The same definition as numpy's default and `statistics.quantiles(method="inclusive")`: the p50 of
    [1, 2, 3, 4] is 2.5, and the p95 of 1..100 is 95.05.
    """
    if not samples:
        raise ValueError("no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is not between 0 and 100")
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    below, above = math.floor(position), math.ceil(position)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def summarise(samples_ms: Sequence[float]) -> dict:
    """Count, p50, p95, mean and max of latencies in milliseconds, rounded to 0.1 ms."""
    return {
        "n": len(samples_ms),
        "p50_ms": round(percentile(samples_ms, 50), 1),
        "p95_ms": round(percentile(samples_ms, 95), 1),
        "mean_ms": round(sum(samples_ms) / len(samples_ms), 1),
        "max_ms": round(max(samples_ms), 1),
    }


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)
