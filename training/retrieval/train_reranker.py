"""Train the policy-retrieval reranker from our own question sets; write its weights file.

    .venv/bin/python training/retrieval/train_reranker.py [--sources employees,managers,...]
        [--out assistant/_rerank_weights.json] [--l2 0.01]

Each question of ``training/data/questions/<source>.jsonl`` (``{"id", "question", "gold"}``) is
run through the first stage of :class:`rai_assistant.retrieval.PolicyIndex` (MiniLM and
multilingual-e5 chromadb queries, BM25) over the built-in policy and two small handbooks of our
own without hints (``training/data/policies/*.md``), as an application with a company policy
registered beside the built-in one would be; every candidate clause becomes one feature row
(:func:`rai_assistant._rerank.features`). A linear scorer is fitted with a listwise softmax loss:
the probability mass the softmax over a question's candidates puts on its gold clauses is
maximised, with an L2 penalty. Full-batch gradient descent from zero weights, no randomness: the
same questions give the same file.

``bench/bench_retrieval_quality.py`` uses the same functions to report leave-one-source-out
figures; this script trains the shipped weights on every source.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rai_assistant._rerank import FEATURES, WEIGHTS_FILE, LinearReranker, features  # noqa: E402
from rai_assistant.retrieval import PolicyIndex  # noqa: E402

QUESTIONS_DIR = ROOT / "training" / "data" / "questions"
POLICIES_DIR = ROOT / "training" / "data" / "policies"


@dataclass(frozen=True)
class Example:
    """One question's candidates, their feature rows and which of them are gold."""

    id: str
    source: str
    lang: str
    gold: frozenset[str]
    clause_ids: tuple[str, ...]
    rows: np.ndarray  # (candidates, features)
    fused: np.ndarray  # the first stage's fused score, for the baseline ranking

    @property
    def is_gold(self) -> np.ndarray:
        return np.array([c in self.gold for c in self.clause_ids], dtype=bool)


def load_questions(sources: Iterable[str] | None = None) -> dict[str, list[dict[str, object]]]:
    """The question sets by source name (every ``*.jsonl`` file when ``sources`` is None)."""
    files = sorted(QUESTIONS_DIR.glob("*.jsonl"))
    wanted = set(sources) if sources is not None else None
    out: dict[str, list[dict[str, object]]] = {}
    for file in files:
        if wanted is not None and file.stem not in wanted:
            continue
        with file.open(encoding="utf-8") as fh:
            out[file.stem] = [json.loads(line) for line in fh if line.strip()]
    if wanted is not None and set(out) != wanted:
        raise SystemExit(f"unknown source(s): {', '.join(sorted(wanted - set(out)))}")
    return out


def build_index(directory: Path) -> PolicyIndex:
    """The built-in policy and our handbooks, first stage only (the reranker is what we train)."""
    from rai_assistant import policy_corpus
    from rai_assistant.embeddings import get_embedder
    from rai_assistant.policy import parse_policy

    documents = [policy_corpus.builtin_policy()]
    for file in sorted(POLICIES_DIR.glob("*.md")):
        documents.append(parse_policy(file.read_text(encoding="utf-8"), file.stem))
    index = PolicyIndex(documents, get_embedder(), directory, reranker=None)
    index.ensure_index()
    return index


def collect(index: PolicyIndex, questions: dict[str, list[dict[str, object]]]) -> list[Example]:
    """Run the first stage on every question."""
    examples = []
    for source, items in questions.items():
        for item in items:
            text = str(item["question"])
            clause_ids, signals = index.signals(text)
            examples.append(
                Example(
                    id=str(item["id"]),
                    source=source,
                    lang=str(item.get("lang", "en")),
                    gold=frozenset(str(g) for g in item["gold"]),  # type: ignore[attr-defined]
                    clause_ids=tuple(clause_ids),
                    rows=features(signals).astype(np.float64),
                    fused=signals.fused.astype(np.float64),
                )
            )
    return examples


def fit(
    examples: Sequence[Example],
    l2: float = 0.01,
    steps: int = 3000,
    lr: float = 0.05,
    every_gold: bool = True,
) -> LinearReranker:
    """Fit the listwise softmax scorer (Adam, full batch, from zero weights).

    With ``every_gold`` the target puts equal mass on each gold clause (cross-entropy), so that a
    two-part question's second clause is pulled up too; else any gold clause on top will do.
    """
    usable = [e for e in examples if e.is_gold.any()]
    rows = np.concatenate([e.rows for e in usable])
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-6] = 1.0
    x = (rows - mean) / scale
    gold = np.concatenate([e.is_gold for e in usable]).astype(np.float64)
    sizes = np.array([len(e.clause_ids) for e in usable])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    group = np.repeat(np.arange(len(usable)), sizes)
    target = gold / np.add.reduceat(gold, starts)[group]
    w = np.zeros(x.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        s = x @ w
        s = s - np.maximum.reduceat(s, starts)[group]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[group]
        if every_gold:
            q = target
        else:
            eg = e * gold
            q = eg / np.add.reduceat(eg, starts)[group]
        grad = x.T @ (p - q) / len(usable) + l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    from rai_assistant.embeddings import E5_MODEL_ID, MODEL_ID

    return LinearReranker(w.tolist(), mean.tolist(), scale.tolist(), (MODEL_ID, E5_MODEL_ID))


def ranking(example: Example, model: LinearReranker | None) -> list[str]:
    """The candidates best first: by the reranker, or by the first stage's fused score (None)."""
    scores = model.scores(example.rows) if model is not None else example.fused
    order = sorted(range(len(example.clause_ids)), key=lambda i: (-scores[i], example.clause_ids[i]))
    return [example.clause_ids[i] for i in order]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", help="comma-separated source names (default: every file)")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("--l2", type=float, default=0.01)
    args = parser.parse_args(argv)
    questions = load_questions(args.sources.split(",") if args.sources else None)
    with tempfile.TemporaryDirectory(prefix="rai-train-rerank-") as work:
        examples = collect(build_index(Path(work)), questions)
    model = fit(examples, l2=args.l2)
    payload = model.to_json(
        trained_on=sorted(questions),
        questions=len(examples),
        l2=args.l2,
        trainer="training/retrieval/train_reranker.py",
    )
    args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(
        f"wrote {args.out} ({len(FEATURES)} features, {len(examples)} questions from {', '.join(sorted(questions))})"
    )


if __name__ == "__main__":
    main()
