"""Latency of the draft-stage guards (bias, sensitive_facts, grounding, quality) on one core.

Run: ``python bench/bench_output_guards.py``. Prints p50 and p95 in milliseconds for each guard
and for all four together, on drafts of about 200, 1,000 and 5,000 characters. Target: the whole
output stage under 10 ms (p50) for 1,000 characters.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import p50_p95  # noqa: E402
from rai_assistant.guards.bias import check_bias  # noqa: E402
from rai_assistant.guards.grounding import check_grounding  # noqa: E402
from rai_assistant.guards.quality import check_quality  # noqa: E402
from rai_assistant.guards.sensitive_facts import check_sensitive_facts  # noqa: E402
from rai_assistant.types import Finding, GuardContext, Stage  # noqa: E402

# A mix of clean and flagged sentences, written for the benchmark.
_SENTENCES = (
    "Morgan rebuilt the supplier scorecard and cut late deliveries from 14% to 6% in Q2.",
    "She can be abrasive in planning meetings and the newer analysts avoid her.",
    "Her rollout plan for the Harbor Point warehouse was aggressive but every milestone held.",
    "Despite his hearing loss, Idris runs the dispatch desk well.",
    "He led the diabetes-awareness drive and raised $18,500 for the clinic on March 12.",
    "At 59, Walt may be set in their ways about the new routing software.",
    "Next quarter she should share the checklist with the other three depots.",
    'The client said the handover was "the smoothest we have had" and renewed for two years.',
    "Aria is a rockstar with a great attitude.",
    "Ben interrupted two colleagues in Tuesday's review; next time he should let them finish.",
)
_NOTES = (
    "Morgan: scorecard rebuild, late deliveries 14% -> 6% in Q2. Harbor Point rollout on time. "
    "Drive raised $18,500, March 12. Renewal two years. Share checklist with 3 depots."
)
_CTX = GuardContext(
    feature="feedback", stage=Stage.DRAFT, notes=_NOTES, people=("Morgan", "Idris", "Walt", "Aria", "Ben")
)


def _draft(chars: int) -> str:
    out: list[str] = []
    i = 0
    while sum(len(s) + 1 for s in out) < chars:
        out.append(_SENTENCES[i % len(_SENTENCES)])
        i += 1
    return " ".join(out)[:chars]


def _all(text: str, ctx: GuardContext) -> Sequence[Finding]:
    return [
        *check_bias(text, ctx),
        *check_sensitive_facts(text, ctx),
        *check_grounding(text, ctx),
        *check_quality(text, ctx),
    ]


def _time(fn: Callable[[str, GuardContext], Sequence[Finding]], text: str, runs: int) -> tuple[float, float]:
    fn(text, _CTX)  # first call compiles the patterns
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(text, _CTX)
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return p50_p95(samples)


def main() -> None:
    guards: dict[str, Callable[[str, GuardContext], Sequence[Finding]]] = {
        "bias": check_bias,
        "sensitive_facts": check_sensitive_facts,
        "grounding": check_grounding,
        "quality": check_quality,
        "all four": _all,
    }
    print(f"{'guard':<16} {'chars':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for chars, runs in ((200, 300), (1000, 200), (5000, 50)):
        text = _draft(chars)
        for name, fn in guards.items():
            p50, p95 = _time(fn, text, runs)
            print(f"{name:<16} {len(text):>6} {p50:>8.2f} {p95:>8.2f}")


if __name__ == "__main__":
    main()
