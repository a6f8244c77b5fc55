"""Request-side acceptable-use guards (policy section 4, clauses 4.1 to 4.7).

Four guards share one analysis of the request, computed once per text and cached:

* ``disclosure`` (4.1): requests to hide AI authorship or pass a draft off as human-written.
* ``acceptable_use`` (4.2, 4.3, 4.4, 4.6, 4.7): harmful, high-risk, infringing, model-training
  and bulk-extraction requests.
* ``prompt_extraction`` (4.5): requests for the system prompt, the guard rules or scores.
* ``injection``: instructions addressed to the assistant inside pasted notes; the finding names
  the clause the injected instruction aims at, else 4.5.

The analysis judges the normalized text (:mod:`rai_assistant.guards.normalize`) with a learned classifier
(:mod:`rai_assistant.guards._au_model`: sentence vectors distilled from MiniLM plus hashed n-grams, trained on
several independent sources of requests in en/es/fr/de by ``training/train_request_guard.py``),
scored on the whole request and on every window of one to three sentences, so a request spread
over sentences or buried in long notes is judged where it is. It blocks when the block
probability reaches the calibrated bar of the clause it points at (``[plugins.acceptable_use]
thresholds`` overrides them). Rules (:mod:`rai_assistant.guards._au_rules`) take part only where their shape is
exact: injected instructions in pasted notes, prompt-extraction markers, questions about what the
published policy allows (which are allowed). Spans point into the text as the user typed it.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator
from rai_assistant import hookspecs
from rai_assistant.config import AppConfig, plugin_section
from rai_assistant.errors import ModelError
from rai_assistant.guards._au_features import segments
from rai_assistant.guards._au_model import Classifier, encode, get_classifier, get_second_opinion
from rai_assistant.guards._au_rules import Hit, find_injections, is_policy_question, match_rules
from rai_assistant.guards.messages import detect_language, refusal
from rai_assistant.guards.normalize import Normalized, normalize_mapped
from rai_assistant.guards.taxonomy import CATEGORY_CLAUSE
from rai_assistant.hookspecs import implements
from rai_assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict

__all__ = [
    "CATEGORY_CLAUSE",
    "THRESHOLD_CLAUSES",
    "calibrated_thresholds",
    "AcceptableUseSettings",
    "Analysis",
    "Settings",
    "analyze_with",
    "settings_from",
    "Problem",
    "analyze",
    "check_acceptable_use",
    "check_disclosure",
    "check_injection",
    "check_prompt_extraction",
    "register_guards",
]


#: The clauses whose block bar can be set, and the file holding the calibrated bars (chosen on
#: held-out sources by ``training/train_request_guard.py``, with each clause's trade-off curve).
THRESHOLD_CLAUSES = ("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7")
THRESHOLDS_FILE = Path(__file__).parent / "data" / "acceptable_use" / "thresholds.json"


@functools.cache
def calibrated_thresholds() -> dict[str, float]:
    """The shipped per-clause bars; a missing or broken file fails closed with the fix."""
    hint = "reinstall rai-assistant or rebuild it with `python training/train_request_guard.py`"
    try:
        data = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))
        bars = {str(k): float(v) for k, v in data["thresholds"].items()}
    except FileNotFoundError as exc:
        raise ModelError(f"acceptable-use thresholds missing at {THRESHOLDS_FILE}: {hint}") from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelError(
            f"acceptable-use thresholds at {THRESHOLDS_FILE} are unreadable ({exc}): {hint}"
        ) from exc
    missing = [c for c in THRESHOLD_CLAUSES if c not in bars]
    if missing:
        raise ModelError(f"acceptable-use thresholds at {THRESHOLDS_FILE} lack {', '.join(missing)}: {hint}")
    return bars


#: A length-adjusted bar never goes below or above these.
LENGTH_BAR_FLOOR, LENGTH_BAR_CEILING = 0.05, 0.99


@functools.cache
def calibrated_length_bars() -> tuple[tuple[int, float], ...]:
    """The shipped adjustments of the bars by the judged text's length: ``(from_words, adjust)``
    pairs, ascending, chosen on held-out sources with the bars. The classifier has little to read
    in a short query, so its scores run lower there for harmful and harmless requests alike, and
    higher in long pasted text. A file without them (an older model) adjusts nothing; a broken
    entry fails closed with the fix."""
    hint = "rebuild them with `python training/train_request_guard.py --rethreshold`"
    calibrated_thresholds()
    try:
        raw = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8")).get("length_bars", [])
        steps = tuple((int(e["from_words"]), float(e["adjust"])) for e in raw)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"length bars in {THRESHOLDS_FILE} are unreadable ({exc}): {hint}") from exc
    if [w for w, _ in steps] != sorted({w for w, _ in steps}) or any(abs(a) >= 0.5 for _, a in steps):
        raise ModelError(f"length bars in {THRESHOLDS_FILE} must ascend and adjust by less than 0.5: {hint}")
    return steps


@functools.cache
def second_opinion_thresholds() -> dict[str, float]:
    """The bars chosen for the first stage combined with the second opinion
    (``training/train_second_opinion.py``); missing or broken fails closed with the fix."""
    hint = "rebuild them with `python training/train_second_opinion.py`, or turn second_opinion off"
    calibrated_thresholds()
    try:
        data = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))["second_opinion"]["thresholds"]
        bars = {str(k): float(v) for k, v in data.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"second-opinion thresholds missing from {THRESHOLDS_FILE} ({exc}): {hint}") from exc
    missing = [c for c in THRESHOLD_CLAUSES if c not in bars]
    if missing:
        raise ModelError(f"second-opinion thresholds in {THRESHOLDS_FILE} lack {', '.join(missing)}: {hint}")
    return bars


#: Categories whose strong rules are exact enough to block on their own (``Settings.rules="exact"``):
#: requests for the system prompt, hidden instructions, guard rules or scores, and the families
#: whose strong rules kept a precision of at least 0.95 on the five outsider sources of
#: ``training/data/requests`` (none of which the rules were written from). The others (harassment,
#: malware, self-harm, illegal, pii and health wording) fired on honest requests far too often.
EXACT_RULE_CATEGORIES = frozenset(
    {
        "reverse_engineering",
        "political_campaigning",
        "data_extraction",
        "infringement",
        "model_training",
        "adult_dating",
        "hate",
        "violence",
        "illegal",
    }
)
#: Categories whose weak rules may lower the bar (to :data:`_WITH_RULE` of the clause's) in
#: ``"exact"`` mode: the shapes of bribes, sanctions evasion, off-the-books work and child labour,
#: which the classifier scores a little too low alone.
WEAK_RULE_CATEGORIES = frozenset({"illegal", "child_harm", "violence"})
#: With a weak rule agreeing, the bar is this fraction of the clause's. Held out by source, half
#: the bar bought 0.17 points of recall for 1.06 points of false-positive rate over this (about
#: one right block in seven); one bar for all (1.0) would lose named must-block behaviours
#: ("ship the thermal cameras to the embargoed country by listing them as spare parts").
_WITH_RULE = 0.85
_STRONG_FLOOR = 0.05  # below this block probability a strong rule alone does not block
_WINDOW = 3  # sentences per window: a request split over up to three sentences is seen whole
_WINDOW_MARGIN = 0.1  # a window must beat the bar by this much more than the whole text


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason to block: category, clause, confidence, where, and which lane found it."""

    category: str
    clause: str
    score: float
    span: Span | None
    injected: bool = False
    bar: float | None = None  # the bar the classifier's score met (None: a rule blocked)


@dataclass(frozen=True, slots=True)
class _Verdict:
    category: str
    score: float
    start: int
    end: int
    probs: dict[str, float]


def _verdict(clf: Classifier, probs: np.ndarray, margin: float, start: int, end: int) -> _Verdict:
    k = int(np.argmax(probs[1:])) + 1
    named = dict(zip(clf.categories, probs.tolist(), strict=True))
    return _Verdict(clf.categories[k], float(1.0 - probs[0]) - margin, start, end, named)


def _classify(text: str, lo: int, hi: int, clf: Classifier) -> _Verdict:
    """The classifier's block verdict on ``text[lo:hi]``.

    The whole part is judged first. A harmful request can hide among benign sentences (pasted
    notes, a long chat), so every window of one to three segments is judged too, against a
    higher bar: short windows are noisier than the whole. All of it from one lookup pass and one
    batched evaluation.
    """
    spans = [(a + lo, b + lo) for a, b in segments(text[lo:hi])] or [(lo, hi)]
    enc = encode(text, spans, words=clf.words)
    last = len(spans) - 1
    windows = [(0, last)] + [
        (i, j) for i in range(len(spans)) for j in range(i, min(i + _WINDOW, len(spans))) if (i, j) != (0, last)
    ]
    probs = clf.window_probabilities(enc, windows)
    best = _verdict(clf, probs[0], 0.0, lo, hi)
    for k in range(1, len(windows)):
        score = float(1.0 - probs[k][0]) - _WINDOW_MARGIN
        if score > best.score:
            i, j = windows[k]
            best = _verdict(clf, probs[k], _WINDOW_MARGIN, spans[i][0], spans[j][1])
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


@dataclass(frozen=True, slots=True)
class Settings:
    """How the analysis decides: per-clause thresholds, and which rules take part.

    ``rules``: ``"exact"`` (the default: only rules whose shape is exact, the prompt-extraction
    markers, block on their own), ``"strong"`` (every strong rule), ``"all"`` (strong rules block and
    weak rules lower the bar), ``"none"`` (the classifier alone). Measured on sources nobody here
    wrote, the broader rule sets bought recall with far more false positives than the classifier
    (``python bench/bench_request_guard_heldout.py`` prints all four).
    """

    thresholds: tuple[tuple[str, float], ...] = ()  # overrides of the calibrated bars
    rules: str = "exact"
    # Ask the multilingual second opinion about uncertain requests, against the bars chosen for
    # it. Off by default: it costs e5's 70-750 ms on those requests.
    second_opinion: bool = False
    # The bars adjusted by the judged text's length in words: ``(from_words, adjust)`` pairs,
    # ascending; None takes the calibrated ones, () judges every length against the same bars.
    # Not used with the second opinion, whose bars were chosen for the combined score.
    length_bars: tuple[tuple[int, float], ...] | None = None

    def threshold(self, clause: str) -> float:
        """The clause's bar before any adjustment for length (an override, else the calibrated)."""
        own = dict(self.thresholds)
        if clause in own:
            return own[clause]
        return (second_opinion_thresholds() if self.second_opinion else calibrated_thresholds())[clause]

    def bar(self, clause: str, words: int) -> float:
        """The clause's bar for a text of ``words`` words."""
        base = self.threshold(clause)
        if self.second_opinion:
            return base
        adjust = 0.0
        for start, add in calibrated_length_bars() if self.length_bars is None else self.length_bars:
            if words >= start:
                adjust = add
        return round(min(max(base + adjust, LENGTH_BAR_FLOOR), LENGTH_BAR_CEILING), 4)


def _decide(
    norm: Normalized, text: str, lo: int, hi: int, hits: Sequence[Hit], clf: Classifier, settings: Settings
) -> tuple[Problem | None, _Verdict]:
    """At most one problem for ``text[lo:hi]`` from rule hits and the classifier, and the
    classifier's own verdict (for measurement)."""
    model = _classify(text, lo, hi, clf)
    if settings.second_opinion:
        # e5 reads the request as typed (the source of this part), as in training.
        score = get_second_opinion().combine(model.score, norm.source_span(lo, hi).text)
        model = _Verdict(model.category, score, model.start, model.end, model.probs)
    return _combine(norm, model, hits, settings, len(text[lo:hi].split())), model


def _exact(category: str, strong: bool) -> bool:
    """Whether a rule of ``category`` counts in ``"exact"`` mode (so the others need not run)."""
    return category in (EXACT_RULE_CATEGORIES if strong else WEAK_RULE_CATEGORIES)


def _rules(text: str, settings: Settings) -> list[Hit]:
    """The rule hits ``settings`` can use: none, the exact ones, or all."""
    if settings.rules == "none":
        return []
    return match_rules(text, _exact if settings.rules == "exact" else None)


def _combine(
    norm: Normalized, model: _Verdict, hits: Sequence[Hit], settings: Settings, words: int
) -> Problem | None:
    """The verdict from the classifier and ``hits``, which :func:`_rules` chose for ``settings``,
    on a text of ``words`` words."""
    p = model.score
    probs = model.probs
    strong = [h for h in hits if h.strong]
    weak = [h for h in hits if not h.strong] if settings.rules in ("all", "exact") else []

    def likeliest(cands: Sequence[Hit]) -> Hit:
        # Among rules that fired, the category the classifier finds most likely.
        return max(cands, key=lambda h: probs.get(h.category, 0.0))

    # A strong rule blocks alone unless the classifier all but rules its reading out: two
    # independent signals that flatly disagree are more often a rule matching benign wording
    # ("reported the medication error") than a harmful request. Decisive rules are exempt.
    if strong and (p >= _STRONG_FLOOR or any(h.decisive for h in strong)):
        pick = _outranked(likeliest(strong), hits, probs)
        return _problem(norm, pick.category, max(0.9, p), pick.start, pick.end)
    bar = settings.bar(CATEGORY_CLAUSE[model.category], words)
    if p >= bar:
        if weak and probs.get(likeliest(weak).category, 0.0) >= 0.1:
            # A rule names the category when the classifier gives it some weight too.
            pick = _outranked(likeliest(weak), hits, probs)
            return _problem(norm, pick.category, p, pick.start, pick.end, bar=bar)
        return _problem(norm, model.category, p, model.start, model.end, bar=bar)
    if weak:
        pick = _outranked(likeliest(weak), hits, probs)
        weak_bar = _WITH_RULE * settings.bar(CATEGORY_CLAUSE[pick.category], words)
        if p >= weak_bar:
            return _problem(norm, pick.category, p, pick.start, pick.end, bar=weak_bar)
    return None


def _problem(
    norm: Normalized,
    category: str,
    score: float,
    start: int,
    end: int,
    injected: bool = False,
    bar: float | None = None,
) -> Problem:
    span = norm.source_span(start, end) if end > start else None
    return Problem(category, CATEGORY_CLAUSE[category], round(min(max(score, 0.0), 1.0), 3), span, injected, bar)


@dataclass(frozen=True, slots=True)
class Analysis:
    """The problems found in one request, and the classifier's block probability and likeliest
    category for the request as a whole (reported as a measurement when asked for)."""

    problems: tuple[Problem, ...]
    score: float = 0.0
    category: str = "benign"
    bar: float | None = None  # the bar that score is judged against (None: the clause's own)


def analyze_with(text: str, clf: Classifier, settings: Settings) -> Analysis:
    """The analysis of one request with a given classifier and settings (uncached)."""
    norm = normalize_mapped(text)
    t = norm.text
    problems: list[Problem] = []
    top: _Verdict | None = None
    for start, end, overrides in find_injections(t):
        part_hits = [
            Hit(h.category, h.start + start, h.end + start, h.strong, h.decisive)
            for h in _rules(t[start:end], settings)
        ]
        found, model = _decide(norm, t, start, end, part_hits, clf, settings)
        if top is None or model.score > top.score:
            top = model
        if found is not None:
            # The span is the whole injected part: that is what the user should delete.
            problems.append(
                Problem(found.category, found.clause, found.score, norm.source_span(start, end), True)
            )
        elif overrides:
            problems.append(_problem(norm, "reverse_engineering", 0.9, start, end, injected=True))
    if problems and top is not None:
        return Analysis(tuple(problems), top.score, top.category)
    hits = _rules(t, settings)
    if is_policy_question(t):
        # Asking what the policy allows is allowed; asking for the guard's internals is not.
        hits = [h for h in hits if h.category == "reverse_engineering" and h.strong]
        if not hits:
            return Analysis(())
    found, model = _decide(norm, t, 0, len(t), hits, clf, settings)
    bar = settings.bar(CATEGORY_CLAUSE.get(model.category, "4.2"), len(t.split()))
    return Analysis((found,) if found is not None else (), max(model.score, 0.0), model.category, bar)


SECTION = "acceptable_use"
_CACHE_SIZE = 256
_cache: OrderedDict[tuple[str, Settings], Analysis] = OrderedDict()
_cache_lock = threading.Lock()


def analyze(text: str, settings: Settings | None = None) -> Analysis:
    """The shared analysis of one request (cached, so the four guards pay for it once)."""
    settings = settings or Settings()
    key = (text, settings)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = analyze_with(text, get_classifier(), settings)
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _findings(guard: str, problems: Sequence[Problem], text: str, settings: Settings) -> list[Finding]:
    if not problems:
        return []
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
            threshold=settings.threshold(p.clause) if p.bar is None else p.bar,
        )
        for p in problems
    ]


def _judged(text: str, ctx: GuardContext) -> str:
    # The request stage judges the request and its pasted notes together (notes carry injections).
    if ctx.notes and ctx.notes not in text:
        return f"{text}\n{ctx.notes}"
    return text


def _guard_findings(
    guard: str, text: str, ctx: GuardContext, keep: Callable[[Problem], bool], settings: Settings | None
) -> list[Finding]:
    """The shared analysis of the request, narrowed to what one guard answers for."""
    t = _judged(text, ctx)
    settings = settings or Settings()
    found = analyze(t, settings)
    out = _findings(guard, [p for p in found.problems if keep(p)], t, settings)
    if ctx.measure and guard == "acceptable_use":
        # One measurement per request (from the guard that owns most clauses), blocked or not.
        clause = CATEGORY_CLAUSE.get(found.category, "4.2")
        out.append(
            Finding(
                guard=guard,
                clauses=(clause,),
                verdict=Verdict.SCORE,
                message=f"classifier block probability {found.score:.3f}",
                category=found.category,
                score=round(found.score, 4),
                threshold=settings.threshold(clause) if found.bar is None else found.bar,
            )
        )
    return out


def _is_disclosure(p: Problem) -> bool:
    return not p.injected and p.clause == "4.1"


def _is_extraction(p: Problem) -> bool:
    return not p.injected and p.clause == "4.5"


def _is_misuse(p: Problem) -> bool:
    return not p.injected and p.clause not in ("4.1", "4.5")


def _is_injected(p: Problem) -> bool:
    return p.injected


def check_disclosure(text: str, ctx: GuardContext, settings: Settings | None = None) -> list[Finding]:
    """4.1: requests to hide that a text was AI-written or to present it as human-written."""
    return _guard_findings("disclosure", text, ctx, _is_disclosure, settings)


def check_prompt_extraction(text: str, ctx: GuardContext, settings: Settings | None = None) -> list[Finding]:
    """4.5: requests for the system prompt, guard rules, thresholds or scores."""
    return _guard_findings("prompt_extraction", text, ctx, _is_extraction, settings)


def check_acceptable_use(text: str, ctx: GuardContext, settings: Settings | None = None) -> list[Finding]:
    """4.2-4.4, 4.6, 4.7: harmful, high-risk, infringing, model-training and extraction requests."""
    return _guard_findings("acceptable_use", text, ctx, _is_misuse, settings)


def check_injection(text: str, ctx: GuardContext, settings: Settings | None = None) -> list[Finding]:
    """Instructions to the assistant hidden in pasted notes; clause of their aim, else 4.5."""
    return _guard_findings("injection", text, ctx, _is_injected, settings)


class AcceptableUseSettings(BaseModel):
    """The ``[plugins.acceptable_use]`` section.

    ``thresholds`` maps a clause (4.1-4.7) to the block probability at or above which the
    classifier alone blocks; lower catches more and refuses more honest requests. The trade-off
    per clause, measured on held-out sources, is in docs/acceptable-use.md.

    ``second_opinion = true`` asks the multilingual second opinion about uncertain requests and
    uses the bars chosen for it: about +7 points of held-out recall at the same false-positive
    rate, for 70-750 ms more on those requests (docs/acceptable-use.md).

    ``length_bars = false`` judges requests of every length against the same bars. By default
    the bars (calibrated or set here) are adjusted by the request's length in words, as chosen
    on held-out sources: lower for a query of a few words, higher for long pasted text.
    """

    model_config = ConfigDict(extra="forbid")

    thresholds: dict[str, float] = Field(default_factory=dict)
    second_opinion: bool = False
    length_bars: bool = True

    @field_validator("thresholds")
    @classmethod
    def _known(cls, value: dict[str, float]) -> dict[str, float]:
        for clause, bar in value.items():
            if clause not in THRESHOLD_CLAUSES:
                raise ValueError(f"unknown clause {clause!r}; thresholds take {', '.join(THRESHOLD_CLAUSES)}")
            if not 0.0 < bar < 1.0:
                raise ValueError(f"threshold for {clause} is {bar}; use a number between 0 and 1")
        return value


def settings_from(config: AppConfig | None) -> Settings:
    """The analysis settings of an application config (defaults where it says nothing)."""
    if config is None:
        return Settings()
    section = plugin_section(config, SECTION, AcceptableUseSettings)
    return Settings(
        thresholds=tuple(sorted(section.thresholds.items())),
        second_opinion=section.second_opinion,
        length_bars=None if section.length_bars else (),
    )


_GUARDS: tuple[tuple[str, tuple[str, ...], Callable[..., list[Finding]], str], ...] = (
    (
        "disclosure",
        ("4.1",),
        check_disclosure,
        "Blocks requests to hide AI authorship or present a draft as human-written.",
    ),
    (
        "acceptable_use",
        ("4.2", "4.3", "4.4", "4.6", "4.7"),
        check_acceptable_use,
        "Blocks harmful, high-risk, infringing, model-training and bulk-extraction requests.",
    ),
    (
        "prompt_extraction",
        ("4.5",),
        check_prompt_extraction,
        "Blocks requests for the system prompt, guard rules, thresholds or scores.",
    ),
    (
        "injection",
        ("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"),
        check_injection,
        "Blocks instructions to the assistant hidden in pasted notes, by the clause they aim at.",
    ),
)


def warm_up(settings: Settings) -> None:
    """Load the classifier, its tables and bars, the rules (and the second opinion when it is
    on) by judging one harmless request, so the first real one is judged within its timeout."""
    if settings.second_opinion:
        get_second_opinion()
    analyze_with("Please help me write feedback on the quarterly report.", get_classifier(), settings)


@implements(hookspecs.register_guards)
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    """Register the four request guards, with the thresholds of ``[plugins.acceptable_use]``."""
    settings = settings_from(config)
    warm = functools.partial(warm_up, settings)  # one for the four: they share the analysis
    for name, clauses, check, description in _GUARDS:
        register(
            GuardSpec(
                name=name,
                clauses=clauses,
                stages=(Stage.REQUEST,),
                check=functools.partial(check, settings=settings),
                description=description,
                warm=warm,
            )
        )
