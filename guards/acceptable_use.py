"""Request-side acceptable-use guards (policy section 4, clauses 4.1 to 4.7).

Four guards share one analysis of the request, computed once per text and cached:

* ``disclosure`` (4.1): requests to hide AI authorship or pass a draft off as human-written.
* ``acceptable_use`` (4.2, 4.3, 4.4, 4.6, 4.7): harmful, high-risk, infringing, model-training
  and bulk-extraction requests.
* ``prompt_extraction`` (4.5): requests for the system prompt, the guard rules or scores.
* ``injection``: instructions addressed to the assistant inside pasted notes; the finding names
  the clause the injected instruction aims at, else 4.5.

The analysis judges the normalized text (:mod:`guards.normalize`) with high-precision patterns
(:mod:`guards._au_rules`) and a linear classifier over hashed word and character n-grams
(:mod:`guards._au_model`) scored on every window of one to three sentences, so a request spread
over sentences or buried in long notes is judged where it is. Questions about what the published
policy allows are allowed. Spans point into the text as the user typed it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.hookspecs import hookimpl
from assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict
from guards._au_features import sentences
from guards._au_model import get_classifier
from guards._au_rules import Hit, find_injections, is_policy_question, match_rules
from guards.messages import detect_language, refusal
from guards.normalize import Normalized, normalize_mapped
from guards.taxonomy import CATEGORY_CLAUSE

__all__ = [
    "CATEGORY_CLAUSE",
    "Problem",
    "analyze",
    "check_acceptable_use",
    "check_disclosure",
    "check_injection",
    "check_prompt_extraction",
    "register_guards",
]


# Classifier block probability above which the model alone blocks; with a weak rule agreeing,
# the lower bar applies. Chosen on cross-validated exemplar data, not on the dev set.
_T_MODEL = 0.9
_T_WITH_RULE = 0.35
_STRONG_FLOOR = 0.2  # below this classifier block probability a strong rule alone does not block
_WINDOW = 3  # sentences per window: a request split over up to three sentences is seen whole
_WINDOW_MARGIN = 0.15  # a window must beat the bar by this much more than the whole text


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason to block: category, clause, confidence, where, and which lane found it."""

    category: str
    clause: str
    score: float
    span: Span | None
    injected: bool = False


@dataclass(frozen=True, slots=True)
class _Verdict:
    category: str
    score: float
    start: int
    end: int
    probs: dict[str, float]


def _classify(text: str, lo: int = 0, hi: int | None = None) -> _Verdict | None:
    """The classifier's block verdict on ``text[lo:hi]``.

    The whole part is judged first. In long text (pasted notes) a harmful request can hide among
    benign sentences, so windows of one to three sentences are judged too, against a higher bar:
    short windows are noisier than the whole.
    """
    clf = get_classifier()
    hi = len(text) if hi is None else hi
    sents = [(a + lo, b + lo) for a, b in sentences(text[lo:hi])] or [(lo, hi)]
    raws = [clf.raw(text[a:b]) for a, b in sents]
    total = sum((r for r, _ in raws), np.zeros_like(raws[0][0]))
    p = clf.probabilities(total, sum(c for _, c in raws))
    k = int(np.argmax(p[1:])) + 1
    best = _Verdict(
        clf.categories[k], float(1.0 - p[0]), lo, hi, dict(zip(clf.categories, p.tolist(), strict=True))
    )
    if len(sents) <= _WINDOW:
        return best
    for i in range(len(sents)):
        acc = np.zeros_like(raws[0][0])
        count = 0
        for j in range(i, min(i + _WINDOW, len(sents))):
            acc = acc + raws[j][0]
            count += raws[j][1]
            p = clf.probabilities(acc, count)
            block = float(1.0 - p[0]) - _WINDOW_MARGIN
            if block > best.score:
                k = int(np.argmax(p[1:])) + 1
                probs = dict(zip(clf.categories, p.tolist(), strict=True))
                best = _Verdict(clf.categories[k], block, sents[i][0], sents[j][1], probs)
    return best


# When rules of several categories fire on one request, the labelling conventions name the main
# intent: a wish to die outranks the medicine or violence it mentions; harm to a child outranks the
# labour-law, sexual or violent act it consists of; a threat outranks the insult around it; advice
# on what a person should take outranks the health words a privacy rule saw in the same sentence;
# handing people's identifiers to an audience outranks how the records were pulled.
_OUTRANKS: dict[str, frozenset[str]] = {
    "self_harm": frozenset({"medical_advice", "violence", "harassment", "pii_misuse"}),
    "child_harm": frozenset({"illegal", "sexual", "violence", "harassment", "economic_harm", "pii_misuse"}),
    "violence": frozenset({"harassment"}),
    "medical_advice": frozenset({"pii_misuse"}),
    "pii_misuse": frozenset({"data_extraction"}),
}
_OUTRANK_MIN_P = 0.05  # the classifier must give the outranking category at least this weight


def _outranked(pick: Hit, hits: Sequence[Hit], probs: dict[str, float]) -> Hit:
    """``pick``, or a fired rule whose category outranks it by the labelling conventions.

    Only rules whose shape is specific (strong, or weak but decisive) may outrank, and only when the
    classifier gives their category some weight, so a loose cue never overrides a sure one.
    """
    for h in hits:
        if pick.category not in _OUTRANKS.get(h.category, frozenset()):
            continue
        if (h.strong or h.decisive) and probs.get(h.category, 0.0) >= _OUTRANK_MIN_P:
            return h
    return pick


def _decide(norm: Normalized, text: str, lo: int, hi: int, hits: Sequence[Hit]) -> Problem | None:
    """Combine rule hits and the classifier into at most one problem for ``text[lo:hi]``."""
    model = _classify(text, lo, hi)
    p = model.score if model else 0.0
    probs = model.probs if model else {}
    strong = [h for h in hits if h.strong]
    weak = [h for h in hits if not h.strong]

    def likeliest(cands: Sequence[Hit]) -> Hit:
        # Among rules that fired, the category the classifier finds most likely.
        return max(cands, key=lambda h: probs.get(h.category, 0.0))

    # A strong rule blocks alone unless the classifier all but rules its reading out: two
    # independent signals that flatly disagree are more often a rule matching benign wording
    # ("reported the medication error") than a harmful request. Decisive rules are exempt.
    if strong and (p >= _STRONG_FLOOR or any(h.decisive for h in strong) or model is None):
        pick = _outranked(likeliest(strong), hits, probs)
        return _problem(norm, pick.category, max(0.9, p), pick.start, pick.end)
    if model and p >= _T_MODEL:
        if weak and probs.get(likeliest(weak).category, 0.0) >= 0.1:
            # A rule names the category when the classifier gives it some weight too.
            pick = _outranked(likeliest(weak), hits, probs)
            return _problem(norm, pick.category, p, pick.start, pick.end)
        return _problem(norm, model.category, p, model.start, model.end)
    if model and weak and p >= _T_WITH_RULE:
        pick = _outranked(likeliest(weak), hits, probs)
        return _problem(norm, pick.category, p, pick.start, pick.end)
    return None


def _problem(
    norm: Normalized, category: str, score: float, start: int, end: int, injected: bool = False
) -> Problem:
    span = norm.source_span(start, end) if end > start else None
    return Problem(category, CATEGORY_CLAUSE[category], round(min(score, 1.0), 3), span, injected)


def _analyze(text: str) -> tuple[Problem, ...]:
    norm = normalize_mapped(text)
    t = norm.text
    problems: list[Problem] = []
    injected_parts = find_injections(t)
    for start, end, overrides in injected_parts:
        found = _decide(
            norm,
            t,
            start,
            end,
            [
                h
                for h in match_rules(t[start:end])
                for h in (Hit(h.category, h.start + start, h.end + start, h.strong, h.decisive),)
            ],
        )
        if found is not None:
            # The span is the whole injected part: that is what the user should delete.
            problems.append(
                Problem(found.category, found.clause, found.score, norm.source_span(start, end), True)
            )
        elif overrides:
            problems.append(_problem(norm, "reverse_engineering", 0.9, start, end, injected=True))
    if problems:
        return tuple(problems)
    hits = match_rules(t)
    if is_policy_question(t):
        # Asking what the policy allows is allowed; asking for the guard's internals is not.
        hits = [h for h in hits if h.category == "reverse_engineering" and h.strong]
        if not hits:
            return ()
    found = _decide(norm, t, 0, len(t), hits)
    return (found,) if found is not None else ()


_CACHE_SIZE = 256
_cache: OrderedDict[str, tuple[Problem, ...]] = OrderedDict()
_cache_lock = threading.Lock()


def analyze(text: str) -> tuple[Problem, ...]:
    """The shared analysis of one request (cached, so the four guards pay for it once)."""
    with _cache_lock:
        if text in _cache:
            _cache.move_to_end(text)
            return _cache[text]
    result = _analyze(text)
    with _cache_lock:
        _cache[text] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _findings(guard: str, problems: Sequence[Problem], text: str, ctx: GuardContext) -> list[Finding]:
    lang = detect_language(text)
    return [
        Finding(
            guard=guard,
            clauses=(p.clause,),
            verdict=Verdict.BLOCK,
            message=refusal(p.category, p.clause, lang),
            category=p.category,
            span=p.span,
            score=p.score,
        )
        for p in problems
    ]


def _judged(text: str, ctx: GuardContext) -> str:
    # The request stage judges the request and its pasted notes together (notes carry injections).
    if ctx.notes and ctx.notes not in text:
        return f"{text}\n{ctx.notes}"
    return text


def _guard_findings(guard: str, text: str, ctx: GuardContext, keep: Callable[[Problem], bool]) -> list[Finding]:
    """The shared analysis of the request, narrowed to what one guard answers for."""
    t = _judged(text, ctx)
    return _findings(guard, [p for p in analyze(t) if keep(p)], t, ctx)


def check_disclosure(text: str, ctx: GuardContext) -> list[Finding]:
    """4.1: requests to hide that a text was AI-written or to present it as human-written."""
    return _guard_findings("disclosure", text, ctx, lambda p: not p.injected and p.clause == "4.1")


def check_prompt_extraction(text: str, ctx: GuardContext) -> list[Finding]:
    """4.5: requests for the system prompt, guard rules, thresholds or scores."""
    return _guard_findings("prompt_extraction", text, ctx, lambda p: not p.injected and p.clause == "4.5")


def check_acceptable_use(text: str, ctx: GuardContext) -> list[Finding]:
    """4.2-4.4, 4.6, 4.7: harmful, high-risk, infringing, model-training and extraction requests."""
    return _guard_findings(
        "acceptable_use", text, ctx, lambda p: not p.injected and p.clause not in ("4.1", "4.5")
    )


def check_injection(text: str, ctx: GuardContext) -> list[Finding]:
    """Instructions to the assistant hidden in pasted notes; clause of their aim, else 4.5."""
    return _guard_findings("injection", text, ctx, lambda p: p.injected)


@hookimpl
def register_guards(register) -> None:  # type: ignore[no-untyped-def]
    """Register the four request guards."""
    register(
        GuardSpec(
            name="disclosure",
            clauses=("4.1",),
            stages=(Stage.REQUEST,),
            check=check_disclosure,
            description="Blocks requests to hide AI authorship or present a draft as human-written.",
        )
    )
    register(
        GuardSpec(
            name="acceptable_use",
            clauses=("4.2", "4.3", "4.4", "4.6", "4.7"),
            stages=(Stage.REQUEST,),
            check=check_acceptable_use,
            description="Blocks harmful, high-risk, infringing, model-training and bulk-extraction requests.",
        )
    )
    register(
        GuardSpec(
            name="prompt_extraction",
            clauses=("4.5",),
            stages=(Stage.REQUEST,),
            check=check_prompt_extraction,
            description="Blocks requests for the system prompt, guard rules, thresholds or scores.",
        )
    )
    register(
        GuardSpec(
            name="injection",
            clauses=("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"),
            stages=(Stage.REQUEST,),
            check=check_injection,
            description="Blocks instructions to the assistant hidden in pasted notes, by the clause they aim at.",
        )
    )
