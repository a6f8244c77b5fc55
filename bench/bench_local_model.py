"""Load time, tokens/s and draft latency of the embedded model for a feedback prompt.

Run: ``python bench/bench_local_model.py [--runs N] [--threads N]``. Also reports how often the
shaped draft keeps the subject placeholder over ten varied notes written for this benchmark.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from langchain_core.messages import HumanMessage, SystemMessage

from assistant.types import Clause, Passage
from plugins._chat_models import _load_llama
from plugins.features import FEATURES, FeedbackInput
from plugins.models import local_model_path, make_local

NOTES = (
    "Led the migration of the billing database to the new cluster over a weekend with zero "
    "downtime. Wrote a runbook the on-call team now uses. Sometimes skips code review.",
    "Handled three customer escalations this month and turned two into renewals. Call notes "
    "in the CRM are often missing, which makes handovers hard.",
    "Organised the quarterly planning offsite under budget and ran the agenda. Presentations "
    "ran 20 minutes over each session.",
    "Cut the warehouse picking error rate from 3% to 1% by relabelling the shelves. Trained "
    "the night shift on the new scanner. Shift reports arrive late.",
    "Rewrote the onboarding guide for new nurses on the ward; new starters say it is clear. "
    "Covered four extra shifts in the flu season. Could speak up more in handovers.",
    "Closed the books two days early every month this quarter. Built a reconciliation "
    "spreadsheet the team reuses. Answers emails slowly.",
    "Designed the new landing page; sign-ups rose 12% in the first month. Ran interviews "
    "with eight customers. Design files are hard to find.",
    "Mentored two interns who both shipped their projects. Gave a clear talk on testing at "
    "the all-hands. Task estimates are often too optimistic.",
    "Kept the lab equipment inventory accurate all term. Planned the science fair with 40 "
    "projects. Lesson plans are shared the night before.",
    "Negotiated a supplier contract that saved 8% on packaging. Documented the purchase "
    "approval process. Meeting notes are not always sent after calls.",
)

PASSAGES = [
    Passage(
        Clause(
            "4.2",
            "bench",
            "4",
            "Acceptable use, item 2",
            "Do not generate content that expresses or promotes hate, harassment, or violence, "
            "or presents false, deceiving or misleading information.",
            "bench",
        ),
        0.8,
    ),
    Passage(
        Clause("3.fairness", "bench", "3", "Fairness", "Avoid bias and discrimination.", "bench"),
        0.6,
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=len(NOTES), help="feedback drafts to time")
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads")
    args = parser.parse_args()

    spec = next(f for f in FEATURES if f.name == "feedback")
    options: dict[str, object] = {"max_tokens": spec.max_tokens, "timeout": 300}
    if args.threads:
        options["n_threads"] = args.threads
    model = make_local("local", options)

    started = time.perf_counter()
    _load_llama(str(local_model_path()), 2048, model.n_threads)  # type: ignore[attr-defined]
    load = time.perf_counter() - started

    latencies: list[float] = []
    rates: list[float] = []
    kept = 0
    for notes in (NOTES * ((args.runs // len(NOTES)) + 1))[: args.runs]:
        prompt = spec.build_prompt(FeedbackInput(subject="[PERSON_1]", notes=notes), PASSAGES)
        started = time.perf_counter()
        reply = model.invoke([SystemMessage(prompt.system), HumanMessage(prompt.user)])
        elapsed = time.perf_counter() - started
        tokens = int(reply.response_metadata["completion_tokens"])
        latencies.append(elapsed)
        rates.append(tokens / elapsed)
        kept += "[PERSON_1]" in spec.shape_output(str(reply.content))

    print(f"threads             {model.n_threads}")  # type: ignore[attr-defined]
    print(f"load                {load * 1000:.0f} ms")
    print(f"drafts              {len(latencies)}")
    print(f"latency median      {statistics.median(latencies):.2f} s")
    print(f"latency max         {max(latencies):.2f} s")
    print(f"tokens/s (median)   {statistics.median(rates):.1f}  (prompt processing included)")
    print(f"placeholder kept    {kept}/{len(latencies)}")


if __name__ == "__main__":
    main()
