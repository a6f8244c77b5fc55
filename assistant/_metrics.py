"""Metric arithmetic shared by the ``rai eval`` scorers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Counts", "CurvePoint", "pr_curve", "prf", "rate"]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; 0.0 where a denominator is zero."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def rate(num: int, den: int) -> float | None:
    """``num / den``, or None where there is nothing to divide by (shown as "n/a")."""
    return num / den if den else None


@dataclass(slots=True)
class Counts:
    """True positives, false positives and false negatives of one class."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def prf(self) -> tuple[float, float, float]:
        return prf(self.tp, self.fp, self.fn)


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """One point of a precision/recall curve: predict positive when the value is ``>= cut``."""

    cut: float
    precision: float
    recall: float
    tp: int
    fp: int


def pr_curve(scored: Iterable[tuple[float, bool]]) -> list[CurvePoint]:
    """The precision/recall curve of ``(value, is_positive)`` pairs, highest cut first.

    One point per distinct value, each counting every item at or above it, so a tie never splits.
    """
    pairs = sorted(scored, key=lambda pair: -pair[0])
    positives = sum(1 for _, pos in pairs if pos)
    points: list[CurvePoint] = []
    tp = fp = 0
    i = 0
    while i < len(pairs):
        cut = pairs[i][0]
        while i < len(pairs) and pairs[i][0] == cut:
            tp += pairs[i][1]
            fp += not pairs[i][1]
            i += 1
        p, r, _ = prf(tp, fp, positives - tp)
        points.append(CurvePoint(cut, p, r, tp, fp))
    return points
