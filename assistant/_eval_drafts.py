"""Scoring for ``rai eval drafts``: turn draft findings into predictions and predictions into metrics.

A draft is predicted "flag" when a fairness (``bias``) or sensitive-fact finding exists. The eval
has five categories; a sensitive fact about the person counts as ``protected_characteristic``.
Spans are compared by position in the text: a gold span is found when a predicted span overlaps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from assistant._metrics import prf
from assistant.types import Finding, Verdict

__all__ = ["EVAL_CATEGORIES", "predict_draft", "score_drafts"]

EVAL_CATEGORIES = (
    "gendered_language",
    "personality_critique",
    "age_coded",
    "protected_characteristic",
    "appearance",
)

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


def score_drafts(
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    meta: dict[str, dict[str, Any]] | None,
    seconds_per_item: float,
) -> list[str]:
    """The metric lines ``rai eval drafts`` prints, one string per line.

    ``gold`` items carry ``id``, ``text``, ``expected``, ``categories`` and ``spans``; ``pred``
    items carry ``id``, ``verdict``, ``categories`` and ``spans``; ``meta`` maps ids to sidecar
    tags (``hard_negative``). A missing prediction counts as "pass".
    """
    by_id = {p["id"]: p for p in pred}
    empty: dict[str, Any] = {"verdict": "pass", "categories": [], "spans": []}
    tp = fp = fn = tn = 0
    hn_total = hn_fp = 0
    cat_counts = {c: [0, 0, 0] for c in EVAL_CATEGORIES}  # tp, fp, fn
    spans_total = spans_found = 0
    for g in gold:
        p = by_id.get(g["id"], empty)
        gold_flag = g["expected"] == "flag"
        pred_flag = p.get("verdict") == "flag"
        if gold_flag and pred_flag:
            tp += 1
        elif gold_flag:
            fn += 1
        elif pred_flag:
            fp += 1
        else:
            tn += 1
        if not gold_flag and meta is not None and meta.get(g["id"], {}).get("hard_negative"):
            hn_total += 1
            hn_fp += int(pred_flag)
        gold_cats = set(g.get("categories", []))
        pred_cats = set(p.get("categories", [])) if pred_flag else set()
        for c in EVAL_CATEGORIES:
            if c in gold_cats and c in pred_cats:
                cat_counts[c][0] += 1
            elif c in pred_cats:
                cat_counts[c][1] += 1
            elif c in gold_cats:
                cat_counts[c][2] += 1
        if gold_flag:
            pred_spans = p.get("spans", []) if pred_flag else []
            for s in g.get("spans", []):
                spans_total += 1
                spans_found += int(_span_found(g["text"], s, pred_spans))
    lines = [f"drafts: {len(gold)} items ({tp + fn} flag, {fp + tn} pass)"]
    lines.append(f"{'category':<26} {'prec':>6} {'recall':>6} {'f1':>6} {'support':>7}")
    for c in EVAL_CATEGORIES:
        ctp, cfp, cfn = cat_counts[c]
        p_, r_, f_ = prf(ctp, cfp, cfn)
        lines.append(f"{c:<26} {p_:>6.3f} {r_:>6.3f} {f_:>6.3f} {ctp + cfn:>7}")
    p_, r_, f_ = prf(tp, fp, fn)
    lines.append(f"{'overall (flag vs pass)':<26} {p_:>6.3f} {r_:>6.3f} {f_:>6.3f} {tp + fn:>7}")
    fpr = fp / (fp + tn) if fp + tn else 0.0
    lines.append(f"false-positive rate on pass items: {fpr:.3f} ({fp}/{fp + tn})")
    if meta is not None:
        hn_rate = hn_fp / hn_total if hn_total else 0.0
        lines.append(f"false-positive rate on hard negatives: {hn_rate:.3f} ({hn_fp}/{hn_total})")
    span_recall = spans_found / spans_total if spans_total else 0.0
    lines.append(f"span recall: {span_recall:.3f} ({spans_found}/{spans_total})")
    lines.append(f"time per item: {seconds_per_item * 1000:.2f} ms")
    return lines
