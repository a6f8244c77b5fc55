"""Train the bias guard's learned reading and measure it on sources it never saw.

    python training/train_bias_model.py            # held-out report, bars, then the shipped model
    python training/train_bias_model.py --heldout  # only the held-out report

The corpus is split by *source*: ``training/data/drafts/train_*.jsonl`` (each one group of
writers and one voice, written from ``training/data/DRAFTS_SPEC.md``; a source in several
languages counts as one source per language) and ``tuning.jsonl``. Each
source is held out in turn; a classifier is trained on the others and the held-out drafts are
judged the way the guard judges them: flagged when a phrase rule fires (unless the reading is
sure it is fair, :func:`bias.fair_rule_hits`) or a sentence, a pair or the rest of a rule's
sentence clears its kind's bar, as :func:`bias.select_learned` keeps it. The fair bar and the
bars are chosen on those out-of-source judgements only (:func:`choose_fair_bar`, then
:func:`choose_bars`: the best F1 that adds at most :data:`EXTRA_FPR` to the rules' own
false-positive rate on pass drafts), then the model is trained on every source.
``heldout_en.jsonl`` and ``heldout_multi.jsonl`` are never read here: measure them with
``rai eval drafts``.

Each sentence of a draft is labelled with the category of a gold span it overlaps (none: no
bias); a pair of neighbouring sentences takes the label of either. Features come from the
serving code (:mod:`rai_assistant.guards._bias_model`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

import train_request_guard as stage1  # noqa: E402
from rai_assistant.guards import bias, sensitive_facts  # noqa: E402
from rai_assistant.guards._au_features import BITS  # noqa: E402
from rai_assistant.guards._au_model import Classifier, Encoded  # noqa: E402
from rai_assistant.guards._bias_model import (  # noqa: E402
    BARS_FILE,
    MODEL_FILE,
    PAIR_MARGIN,
    LearnedBias,
    SentenceHit,
    encode_sentences,
    split,
    windows_of,
)
from rai_assistant.types import GuardContext, Stage, Verdict  # noqa: E402

DRAFTS = ROOT / "training" / "data" / "drafts"
REPORT_FILE = ROOT / "training" / "reports" / "bias_model_heldout.json"
CATEGORIES = ("benign", "gendered_language", "personality_critique", "age_coded", "protected_characteristic", "appearance")
#: The learned reading may add at most this much to the rules' false-positive rate on pass drafts.
EXTRA_FPR = 0.01
#: No kind's bar is below this. A learned finding is a whole passage and names no words, so it
#: must be fairly sure: with the F1-best bars on the writers' drafts (0.65 to 0.71), 2 of the 39
#: job-relevant facts in our own tests were flagged ("He reports to a woman in the finance team
#: and they closed the audit together." read 0.71 as gendered); from 0.72 none is, for about 1.2
#: points of out-of-source span recall.
MIN_BAR = 0.72
#: At most this share of the rule hits on gold spans may be read as fair (left as advice).
FAIR_LOSS = 0.005
#: And the fair bar is never above this. The writers' flagged drafts carry several cues each, so
#: their rule hits read high; a critique with one cue reads lower: in our own tests "far too nice
#: to the vendors" reads 0.26 and "a real steamroller in design debates" 0.30 (with 0.30 chosen
#: on the writers' drafts, both became advice). "Sure it is fair" means below 0.20.
FAIR_BAR_CAP = 0.20
EPOCHS = 20
HIDDEN = 256

Array = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Draft:
    id: str
    text: str
    flag: bool
    categories: tuple[str, ...]
    spans: tuple[str, ...]
    source: str
    lang: str


def load_sources() -> dict[str, list[Draft]]:
    paths = sorted(DRAFTS.glob("train_*.jsonl")) + [DRAFTS / "tuning.jsonl"]
    out: dict[str, list[Draft]] = {}
    for path in paths:
        name = path.stem.removeprefix("train_")
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            cats = tuple(r["categories"])
            if any(c not in CATEGORIES[1:] for c in cats):
                raise ValueError(f"{path.name}:{n}: unknown category in {cats}")
            lang = r.get("lang", "en")
            # A source in several languages is held out one language at a time: what is learned
            # in the others must carry over.
            part = name if lang == "en" else f"{name}_{lang}"
            out.setdefault(part, []).append(
                Draft(r["id"], r["text"], r["expected"] == "flag", cats, tuple(r["spans"]), part, lang)
            )
    return out


def _positions(text: str, span: str) -> list[tuple[int, int]]:
    out, start = [], 0
    while span and (i := text.find(span, start)) >= 0:
        out.append((i, i + len(span)))
        start = i + 1
    return out


def gold_positions(d: Draft) -> list[tuple[int, int, str]]:
    """Each gold span's offsets and category (spans and categories pair up when counts match)."""
    out = []
    for k, span in enumerate(d.spans):
        if len(d.categories) == 1:
            cat = d.categories[0]
        elif len(d.categories) == len(d.spans):
            cat = d.categories[k]
        else:
            cat = d.categories[0]
        out.extend((a, b, cat) for a, b in _positions(d.text, span))
    return out


@dataclass
class Example:
    draft: Draft
    spans: list[tuple[int, int]]
    windows: list[tuple[int, int]]
    enc: Encoded
    x: Array
    feats: list[list[int]]
    y: npt.NDArray[np.int64]
    rule_spans: list[tuple[int, int]]
    bias_hits: list[bias.BiasHit]
    fact_spans: list[tuple[int, int]]


def rule_spans(text: str) -> tuple[list[tuple[int, int]], list[bias.BiasHit], list[tuple[int, int]]]:
    """What flags a draft without the learned reading: the bias phrase rules and the
    sensitive-facts guard (as ``rai eval drafts`` counts them); the bias rules' own hits, which
    keep the learned reading off their sentences as in the guard; and the sensitive facts'."""
    ctx = GuardContext("feedback", Stage.DRAFT)
    hits = bias.find_bias(text)
    facts = [
        (f.span.start, f.span.end)
        for f in sensitive_facts.check_sensitive_facts(text, ctx)
        if f.span is not None and f.verdict is not Verdict.ADVICE
    ]
    return [(h.start, h.end) for h in hits] + facts, hits, facts


def encode_draft(d: Draft) -> Example:
    served = bias._without_work_phrases(d.text)  # what the guard's learned reading reads
    spans = split(served)
    windows = windows_of(len(spans))
    enc = encode_sentences(served, spans, words=True)
    gold = gold_positions(d)
    labels = []
    for i, j in windows:
        a, b = spans[i][0], spans[j][1]
        cat = next((c for ga, gb, c in gold if ga < b and a < gb), None)
        labels.append(CATEGORIES.index(cat) if cat else 0)
    x = enc.vectors(windows) if windows else np.zeros((0, 512), np.float32)
    feats = [enc.features(i, j) for i, j in windows]
    rules, hits, facts = rule_spans(d.text)
    return Example(d, spans, windows, enc, x, feats, np.asarray(labels, dtype=np.int64), rules, hits, facts)


def train(encs: Sequence[Example], seed: int = 0) -> Classifier:
    x = np.vstack([e.x for e in encs if len(e.x)])
    y = np.concatenate([e.y for e in encs])
    feats = [f for e in encs for f in e.feats]
    n = len(CATEGORIES)
    params = stage1.train_mlp(x, y, seed, n_cls=n, epochs=EPOCHS, hidden=HIDDEN)
    hashes, hs, hb = stage1.train_hashed(feats, y, seed, n_cls=n)
    rows = np.full(1 << BITS, -1, dtype=np.int32)
    rows[hashes] = np.arange(len(hashes), dtype=np.int32)
    return Classifier(CATEGORIES, True, params["w1"], params["b1"], params["w2"], params["b2"], rows, hs, hb)


def window_scores(clf: Classifier, e: Example) -> list[SentenceHit]:
    """Every window's category and score as the guard computes them, whatever the bar."""
    return LearnedBias(clf, {}).window_scores(e.enc, e.windows)


Reader = Callable[[list[tuple[int, int]]], list[SentenceHit]]
#: A held-out draft: its windows' scores and the fold's model reading parts of it alone.
Row = tuple["Example", list[SentenceHit], Reader]


def reader(clf: Classifier, e: Example) -> Reader:
    """The fold's model reading spans of the draft alone, as the guard's
    :meth:`LearnedBias.read` does; remembered, since choosing the bars judges a draft many times."""
    model = LearnedBias(clf, {})
    served = bias._without_work_phrases(e.draft.text)
    memo: dict[tuple[int, int], SentenceHit] = {}

    def read(spans: list[tuple[int, int]]) -> list[SentenceHit]:
        todo = [s for s in spans if s not in memo]
        if todo:
            memo.update(zip(todo, model.read(served, todo), strict=True))
        return [memo[s] for s in spans]

    return read


Bars = Mapping[str, float]


def judge(row: Row, bars: Bars | None, fair_bar: float = 0.0) -> tuple[bool, int, int]:
    """Flagged?, gold spans found, gold spans in all, as the guard judges: the rules' hits but
    those on a sentence read below ``fair_bar`` (:func:`bias.fair_rule_hits`), plus the windows
    that clear their kind's bar and that the guard would keep (:func:`bias.select_learned`).
    ``bars`` None: the rules alone."""
    e, scored, read = row
    if bars is None:
        found_spans = list(e.rule_spans)
    else:
        picked, _, kept = bias.judge_with_rules(e.draft.text, e.bias_hits, scored, bars, fair_bar, read)
        found_spans = e.fact_spans + [(h.start, h.end) for h in kept] + [(h.start, h.end) for h, _, _ in picked]
    found = sum(
        1
        for span in e.draft.spans
        if any(ga < pb and pa < gb for ga, gb in _positions(e.draft.text, span) for pa, pb in found_spans)
    )
    return bool(found_spans), found, len(e.draft.spans)


def same_bar(bar: float) -> dict[str, float]:
    return dict.fromkeys(CATEGORIES[1:], bar)


def choose_fair_bar(pooled: Sequence[Row]) -> tuple[float, dict[str, int]]:
    """The highest bar (of 0.01 .. :data:`FAIR_BAR_CAP`) below which a rule hit is read as fair
    (:func:`bias.fair_rule_hits`), such that at most :data:`FAIR_LOSS` of the rule hits on gold
    spans of held-out flag drafts would be left as advice; and the counts behind it."""
    on_gold: list[float] = []
    on_pass: list[float] = []
    for e, scored, _ in pooled:
        gold = [p for span in e.draft.spans for p in _positions(e.draft.text, span)]
        for h, score, _ in bias.fair_rule_hits(e.bias_hits, scored, 1.01):
            if not e.draft.flag:
                on_pass.append(score)
            elif any(a < h.end and h.start < b for a, b in gold):
                on_gold.append(score)
    chosen = 0.0
    for bar in (round(float(b), 2) for b in np.arange(0.01, FAIR_BAR_CAP + 0.001, 0.01)):
        if sum(1 for s in on_gold if s < bar) <= FAIR_LOSS * len(on_gold):
            chosen = bar
    counts = {
        "rule_hits_on_gold": len(on_gold),
        "of_them_read_fair": sum(1 for s in on_gold if s < chosen),
        "rule_hits_on_pass_drafts": len(on_pass),
        "of_them_read_fair_pass": sum(1 for s in on_pass if s < chosen),
    }
    return chosen, counts


def choose_bars(pooled: Sequence[Row], budget: float, fair_bar: float = 0.0) -> dict[str, float]:
    """One bar per bias kind (none below :data:`MIN_BAR`), chosen on out-of-source judgements:
    start from the best single bar within the false-positive budget, then move each kind's bar in turn (twice round) to the
    value with the best F1 (ties: span recall, then the higher bar) that keeps within budget."""

    def key(f: dict[str, float], bar: float) -> tuple[float, float, float]:
        return (f["f1"], f["span_recall"], bar)

    grid = [round(float(b), 2) for b in np.arange(MIN_BAR, 0.99, 0.01)]
    best: tuple[tuple[float, float, float], dict[str, float]] | None = None
    for b in grid:
        f = figures(pooled, same_bar(b), fair_bar)
        if f["fpr"] <= budget and (best is None or key(f, b) > best[0]):
            best = (key(f, b), same_bar(b))
    if best is None:
        return same_bar(0.99)
    bars = dict(best[1])
    for _ in range(2):
        for cat in CATEGORIES[1:]:
            here: tuple[tuple[float, float, float], float] | None = None
            for b in grid:
                f = figures(pooled, bars | {cat: b}, fair_bar)
                if f["fpr"] <= budget and (here is None or key(f, b) > here[0]):
                    here = (key(f, b), b)
            if here is not None:
                bars[cat] = here[1]
    return bars


def figures(rows: Sequence[Row], bars: Bars | None, fair_bar: float = 0.0) -> dict[str, float]:
    tp = fp = fn = tn = 0
    sf = st = 0
    for row in rows:
        e = row[0]
        flagged, found, total = judge(row, bars, fair_bar)
        if e.draft.flag:
            tp += flagged
            fn += not flagged
            sf += found
            st += total
        else:
            fp += flagged
            tn += not flagged
    prec = tp / max(tp + fp, 1)
    rec = tp / max(tp + fn, 1)
    return {
        "precision": round(prec, 3),
        "recall": round(rec, 3),
        "f1": round(2 * prec * rec / max(prec + rec, 1e-9), 3),
        "fpr": round(fp / max(fp + tn, 1), 3),
        "span_recall": round(sf / max(st, 1), 3),
        "n_flag": tp + fn,
        "n_pass": fp + tn,
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heldout", action="store_true", help="only the held-out report; write no model")
    args = ap.parse_args(argv)
    sources = load_sources()
    print({k: len(v) for k, v in sources.items()}, flush=True)
    t0 = time.perf_counter()
    encoded = {name: [encode_draft(d) for d in items] for name, items in sources.items()}
    print(f"encoded in {time.perf_counter() - t0:.0f} s", flush=True)
    scored: dict[str, list[Row]] = {}
    for name in sources:
        t0 = time.perf_counter()
        clf = train([e for other, es in encoded.items() if other != name for e in es])
        scored[name] = [(e, window_scores(clf, e), reader(clf, e)) for e in encoded[name]]
        print(f"  held out {name}: {time.perf_counter() - t0:.0f} s", flush=True)
    pooled = [r for rows in scored.values() for r in rows]
    fair_bar, fair_counts = choose_fair_bar(pooled)
    print(f"fair bar {fair_bar}: {fair_counts}", flush=True)
    curve = {round(b, 2): figures(pooled, same_bar(round(b, 2)), fair_bar) for b in np.arange(0.30, 0.99, 0.01)}
    budget = figures(pooled, None)["fpr"] + EXTRA_FPR
    ok = {b: f for b, f in curve.items() if f["fpr"] <= budget and b >= MIN_BAR}
    single = max(ok, key=lambda b: (ok[b]["f1"], b)) if ok else 0.99
    bars = choose_bars(pooled, budget, fair_bar)
    report = {
        "bars": bars,
        "fair_bar": fair_bar,
        "fair_loss": FAIR_LOSS,
        "fair_counts": fair_counts,
        "single_bar": single,
        "single_bar_pooled": figures(pooled, same_bar(single), fair_bar),
        "no_fair_bar_pooled": figures(pooled, bars),
        "extra_fpr": EXTRA_FPR,
        "rules_alone": {name: figures(rows, None) for name, rows in scored.items()}
        | {"pooled": figures(pooled, None)},
        "with_model": {name: figures(rows, bars, fair_bar) for name, rows in scored.items()}
        | {"pooled": figures(pooled, bars, fair_bar)},
        "curve": curve,
    }
    for b in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        print(f"  bar {b}: {curve[b]}")
    print(f"one bar for every kind: {single} -> {report['single_bar_pooled']}")
    print(f"no rule hit read as fair: {report['no_fair_bar_pooled']}")
    print(f"bars {bars}")
    print(f"{'held-out source':<14} rules alone: P R F1 FPR span      with the model: P R F1 FPR span")
    for name in [*scored, "pooled"]:
        a, b = report["rules_alone"][name], report["with_model"][name]
        print(
            f"{name:<14} {a['precision']:.3f} {a['recall']:.3f} {a['f1']:.3f} {a['fpr']:.3f} {a['span_recall']:.3f}"
            f"      {b['precision']:.3f} {b['recall']:.3f} {b['f1']:.3f} {b['fpr']:.3f} {b['span_recall']:.3f}"
        )
    if args.heldout:
        return 0
    REPORT_FILE.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    clf = train([e for es in encoded.values() for e in es])
    stage1.save(clf, MODEL_FILE)
    BARS_FILE.write_text(
        json.dumps(
            {"bars": bars, "fair_bar": fair_bar, "extra_fpr": EXTRA_FPR, "pair_margin": PAIR_MARGIN}, indent=1
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"model -> {MODEL_FILE}, bars -> {BARS_FILE}, report -> {REPORT_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
