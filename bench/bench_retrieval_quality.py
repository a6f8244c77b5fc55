"""Policy retrieval quality on our own question sets, leave one source out.

    python bench/bench_retrieval_quality.py [--l2 0.01]

For each source in ``training/data/questions/`` (employees, managers, HR partners, lawyers,
customers' admins; English, Spanish, French, German), the reranker is trained on the other
sources only and scored on the held-back one. Prints recall@1, recall@3 and MRR per held-out
source and overall (every held-out question once), split by language, beside the first stage
alone (MiniLM + BM25 fusion, no reranker) on the same questions.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rai_assistant._eval_questions import question_metrics  # noqa: E402

from training.retrieval.train_reranker import (  # noqa: E402
    Example,
    build_index,
    collect,
    fit,
    load_questions,
    ranking,
)


def _metrics(examples: Sequence[Example], rankings: dict[str, list[str]]) -> dict[str, float]:
    gold = [{"id": e.id, "gold": sorted(e.gold)} for e in examples]
    pred = [{"id": e.id, "clauses": rankings[e.id]} for e in examples]
    return question_metrics(gold, pred)


def _line(
    label: str, examples: Sequence[Example], base: dict[str, list[str]], rr: dict[str, list[str]]
) -> str:
    b = _metrics(examples, base)
    r = _metrics(examples, rr)
    return (
        f"{label:<24} {len(examples):>4}   "
        f"{b['recall@1']:.3f} {b['recall@3']:.3f} {b['mrr']:.3f}   "
        f"{r['recall@1']:.3f} {r['recall@3']:.3f} {r['mrr']:.3f}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=0.01)
    args = parser.parse_args(argv)

    questions = load_questions()
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-quality-") as work:
        examples = collect(build_index(Path(work)), questions)

    base = {e.id: ranking(e, None) for e in examples}
    reranked: dict[str, list[str]] = {}
    for source in questions:
        model = fit([e for e in examples if e.source != source], l2=args.l2)
        for e in examples:
            if e.source == source:
                reranked[e.id] = ranking(e, model)

    header = f"{'held-out set':<24} {'n':>4}   first stage: R@1 R@3 MRR   reranked: R@1 R@3 MRR"
    print(header)
    print("-" * len(header))
    for source in questions:
        held = [e for e in examples if e.source == source]
        print(_line(source, held, base, reranked))
    print("-" * len(header))
    print(_line("overall", examples, base, reranked))
    for lang in ("en", "es", "fr", "de"):
        some = [e for e in examples if e.lang == lang]
        if some:
            print(_line(f"  {lang}", some, base, reranked))
    two = [e for e in examples if len(e.gold) > 1]
    print(_line("  two gold clauses", two, base, reranked))
    other = [e for e in examples if not any(g.startswith("4.") for g in e.gold)]
    print(_line("  outside section 4", other, base, reranked))


if __name__ == "__main__":
    main()
