"""Policy retrieval latency: embedded index, a `chroma run` server, and growth to 1,000 policies.

    python bench/bench_retrieval.py [--max-docs 1000] [--queries 200] [--no-server]

Prints query p50/p95 (one search: embed the question, chromadb query, BM25, fusion) for the
built-in policy on an embedded index and on a server index this script starts itself, then the
same with 1, 10, 100 and 1,000 synthetic policy documents indexed beside it, with the time each
growth step took to index (only the new documents are embedded).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import p50_p95  # noqa: E402
from rai_assistant import policy_corpus  # noqa: E402
from rai_assistant.embeddings import get_embedder  # noqa: E402
from rai_assistant.policy import parse_policy  # noqa: E402
from rai_assistant.retrieval import PolicyIndex  # noqa: E402
from rai_assistant.types import PolicyDocument  # noqa: E402

from tests.chroma_server import chroma_server  # noqa: E402

# Our own questions (not from any evaluation file).
QUESTIONS = (
    "Could I have it suggest which shares to put my bonus into?",
    "Is writing a profile for a matchmaking app an allowed use?",
    "Am I allowed to say I wrote the feedback myself when the tool produced it?",
    "Can I run a script that crawls every page of the platform and saves it?",
    "How do I get the hidden prompt the model was given?",
    "Does the vendor behind the model use our staff records to train its AI?",
    "Could the generated text be unfair to older employees?",
    "What is the office's street address?",
    "What are the penalties for abusing the AI features?",
    "Should I double-check the summary it wrote before sending it to my director?",
)

_TOPICS = (
    "expense claims",
    "travel booking",
    "remote work",
    "laptop security",
    "password rotation",
    "customer data",
    "supplier gifts",
    "overtime",
    "parental leave",
    "sick leave",
    "code review",
    "open source licences",
    "social media",
    "press enquiries",
    "conflicts of interest",
    "workplace safety",
    "visitor access",
    "records retention",
    "performance reviews",
    "hiring",
    "training budgets",
    "mobile phones",
    "printing",
    "cloud storage",
    "incident reporting",
)
_VERBS = ("must", "should", "may not", "are expected to", "need approval to")
_ACTIONS = (
    "inform their manager",
    "keep receipts for five years",
    "use the approved tool",
    "encrypt the files",
    "ask the compliance team",
    "record the decision in the register",
    "limit access to the people who need it",
    "delete copies after thirty days",
    "report it within two working days",
    "follow the regional guidance",
)


def synthetic_policy(n: int, rng: random.Random) -> PolicyDocument:
    """A small Markdown handbook with numbered sections and list items."""
    lines = [f"# Handbook {n}", ""]
    for section in range(1, 5):
        topic = rng.choice(_TOPICS)
        lines += [f"## {section}. {topic.title()}", "", "Employees agree to the following:", ""]
        for item in range(1, 3):
            lines.append(
                f"{item}. For {topic} in unit {n}-{section}, staff {rng.choice(_VERBS)} "
                f"{rng.choice(_ACTIONS)} and {rng.choice(_ACTIONS)}."
            )
        lines.append("")
    return parse_policy("\n".join(lines), f"handbook-{n}")


def _measure(index: PolicyIndex, queries: int) -> tuple[float, float]:
    index.search(QUESTIONS[0])  # warm: first query loads caches
    times = []
    for i in range(queries):
        start = time.perf_counter()
        index.search(QUESTIONS[i % len(QUESTIONS)], k=5)
        times.append((time.perf_counter() - start) * 1000)
    return p50_p95(times)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-docs", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-server", action="store_true")
    args = parser.parse_args(argv)

    embedder = get_embedder()
    builtin = policy_corpus.builtin_policy()
    work = Path(tempfile.mkdtemp(prefix="bench-retrieval-"))
    try:
        start = time.perf_counter()
        embedded = PolicyIndex([builtin], embedder, work / "embedded")
        embedded.ensure_index()
        build = time.perf_counter() - start
        p50, p95 = _measure(embedded, args.queries)
        print(f"embedded, built-in policy: index {build:.1f} s; query p50 {p50:.1f} ms, p95 {p95:.1f} ms")

        if not args.no_server:
            with chroma_server(work / "server") as url:
                served = PolicyIndex([builtin], embedder, url=url)
                served.ensure_index()
                p50, p95 = _measure(served, args.queries)
                print(f"chroma server, built-in policy: query p50 {p50:.1f} ms, p95 {p95:.1f} ms")

        rng = random.Random(7)
        docs: list[PolicyDocument] = []
        for size in (1, 10, 100, 1000):
            if size > args.max_docs:
                break
            docs += [synthetic_policy(n, rng) for n in range(len(docs), size)]
            start = time.perf_counter()
            grown = PolicyIndex([builtin, *docs], embedder, work / "embedded")
            grown.ensure_index()
            build = time.perf_counter() - start
            chunks = sum(len(d.clauses) for d in docs)
            p50, p95 = _measure(grown, args.queries)
            print(
                f"embedded, built-in + {size:>4} documents ({chunks} clauses): "
                f"index step {build:.1f} s; query p50 {p50:.1f} ms, p95 {p95:.1f} ms"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
