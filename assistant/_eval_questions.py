"""Metrics for policy questions: recall@1, recall@3, MRR and time per item.

Used by ``rai eval questions``. Gold items are ``{"id", "question", "gold": [clause ids]}``;
predictions are ``{"id", "clauses": [clause ids, best first]}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assistant.errors import InputError

__all__ = ["question_metrics", "score_questions"]


def question_metrics(
    gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]
) -> dict[str, float]:
    """recall@1, recall@3 (a gold clause within the first k) and MRR (rank of the first gold clause).

    :raises InputError: an item lacks an id or gold clauses, or has no prediction.
    """
    predicted: dict[str, list[str]] = {}
    for item in pred:
        if "id" not in item:
            raise InputError("a prediction has no 'id': write one {'id', 'clauses'} object per line")
        predicted[str(item["id"])] = [str(c) for c in item.get("clauses", [])]
    hits1 = hits3 = 0
    reciprocal = 0.0
    for item in gold:
        gid = str(item.get("id", ""))
        wanted = {str(c) for c in item.get("gold", [])}
        if not gid or not wanted:
            raise InputError(f"gold item {gid or '?'} needs an 'id' and a non-empty 'gold' list")
        if gid not in predicted:
            raise InputError(f"no prediction for question {gid}: predict every gold item")
        ranking = predicted[gid]
        first = next((r for r, c in enumerate(ranking, 1) if c in wanted), None)
        if first is not None:
            hits1 += first == 1
            hits3 += first <= 3
            reciprocal += 1.0 / first
    n = len(gold)
    if n == 0:
        raise InputError("the questions file has no items")
    return {"recall@1": hits1 / n, "recall@3": hits3 / n, "mrr": reciprocal / n, "n": float(n)}


def score_questions(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]], seconds_per_item: float
) -> list[str]:
    """Printable lines: recall@1, recall@3, MRR and time per item."""
    m = question_metrics(gold, pred)
    return [
        f"questions: {int(m['n'])}",
        f"recall@1: {m['recall@1']:.3f}",
        f"recall@3: {m['recall@3']:.3f}",
        f"MRR: {m['mrr']:.3f}",
        f"time per item: {seconds_per_item * 1000:.1f} ms",
    ]
