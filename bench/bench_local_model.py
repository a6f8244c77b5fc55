"""The embedded model: load time, draft latency, and how faithful its drafts are to the notes.

Run: ``python bench/bench_local_model.py [--runs N] [--threads N]`` for speed (feedback drafts),
or ``python bench/bench_local_model.py --faithfulness [--prompts FILE]`` to draft twelve notes per
feature (written for this benchmark) and count, per feature:

- subject kept: feedback and goal keep the subject's placeholder, a self-review starts in the
  first person, a summary has its "Strengths:" heading;
- stray placeholders: drafts with a placeholder the request did not have (the road refuses them);
- invented: sentences the grounding guard's sentence check flags (content words mostly not in
  the notes), out of all sentences;
- copied: drafts repeating a pair of content words from the prompt's examples (few-shot turns,
  or an "Example: ..." in the system message) that the notes do not have (``--show`` lists them).

``--prompts FILE`` loads the features from another copy of ``plugins/features.py``, to compare
an old prompt with the current one on the same notes.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from rai_assistant.guards.grounding import content_stems, unsupported_sentences
from rai_assistant.plugins._chat_models import _load_llama
from rai_assistant.plugins.models import local_model_path, make_local
from rai_assistant.policy import load_policy_file
from rai_assistant.types import FeatureSpec, Passage, Prompt

ROOT = Path(__file__).resolve().parent.parent

# Notes written for this benchmark: varied trades, 1-4 sentences, some naming a second person.
FEEDBACK = (
    "Rebuilt the night-shift handover sheet for the ICU. Nurses now finish handover sooner.",
    "Took over the Lisbon trade-show booth when [PERSON_2] fell ill and booked 14 follow-up "
    "meetings. Forgot to log the leads in the CRM until a week later.",
    "Wrote the checkout redesign proposal and ran two rounds of usability tests. Cart "
    "abandonment dropped after launch. Specs often arrive late for the engineers.",
    "Answered 60 tenant repair requests in March. Tenants praised the quick replies.",
    "Paired with [PERSON_2] to clean up the payroll export script; the monthly run no longer "
    "fails. Sometimes merges without tests.",
    "Coached the under-12 football volunteers on the new safety rules.",
    "Catalogued 300 donated books for the library's local history room and set up a volunteer "
    "rota. Labels on some shelves are still handwritten.",
    "Negotiated cheaper freight rates with two haulage firms. Shared a clear cost comparison "
    "with finance. Replies to emails late in the day. Misses some stand-ups.",
    "Led the bridge inspection at the river crossing with [PERSON_2] and found corrosion early. "
    "The report was thorough but two days late.",
    "Designed the menu for the new vegan lunch service; lunch sales grew every week in May.",
    "Migrated the school gradebook to the new system over the summer. Trained 25 teachers in "
    "short sessions. Some teachers still find the export confusing.",
    "Fixed the flaky login test that blocked releases. Asks good questions in planning. Could "
    "write down decisions more.",
)
GOAL = (
    "Wants to get certified in forklift safety before peak season.",
    "Reduce the number of late invoices; currently about 30 a month.",
    "Should take over the weekly sales report from [PERSON_2] and automate it.",
    "Improve first-call resolution on the help desk.",
    "Publish two blog posts a month about the new API.",
    "Cut food waste in the kitchen by tracking leftovers daily.",
    "Learn Spanish to speak with suppliers in Mexico.",
    "Shorten the hiring process for warehouse staff, which takes six weeks now.",
    "Mentor [PERSON_2] through their first audit.",
    "Raise patient satisfaction scores on ward 4.",
    "Finish moving the old backups to cloud storage.",
    "Run a monthly fire drill at the plant and log the results.",
)
SELF_REVIEW = (
    "Shipped the offline mode for the field app. Fixed 40 bugs reported by drivers. Want to "
    "get better at estimating.",
    "Organised the charity run with [PERSON_2]; 120 staff took part. I missed a few budget updates.",
    "Took over the payroll queue in January and cleared the backlog by March.",
    "Trained three new baristas and wrote the opening checklist. My stock orders are sometimes late.",
    "Rewrote the tenancy agreement templates with legal, which cut review time per contract.",
    "Ran the customer survey and presented the results to the board. Need to delegate more.",
    "Covered night shifts during the flu outbreak. Mentored [PERSON_2] on triage.",
    "Built the inventory dashboard for the three stores. Struggled to meet deadlines in Q2.",
    "Led the switch to electronic lab notebooks. Some colleagues still use paper.",
    "Closed 18 support tickets a day on average. Wrote five help articles.",
    "Planned the spring concert for the school choir and raised money for new robes.",
    "Cleaned up the vendor list and renegotiated two cleaning contracts. I want to learn SQL.",
)
SUMMARY = (
    ["Explains the data pipeline clearly in reviews.", "Often late to stand-up.",
     "Very helpful when I was stuck on the parser."],
    ["Great with customers on the phone.", "Needs to update tickets more often."],
    ["Her lesson plans are creative.", "Marks homework slowly.", "Parents like her newsletters."],
    ["[PERSON_2]: keeps the building site safe and tidy.", "Could plan deliveries further ahead."],
    ["Writes thorough test plans.", "Rarely speaks in design meetings.",
     "Good at spotting edge cases."],
    ["Handled the product recall calmly.", "Reports have spelling mistakes."],
    ["Builds strong relationships with suppliers.",
     "Sometimes commits to deadlines the team cannot meet.", "Shares credit generously."],
    ["The new rota is much fairer.", "Could give feedback more directly."],
    ["Quick, accurate bookkeeping.", "Month-end close is always on time.",
     "Should learn the new tax software."],
    ["Patient with new nurses.", "Charts are sometimes incomplete."],
    ["Her designs are clean and accessible.", "Misses comments in review threads.",
     "Helped [PERSON_2] learn the design tool."],
    ["Knows the grant rules well.", "Emails are long and hard to follow."],
)  # fmt: skip

_PLACEHOLDER_RE = re.compile(r"\[[A-Z][A-Z_]*_\d+\]")
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\n")
_INLINE_EXAMPLE_RE = re.compile(r"Example:(.*?)(?=\n- |\n\n|$)", re.DOTALL)


def _passages() -> list[Passage]:
    """Three real clauses, as retrieval returns them for feedback notes."""
    document = load_policy_file(ROOT / "policy_corpus" / "responsible-ai-policy.txt")
    by_id = {c.id.rsplit(":", 1)[-1]: c for c in document.clauses}
    return [Passage(by_id[i], 0.8 - n / 10) for n, i in enumerate(("4.2", "3.fairness", "4.3"))]


def _features(path: str | None) -> dict[str, FeatureSpec]:
    module: ModuleType
    if path is None:
        import rai_assistant.plugins.features as module
    else:
        spec = importlib.util.spec_from_file_location("_bench_features", path)
        if spec is None or spec.loader is None:
            raise SystemExit(f"cannot load features from {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # pydantic resolves the models' annotations through it
        spec.loader.exec_module(module)
    return {f.name: f for f in module.FEATURES}


def _messages(prompt: Prompt) -> list[BaseMessage]:
    # As the road sends them: system, then each example turn pair, then the request.
    messages: list[BaseMessage] = [SystemMessage(prompt.system)]
    for asked, answered in prompt.examples:
        messages += [HumanMessage(asked), AIMessage(answered)]
    return [*messages, HumanMessage(prompt.user)]


def _pairs(text: str) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for sentence in _SENTENCE_RE.split(text):
        stems = content_stems(sentence)
        pairs |= set(zip(stems, stems[1:], strict=False))
    return pairs


def _copied(draft: str, prompt: Prompt, notes: str) -> list[str]:
    """Content-word pairs of the draft found in the prompt's examples but not in the notes.

    Examples are the few-shot turns, or an "Example: ..." written into the system message.
    """
    inline = _INLINE_EXAMPLE_RE.findall(prompt.system)
    source = "\n".join([*inline, *(a + "\n" + b for a, b in prompt.examples)])
    known = set(content_stems(notes))
    # a pair the request itself asks for (its due date, its wording) is not a copy
    hits = (_pairs(draft) & _pairs(source)) - _pairs(prompt.user)
    return sorted(" ".join(p) for p in hits if not set(p) <= known)


def _subject_kept(feature: str, draft: str) -> bool:
    if feature == "self_review":
        return bool(re.match(r"I\b", draft))
    if feature == "summary":
        return "Strengths:" in draft
    return "[PERSON_1]" in draft


def _cases(feature: str) -> Sequence[dict[str, object]]:
    if feature == "feedback":
        return [{"subject": "[PERSON_1]", "notes": n} for n in FEEDBACK]
    if feature == "goal":
        # the due date varies, so copying an example's due date shows
        dues: list[dict[str, object]] = [{}, {"horizon": "6 months"}, {"due": "2026-03-31"}]
        return [{"owner": "[PERSON_1]", "notes": n, **dues[i % 3]} for i, n in enumerate(GOAL)]
    if feature == "self_review":
        return [{"author": "[PERSON_1]", "notes": n} for n in SELF_REVIEW]
    return [{"subject": "[PERSON_1]", "feedback": c} for c in SUMMARY]


def faithfulness(
    model: BaseChatModel, features: dict[str, FeatureSpec], show: bool, only: Sequence[str] = ()
) -> None:
    passages = _passages()
    print(f"{'feature':12} {'subject kept':>12} {'stray ph.':>9} {'invented':>10} {'copied':>7}  s/draft")
    totals = [0, 0, 0, 0, 0, 0]
    for name in only or ("feedback", "goal", "self_review", "summary"):
        spec = features[name]
        kept = stray = invented = sentences = copied = 0
        started = time.perf_counter()
        cases = _cases(name)
        for fields in cases:
            inputs = spec.input_model.model_validate(fields)
            notes = str(getattr(inputs, spec.notes_fields[0]))
            prompt = spec.build_prompt(inputs, passages)
            reply = model.invoke(_messages(prompt), max_tokens=spec.max_tokens)
            draft = spec.shape_output(str(reply.content))
            allowed = {"[PERSON_1]", *_PLACEHOLDER_RE.findall(notes)}
            bad = set(_PLACEHOLDER_RE.findall(draft)) - allowed
            flagged = unsupported_sentences(draft, notes)
            pairs = _copied(draft, prompt, notes)
            kept += _subject_kept(name, draft)
            stray += bool(bad)
            invented += len(flagged)
            sentences += len([s for s in _SENTENCE_RE.split(draft) if len(content_stems(s)) > 0])
            copied += bool(pairs)
            if show:
                print(f"\n--- {name}: {notes!r}\n{draft}")
                for span, share in flagged:
                    print(f"  INVENTED ({share:.2f}): {span.text}")
                if pairs:
                    print(f"  COPIED: {pairs}")
                if bad:
                    print(f"  STRAY: {sorted(bad)}")
        per = (time.perf_counter() - started) / len(cases)
        n = len(cases)
        print(
            f"{name:12} {kept:>9}/{n:<2} {stray:>6}/{n:<2} {invented:>5}/{sentences:<4} "
            f"{copied:>4}/{n:<2}  {per:.2f}"
        )
        for i, v in enumerate((kept, stray, invented, sentences, copied, n)):
            totals[i] += v
    kept, stray, invented, sentences, copied, n = totals
    print(f"{'all':12} {kept:>9}/{n:<2} {stray:>6}/{n:<2} {invented:>5}/{sentences:<4} {copied:>4}/{n:<2}")


def speed(model: BaseChatModel, features: dict[str, FeatureSpec], runs: int) -> None:
    spec = features["feedback"]
    passages = _passages()
    started = time.perf_counter()
    _load_llama(str(local_model_path()), 2048, model.n_threads)  # type: ignore[attr-defined]
    load = time.perf_counter() - started

    latencies: list[float] = []
    rates: list[float] = []
    kept = 0
    for notes in (FEEDBACK * ((runs // len(FEEDBACK)) + 1))[:runs]:
        prompt = spec.build_prompt(
            spec.input_model.model_validate({"subject": "[PERSON_1]", "notes": notes}), passages
        )
        started = time.perf_counter()
        reply = model.invoke(_messages(prompt), max_tokens=spec.max_tokens)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=len(FEEDBACK), help="feedback drafts to time")
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads")
    parser.add_argument("--faithfulness", action="store_true", help="measure faithfulness instead")
    parser.add_argument("--prompts", default=None, help="a features.py to load instead of ours")
    parser.add_argument("--show", action="store_true", help="print each draft and what was counted")
    parser.add_argument("--only", action="append", default=[], help="measure only this feature")
    args = parser.parse_args()

    options: dict[str, object] = {"timeout": 300}
    if args.threads:
        options["n_threads"] = args.threads
    model = make_local("local", options)
    features = _features(args.prompts)
    if args.faithfulness:
        faithfulness(model, features, args.show, args.only)
    else:
        speed(model, features, args.runs)


if __name__ == "__main__":
    main()
