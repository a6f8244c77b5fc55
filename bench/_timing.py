"""One definition of the latency figures every benchmark prints."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

__all__ = ["p50_p95"]


def p50_p95(samples: Sequence[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of ``samples``."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
