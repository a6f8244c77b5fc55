"""Metrics for policy questions: recall@1, recall@3, MRR and time per item.

Used by ``rai eval questions``. Gold items are ``{"id", "question", "gold": [clause ids]}``;
predictions are ``{"id", "clauses": [clause ids, best first]}``. :func:`evaluate_questions`
returns the results, which :func:`score_questions` prints and :mod:`rai_assistant.report` reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rai_assistant.errors import InputError

__all__ = [
    "QuestionItem",
    "QuestionResults",
    "evaluate_questions",
    "format_questions",
    "question_metrics",
    "score_questions",
]


@dataclass(frozen=True, slots=True)
class QuestionItem:
    """One question: its gold clauses, the ranking retrieved, and the rank of the first gold clause."""

    id: str
    question: str
    gold: tuple[str, ...]
    ranking: tuple[str, ...]
    rank: int | None  # 1-based; None when no gold clause was retrieved


@dataclass(frozen=True, slots=True)
class QuestionResults:
    """Everything one evaluation run of retrieval found."""

    n: int
    recall_at_1: float
    recall_at_3: float
    mrr: float
    seconds_per_item: float
    items: tuple[QuestionItem, ...]

    def by_gold_clause(self) -> dict[str, tuple[int, int]]:
        """``clause -> (questions answered within the first 3, questions citing it as gold)``."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for item in self.items:
            for c in item.gold:
                counts[c][0] += item.rank is not None and item.rank <= 3
                counts[c][1] += 1
        return {c: (v[0], v[1]) for c, v in sorted(counts.items())}

    def rank_histogram(self) -> dict[int | None, int]:
        """How many questions had their first gold clause at each rank (None: not retrieved)."""
        hist: dict[int | None, int] = defaultdict(int)
        for item in self.items:
            hist[item.rank] += 1
        return dict(hist)


def evaluate_questions(
    gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]], seconds_per_item: float = 0.0
) -> QuestionResults:
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
    items: list[QuestionItem] = []
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
        items.append(
            QuestionItem(
                id=gid,
                question=str(item.get("question", "")),
                gold=tuple(str(c) for c in item.get("gold", [])),
                ranking=tuple(ranking),
                rank=first,
            )
        )
    n = len(gold)
    if n == 0:
        raise InputError("the questions file has no items")
    return QuestionResults(n, hits1 / n, hits3 / n, reciprocal / n, seconds_per_item, tuple(items))


def question_metrics(
    gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]
) -> dict[str, float]:
    """recall@1, recall@3 and MRR as a dict (see :func:`evaluate_questions`).

    :raises InputError: an item lacks an id or gold clauses, or has no prediction.
    """
    r = evaluate_questions(gold, pred)
    return {"recall@1": r.recall_at_1, "recall@3": r.recall_at_3, "mrr": r.mrr, "n": float(r.n)}


def format_questions(r: QuestionResults) -> list[str]:
    """Printable lines: recall@1, recall@3, MRR and time per item."""
    return [
        f"questions: {r.n}",
        f"recall@1: {r.recall_at_1:.3f}",
        f"recall@3: {r.recall_at_3:.3f}",
        f"MRR: {r.mrr:.3f}",
        f"time per item: {r.seconds_per_item * 1000:.1f} ms",
    ]


def score_questions(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]], seconds_per_item: float
) -> list[str]:
    """Printable lines: recall@1, recall@3, MRR and time per item."""
    return format_questions(evaluate_questions(gold, pred, seconds_per_item))
