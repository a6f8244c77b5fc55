"""Scoring for ``rai eval drafts``: turn draft findings into predictions and predictions into metrics.

:func:`evaluate_drafts` returns the results, which :func:`format_drafts` turns into the printed
lines and :mod:`rai_assistant.report` into a report.

A draft is predicted "flag" when a fairness (``bias``) or sensitive-fact finding exists. The eval
has five categories; a sensitive fact about the person counts as ``protected_characteristic``.
Spans are compared by position in the text: a gold span is found when a predicted span overlaps it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rai_assistant._metrics import Counts
from rai_assistant.types import Finding, Verdict

__all__ = [
    "EVAL_CATEGORIES",
    "NONE",
    "DraftItem",
    "DraftResults",
    "evaluate_drafts",
    "format_drafts",
    "predict_draft",
    "score_drafts",
]

EVAL_CATEGORIES = (
    "gendered_language",
    "personality_critique",
    "age_coded",
    "protected_characteristic",
    "appearance",
)
#: The confusion matrix's label for "no category" (a pass).
NONE = "none"

# Guards whose findings make a draft "flag" in the eval, and how their categories map onto it.
_FLAG_GUARDS = frozenset({"bias", "sensitive_facts"})
_CATEGORY_MAP = {"sensitive_fact": "protected_characteristic"}


def predict_draft(text: str, findings: Iterable[Finding], item_id: str = "") -> dict[str, Any]:
    """The eval prediction for one draft: ``{"id", "verdict", "categories", "spans"}``."""
    categories: list[str] = []
    spans: list[str] = []
    for f in findings:
        if f.guard not in _FLAG_GUARDS or f.verdict is Verdict.ADVICE:
            continue
        cat = _CATEGORY_MAP.get(f.category, f.category)
        if cat in EVAL_CATEGORIES and cat not in categories:
            categories.append(cat)
        if f.span is not None and f.span.text and f.span.text not in spans:
            spans.append(f.span.text)
    flagged = bool(categories)
    return {
        "id": item_id,
        "verdict": "flag" if flagged else "pass",
        "categories": sorted(categories) if flagged else [],
        "spans": spans if flagged else [],
    }


def _positions(text: str, needle: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if not needle:
        return out
    i = text.find(needle)
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def _span_found(text: str, gold_span: str, pred_spans: Sequence[str]) -> bool:
    gold_pos = _positions(text, gold_span)
    pred_pos = [p for s in pred_spans for p in _positions(text, s)]
    return any(ps < ge and gs < pe for gs, ge in gold_pos for ps, pe in pred_pos)


@dataclass(frozen=True, slots=True)
class DraftItem:
    """One judged draft as the report lists it."""

    id: str
    text: str
    expected: str  # flag | pass
    gold_categories: tuple[str, ...]
    gold_spans: tuple[str, ...]
    verdict: str  # flag | pass
    categories: tuple[str, ...]
    spans: tuple[str, ...]
    spans_missed: tuple[str, ...]  # gold spans no predicted span overlaps (flag items only)
    hard_negative: bool


@dataclass(frozen=True, slots=True)
class DraftResults:
    """Everything one evaluation run of the draft guards found."""

    n: int
    flags: Counts  # flag vs pass
    tn: int
    hard: int
    fp_hard: int
    has_meta: bool
    categories: dict[str, Counts]  # every EVAL_CATEGORIES entry, in that order
    spans_total: int
    spans_found: int
    seconds_per_item: float
    items: tuple[DraftItem, ...] = ()
    #: (gold category or "none", predicted category or "none") -> count; see :func:`_confused`
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)


def _confused(gold: set[str], pred: set[str]) -> list[tuple[str, str]]:
    """The ``(gold, predicted)`` cells one draft adds to the category confusion matrix: each right
    category on the diagonal; each missed category against each added one (a confusion), else
    against ``none``; an added category with nothing missed against ``none``."""
    missed, added = sorted(gold - pred), sorted(pred - gold)
    cells = [(c, c) for c in sorted(gold & pred)]
    if missed and added:
        cells += [(g, p) for g in missed for p in added]
    else:
        cells += [(g, NONE) for g in missed] + [(NONE, p) for p in added]
    return cells or [(NONE, NONE)]


def evaluate_drafts(
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    meta: dict[str, dict[str, Any]] | None,
    seconds_per_item: float,
) -> DraftResults:
    """The results of one evaluation run of the draft guards.

    ``gold`` items carry ``id``, ``text``, ``expected``, ``categories`` and ``spans``; ``pred``
    items carry ``id``, ``verdict``, ``categories`` and ``spans``; ``meta`` maps ids to sidecar
    tags (``hard_negative``). A missing prediction counts as "pass".
    """
    by_id = {p["id"]: p for p in pred}
    empty: dict[str, Any] = {"verdict": "pass", "categories": [], "spans": []}
    flags = Counts()
    tn = 0
    hn_total = hn_fp = 0
    cat_counts = {c: Counts() for c in EVAL_CATEGORIES}
    spans_total = spans_found = 0
    items: list[DraftItem] = []
    confusion: dict[tuple[str, str], int] = defaultdict(int)
    for g in gold:
        p = by_id.get(g["id"], empty)
        gold_flag = g["expected"] == "flag"
        pred_flag = p.get("verdict") == "flag"
        if gold_flag and pred_flag:
            flags.tp += 1
        elif gold_flag:
            flags.fn += 1
        elif pred_flag:
            flags.fp += 1
        else:
            tn += 1
        hard = bool(meta is not None and meta.get(g["id"], {}).get("hard_negative"))
        if not gold_flag and hard:
            hn_total += 1
            hn_fp += int(pred_flag)
        gold_cats = set(g.get("categories", []))
        pred_cats = set(p.get("categories", [])) if pred_flag else set()
        for c in EVAL_CATEGORIES:
            if c in gold_cats and c in pred_cats:
                cat_counts[c].tp += 1
            elif c in pred_cats:
                cat_counts[c].fp += 1
            elif c in gold_cats:
                cat_counts[c].fn += 1
        for pair in _confused(gold_cats & set(EVAL_CATEGORIES), pred_cats & set(EVAL_CATEGORIES)):
            confusion[pair] += 1
        pred_spans = p.get("spans", []) if pred_flag else []
        missed: list[str] = []
        if gold_flag:
            for s in g.get("spans", []):
                spans_total += 1
                found = _span_found(g["text"], s, pred_spans)
                spans_found += int(found)
                if not found:
                    missed.append(s)
        items.append(
            DraftItem(
                id=str(g["id"]),
                text=str(g.get("text", "")),
                expected="flag" if gold_flag else "pass",
                gold_categories=tuple(sorted(gold_cats)),
                gold_spans=tuple(str(s) for s in g.get("spans", [])),
                verdict="flag" if pred_flag else "pass",
                categories=tuple(sorted(pred_cats)),
                spans=tuple(str(s) for s in pred_spans),
                spans_missed=tuple(missed),
                hard_negative=hard,
            )
        )
    return DraftResults(
        n=len(gold),
        flags=flags,
        tn=tn,
        hard=hn_total,
        fp_hard=hn_fp,
        has_meta=meta is not None,
        categories=cat_counts,
        spans_total=spans_total,
        spans_found=spans_found,
        seconds_per_item=seconds_per_item,
        items=tuple(items),
        confusion=dict(confusion),
    )


def format_drafts(r: DraftResults) -> list[str]:
    """The metric lines ``rai eval drafts`` prints, one string per line."""
    tp, fp, fn, tn = r.flags.tp, r.flags.fp, r.flags.fn, r.tn
    lines = [f"drafts: {r.n} items ({tp + fn} flag, {fp + tn} pass)"]
    lines.append(f"{'category':<26} {'prec':>6} {'recall':>6} {'f1':>6} {'support':>7}")
    for c, counts in r.categories.items():
        p_, r_, f_ = counts.prf()
        lines.append(f"{c:<26} {p_:>6.3f} {r_:>6.3f} {f_:>6.3f} {counts.support:>7}")
    p_, r_, f_ = r.flags.prf()
    lines.append(f"{'overall (flag vs pass)':<26} {p_:>6.3f} {r_:>6.3f} {f_:>6.3f} {tp + fn:>7}")
    fpr = fp / (fp + tn) if fp + tn else 0.0
    lines.append(f"false-positive rate on pass items: {fpr:.3f} ({fp}/{fp + tn})")
    if r.has_meta:
        hn_rate = r.fp_hard / r.hard if r.hard else 0.0
        lines.append(f"false-positive rate on hard negatives: {hn_rate:.3f} ({r.fp_hard}/{r.hard})")
    span_recall = r.spans_found / r.spans_total if r.spans_total else 0.0
    lines.append(f"span recall: {span_recall:.3f} ({r.spans_found}/{r.spans_total})")
    lines.append(f"time per item: {r.seconds_per_item * 1000:.2f} ms")
    return lines


def score_drafts(
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    meta: dict[str, dict[str, Any]] | None,
    seconds_per_item: float,
) -> list[str]:
    """The metric lines ``rai eval drafts`` prints, one string per line (see :func:`evaluate_drafts`)."""
    return format_drafts(evaluate_drafts(gold, pred, meta, seconds_per_item))
