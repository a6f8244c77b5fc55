"""The four built-in drafting features: feedback, goal, self_review and summary.

Each feature is an input schema, a prompt builder and an output shaper, registered through
:func:`rai_assistant.hookspecs.register_features` like a third-party feature. A feature never sees the
model, so it cannot skip a guard.

Prompts are written for the weakest model we ship (SmolLM2-135M): a short system message with the
retrieved policy clauses as one line each (cited by clause id), then few-shot chat turns (example
notes asked for exactly like the real request, and a faithful answer), then the real request with
the user's notes fenced as data. Small models follow the shape of worked turns far better than
rules; the examples are several and unlike each other so their facts are not copied.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field, field_validator
from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.errors import InputError
from rai_assistant.hookspecs import implements
from rai_assistant.prompting import fence, policy_rules
from rai_assistant.types import FeatureSpec, Passage, Prompt

__all__ = [
    "FEATURES",
    "MAX_NAME",
    "MAX_NOTES",
    "FeedbackInput",
    "GoalInput",
    "SelfReviewInput",
    "SummaryInput",
    "build_feedback_prompt",
    "build_goal_prompt",
    "build_self_review_prompt",
    "build_summary_prompt",
    "fence",
    "policy_rules",
    "register_features",
    "shape_bullets",
    "shape_feedback",
    "shape_goal",
    "shape_prose",
    "shape_self_review",
]

MAX_NOTES = 8000
MAX_NAME = 100
MAX_COMMENTS = 50

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# ---------------------------------------------------------------- input validation


def _name(value: str) -> str:
    if not value:
        raise ValueError("is empty: give the person's name")
    if "\n" in value or "\r" in value or _CONTROL_RE.search(value):
        raise ValueError("must be one line: give just the person's name")
    return value


def _notes(value: str) -> str:
    if not value:
        raise ValueError("are empty: write a few lines about what happened")
    # Control characters hide text from reviewers and guards; tabs and newlines are kept.
    return _CONTROL_RE.sub(" ", value.replace("\t", " "))


def _phrase(value: str) -> str:
    # Short settings (tone, horizon) go into the instructions, not the fenced data: only plain
    # words are allowed, so they cannot carry instructions of their own.
    if not re.fullmatch(r"[\w][\w ,.'/-]*", value):
        raise ValueError("may hold only words, spaces and , . ' / -")
    return value


Name = Annotated[str, Field(max_length=MAX_NAME), AfterValidator(_name)]
Notes = Annotated[str, Field(max_length=MAX_NOTES), AfterValidator(_notes)]
Phrase = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_phrase)]
Relationship = Literal["peer", "manager", "direct_report", "other"]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class FeedbackInput(_Input):
    """Feedback for a colleague: who it is for, the notes, and how you relate to them."""

    subject: Name = Field(description="who the feedback is for")
    notes: Notes = Field(description="what happened: specific actions and their effect")
    relationship: Relationship = Field(
        default="peer", description="the subject is your peer, manager, direct_report or other"
    )
    tone: Phrase = Field(default="constructive", description="e.g. constructive, appreciative")
    author: Name | None = Field(default=None, description="who writes the feedback")


class GoalInput(_Input):
    """A SMART goal for someone: whose goal, the notes, and optionally when it is due."""

    owner: Name = Field(description="whose goal it is")
    notes: Notes = Field(description="what the goal is about and how success shows")
    horizon: Phrase | None = Field(default=None, description='e.g. "this quarter", "6 months"')
    due: dt.date | None = Field(default=None, description="the due date, if known")


class SelfReviewInput(_Input):
    """A self-review in the author's own voice."""

    author: Name = Field(
        validation_alias=AliasChoices("author", "employee"), description="who writes it"
    )
    notes: Notes = Field(description="what you did this period, with results")
    period: Phrase | None = Field(default=None, description='e.g. "H1 2025"')


class SummaryInput(_Input):
    """A summary of feedback someone received, without quotes or attributions."""

    subject: Name = Field(description="whose received feedback is summarised")
    feedback: Notes = Field(
        description="the comments received: a list of strings, or text with one per line"
    )

    @field_validator("feedback", mode="before")
    @classmethod
    def _join_comments(cls, value: object) -> object:
        # Comments arrive as a list or as text; downstream (guards, placeholders) wants text.
        if isinstance(value, list | tuple):
            if len(value) > MAX_COMMENTS:
                raise ValueError(f"has more than {MAX_COMMENTS} comments: summarise fewer")
            comments = []
            for item in value:
                if not isinstance(item, str):
                    raise ValueError("comments must be strings")
                if item.strip():
                    comments.append("- " + " ".join(item.split()))
            return "\n".join(comments)
        return value


# ---------------------------------------------------------------- prompt parts

_ATTRIBUTION_RE = re.compile(
    r"^(\s*(?:[-*•]\s*)?)\[[A-Z][A-Z_]*_\d+\]\s*(?::|-|\u2013|\u2014|said|says|wrote|writes|noted)\s*",
    re.MULTILINE,
)


#: Rules and few-shot cases of the built-in features (``plugins/data/prompts.toml``).
PROMPTS_FILE = Path(__file__).with_name("data") / "prompts.toml"
_CASE_KEYS = {"feedback": ("notes", "answer"), "goal": ("notes", "due", "answer"),
              "self_review": ("notes", "answer"), "summary": ("notes", "answer")}


def load_prompts(path: Path = PROMPTS_FILE) -> dict[str, Any]:
    """Read the prompts file: ``{"common": rules, feature: {"rules": (...), "cases": ((...), ...)}}``.

    Each case becomes a tuple in the order of its feature's keys (goal cases carry a ``due``).

    :raises ValueError: a table, key or ``{s}`` (the subject) is missing, or a key is unknown.
    """
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    problems: list[str] = []
    common = data.get("common", {}).get("rules", [])
    if not common or not all(isinstance(r, str) and r.strip() for r in common):
        problems.append("[common] needs a list of rules")
    loaded: dict[str, Any] = {"common": tuple(common)}
    for feature, keys in _CASE_KEYS.items():
        table = data.get(feature)
        if not isinstance(table, dict):
            problems.append(f"table [{feature}] is missing")
            continue
        rules = table.get("rules", [])
        if not rules or not all(isinstance(r, str) and r.strip() for r in rules):
            problems.append(f"[{feature}] needs a list of rules")
        cases = []
        for n, case in enumerate(table.get("cases", []), 1):
            unknown = sorted(set(case) - set(keys))
            missing = [k for k in keys if not str(case.get(k, "")).strip()]
            if unknown or missing:
                problems.append(
                    f"[[{feature}.cases]] #{n}: "
                    + "; ".join(x for x in (f"missing {', '.join(missing)}" if missing else "",
                                            f"unknown {', '.join(unknown)}" if unknown else "") if x)
                )
                continue
            if feature in ("feedback", "goal") and "{s}" not in case["answer"]:
                problems.append(f"[[{feature}.cases]] #{n}: the answer never names the subject ({{s}})")
            cases.append(tuple(str(case[k]) for k in keys))
        if not cases:
            problems.append(f"[{feature}] has no cases")
        loaded[feature] = {"rules": tuple(rules), "cases": tuple(cases)}
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return loaded


_PROMPTS = load_prompts()
_FACTS_RULE, _PLACEHOLDER_RULE, _DATA_RULE = _PROMPTS["common"][:3]


def _system(role: str, rules: Sequence[str], passages: Sequence[Passage]) -> str:
    lines = (role, *(f"- {rule}" for rule in (*rules, _FACTS_RULE, _PLACEHOLDER_RULE, _DATA_RULE)))
    policy = policy_rules(passages)
    return "\n".join(lines) + (f"\n\n{policy}" if policy else "")


def _shots(
    cases: Sequence[tuple[str, ...]], ask: Callable[[str], str], subject: str
) -> tuple[tuple[str, str], ...]:
    """Few-shot turns: each case's notes asked for exactly like the real request, then its answer.

    The cases are written with ``{s}`` for the subject, so the example uses the same form of the
    name ("[PERSON_1]" or "[PERSON_1] [SURNAME_1]") as the request; no other placeholder appears
    (one the model copied would not be in the request's vault).
    """
    return tuple((ask(case[0].format(s=subject)), case[-1].format(s=subject)) for case in cases)


# Few-shot cases live in plugins/data/prompts.toml (see the note there on how they are written).

# ---------------------------------------------------------------- feedback

_FEEDBACK_RULES: tuple[str, ...] = _PROMPTS["feedback"]["rules"]

_FEEDBACK_CASES: tuple[tuple[str, ...], ...] = _PROMPTS["feedback"]["cases"]

_RELATION_WORDS = {
    "peer": "your colleague",
    "manager": "your manager",
    "direct_report": "your team member",
    "other": "",
}


def build_feedback_prompt(inputs: FeedbackInput, passages: Sequence[Passage]) -> Prompt:
    """Feedback: specific, behaviour-based, a few sentences, a suggestion if the notes give one."""
    subject = inputs.subject
    to = f"{_RELATION_WORDS[inputs.relationship]} {subject}".strip()

    def ask(notes: str, sign: str = "") -> str:
        return (
            f"Notes about {subject}:\n{fence(notes)}\n\n"
            f"Write a {inputs.tone} feedback message to {to} in 3 to 5 sentences.{sign} "
            f'Start with "{subject},".'
        )

    sign = f" You are {inputs.author}." if inputs.author else ""
    return Prompt(
        system=_system("You write short, specific workplace feedback from notes.", _FEEDBACK_RULES, passages),
        user=ask(inputs.notes, sign),
        examples=_shots(_FEEDBACK_CASES, ask, subject),
    )


# ---------------------------------------------------------------- goal

_GOAL_RULES: tuple[str, ...] = _PROMPTS["goal"]["rules"]

# (notes, due, answer): the due date varies so the model takes it from the request.
_GOAL_CASES: tuple[tuple[str, ...], ...] = _PROMPTS["goal"]["cases"]


def _goal_due(inputs: GoalInput) -> str:
    if inputs.due is not None:
        return f"{inputs.due.day} {inputs.due:%B %Y}"
    if inputs.horizon:
        return inputs.horizon
    return "a date to agree"


def build_goal_prompt(inputs: GoalInput, passages: Sequence[Passage]) -> Prompt:
    """A SMART goal as three lines: Goal, Measure, Due."""
    owner = inputs.owner

    def ask(notes: str, due: str) -> str:
        return (
            f"Notes about the goal of {owner}:\n{fence(notes)}\n\n"
            f'Write one SMART goal for {owner}, due {due}. Start with "Goal: {owner} will" '
            f'and end with "Due: {due}".'
        )

    examples = tuple(
        (ask(notes.format(s=owner), due), answer.format(s=owner))
        for notes, due, answer in _GOAL_CASES
    )
    return Prompt(
        system=_system("You write clear, measurable work goals from notes.", _GOAL_RULES, passages),
        user=ask(inputs.notes, _goal_due(inputs)),
        examples=examples,
    )


# ---------------------------------------------------------------- self-review

_SELF_REVIEW_RULES: tuple[str, ...] = _PROMPTS["self_review"]["rules"]

_SELF_REVIEW_CASES: tuple[tuple[str, ...], ...] = _PROMPTS["self_review"]["cases"]


def build_self_review_prompt(inputs: SelfReviewInput, passages: Sequence[Passage]) -> Prompt:
    """A self-review in the first person."""
    period = f" for {inputs.period}" if inputs.period else ""

    def ask(notes: str) -> str:
        return (
            f"My notes{period}:\n{fence(notes)}\n\n"
            'Write my self-review in 2 to 5 sentences, in the first person. Start with "I".'
        )

    role = f"You help {inputs.author} write their own self-review, in their voice."
    return Prompt(
        system=_system(role, _SELF_REVIEW_RULES, passages),
        user=ask(inputs.notes),
        examples=_shots(_SELF_REVIEW_CASES, ask, inputs.author),
    )


# ---------------------------------------------------------------- summary

_SUMMARY_RULES: tuple[str, ...] = _PROMPTS["summary"]["rules"]

_SUMMARY_CASES: tuple[tuple[str, ...], ...] = _PROMPTS["summary"]["cases"]


def _strip_attributions(comments: str) -> str:
    # "[PERSON_2]: great demo" -> "great demo": a summary must not reveal who said what.
    return _ATTRIBUTION_RE.sub(r"\1", comments)


def build_summary_prompt(inputs: SummaryInput, passages: Sequence[Passage]) -> Prompt:
    """A summary as Strengths / Growth areas bullets, with no quotes and no attributions."""
    subject = inputs.subject

    def ask(comments: str) -> str:
        return (
            f"Comments {subject} received:\n{fence(comments, 'COMMENTS')}\n\n"
            f'Summarise the feedback for {subject}: "Strengths:" with bullets, then '
            '"Growth areas:" with bullets.'
        )

    role = "You summarise feedback a person received into strengths and growth areas."
    return Prompt(
        system=_system(role, _SUMMARY_RULES, passages),
        user=ask(_strip_attributions(inputs.feedback)),
        examples=_shots(_SUMMARY_CASES, ask, subject),
    )


# ---------------------------------------------------------------- shaping the model's text

_ROLE_PREFIX_RE = re.compile(
    r"^\s*(?:assistant|ai|answer|response|output|draft|example\s+\w+(?:-\w+)?|feedback|"
    r"self-review|self review|summary)\s*:\s*",
    re.IGNORECASE,
)
# Where a small model starts echoing the prompt or inventing a next turn: cut from there.
_ECHO_RE = re.compile(
    r"^\s*(?:example\b|notes\b|my notes\b|comments\b|user\s*:|human\s*:|system\s*:|"
    r"<\|im_(?:start|end)\|>|-----(?:BEGIN|END)\b|write the\b|now write\b|"
    r"[-*\s]*copy each placeholder|[-*\s]*text between begin|[-*\s]*use only facts from|"
    r"[-*\s]*follow the company policy|[-*\s]*\[[\w:-]*\d+\.[\w.-]+\])",
    re.IGNORECASE | re.MULTILINE,
)
_SENTENCE_END_RE = re.compile(r"[.!?][\"')\]]*(?=\s|$)")
_DANGLING_RE = re.compile(
    r"(?:[,;:(\-\u2013\u2014]|\b(?:and|or|but|the|a|an|to|of|with|for|in|by))\s*$"
)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    text = re.sub(r"<\|im_(?:start|end)\|>\w*", "", text)
    match = _ECHO_RE.search(text, 1)
    if match:
        text = text[: match.start()]
    text = _ROLE_PREFIX_RE.sub("", text, count=1).strip()
    return text


def _dedupe_lines(text: str) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for line in text.split("\n"):
        key = " ".join(line.lower().split())
        if key and key in seen:
            continue
        seen.add(key)
        out.append(line.rstrip())
    while out and not out[-1].strip():
        out.pop()
    return out


_COMMON = frozenset(
    "thank thanks with that this your their from have will would could should been were they them "
    "there also into about more next".split()
)


def _dedupe_sentences(paragraph: str) -> str:
    """Drop repeated sentences, and near-repeats (a small model restating its last sentence)."""
    sentences = re.split(r"(?<=[.!?])\s+", paragraph.strip())
    out: list[str] = []
    kept: list[set[str]] = []
    for sentence in sentences:
        # content words only: "thank you for the" must not make two thank-yous look alike
        words = {w for w in re.findall(r"[\w\[\]']+", sentence.lower()) if len(w) > 3} - _COMMON
        if any(
            words == other
            or (min(len(words), len(other)) >= 4 and len(words & other) / min(len(words), len(other)) >= 0.75)
            for other in kept
        ):
            continue
        kept.append(words)
        out.append(sentence)
    return " ".join(out)


def _drop_unfinished(paragraph: str) -> str:
    """Cut a trailing fragment after the last full sentence (a model stopped by max_tokens)."""
    paragraph = paragraph.rstrip()
    if not paragraph or _SENTENCE_END_RE.search(paragraph[-3:] + " "):
        return paragraph
    ends = list(_SENTENCE_END_RE.finditer(paragraph))
    if ends:
        return paragraph[: ends[-1].end()]
    return paragraph


def shape_prose(text: str, max_sentences: int | None = None) -> str:
    """Shape a prose draft: no role prefix, no prompt echo, no repeats, no unfinished sentence.

    With ``max_sentences`` the draft is cut after that many sentences (a small model runs on).
    """
    lines = _dedupe_lines(_clean(text))
    paragraphs = [
        _dedupe_sentences(" ".join(block.split("\n")))
        for block in "\n".join(lines).split("\n\n")
        if block.strip()
    ]
    if max_sentences is not None:
        kept: list[str] = []
        budget = max_sentences
        for paragraph in paragraphs:
            sentences = re.split(r"(?<=[.!?])\s+", paragraph)
            kept.append(" ".join(sentences[:budget]))
            budget -= len(sentences)
            if budget <= 0:
                break
        paragraphs = kept
    if paragraphs:
        paragraphs[-1] = _drop_unfinished(paragraphs[-1])
    return "\n\n".join(p for p in paragraphs if p.strip())


def shape_feedback(text: str) -> str:
    """Shape feedback: :func:`shape_prose`, at most five sentences."""
    return shape_prose(text, max_sentences=5)


def shape_self_review(text: str) -> str:
    """Shape a self-review: :func:`shape_prose`, at most six sentences."""
    return shape_prose(text, max_sentences=6)


def _trim_last_line(lines: list[str]) -> list[str]:
    # A list item cut mid-phrase ("- Improve the") is dropped; a short complete item is kept.
    if lines and _DANGLING_RE.search(lines[-1]):
        lines = lines[:-1]
    return lines


def shape_bullets(text: str) -> str:
    """Shape a Strengths / Growth areas summary: headings kept, bullets unified, repeats gone."""
    lines = [line.strip() for line in _dedupe_lines(_clean(text)) if line.strip()]
    out = []
    for line in lines:
        heading = re.match(r"^[#*\s]*(strengths|growth areas)\s*[*:]*\s*(.*)$", line, re.I)
        if heading:
            out.append("Strengths:" if heading.group(1).lower() == "strengths" else "Growth areas:")
            if heading.group(2):
                out.append("- " + heading.group(2).lstrip("-*• "))
            continue
        item = re.sub(r"^(?:[-*•]|\d+[.)])\s*", "", line)
        if item.startswith("<"):
            continue  # the prompt's form copied as is, not a point
        out.append("- " + item if item else line)
    return "\n".join(_trim_last_line(out))


def shape_goal(text: str) -> str:
    """Shape a goal: the Goal / Measure / Due lines, repeats and trailing fragments removed."""
    lines = [line.strip() for line in _dedupe_lines(_clean(text)) if line.strip()]
    out: list[str] = []
    labels_seen: set[str] = set()
    for line in lines:
        label = re.match(r"^[*\s]*(goal|measure|due)\s*[*:]+\s*", line, re.I)
        if label:
            name = label.group(1).lower()
            if name in labels_seen:
                break  # a second goal: the model ran on; keep one
            labels_seen.add(name)
            line = f"{name.capitalize()}: {line[label.end() :]}"
        out.append(line)
    return "\n".join(_trim_last_line(out))


# ---------------------------------------------------------------- registration


_In = TypeVar("_In", bound=BaseModel)


def _typed(
    model: type[_In], build: Callable[[_In, Sequence[Passage]], Prompt]
) -> Callable[[BaseModel, Sequence[Passage]], Prompt]:
    # FeatureSpec.build_prompt takes any BaseModel; each builder checks it got its own schema.
    def call(inputs: BaseModel, passages: Sequence[Passage]) -> Prompt:
        if not isinstance(inputs, model):
            raise InputError(
                f"{build.__name__} needs {model.__name__} inputs, not {type(inputs).__name__}"
            )
        return build(inputs, passages)

    call.__name__ = build.__name__
    call.__doc__ = build.__doc__
    return call


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec(
        name="feedback",
        description="Draft specific, behaviour-based feedback for a colleague (3-5 sentences).",
        input_model=FeedbackInput,
        build_prompt=_typed(FeedbackInput, build_feedback_prompt),
        notes_fields=("notes",),
        people_fields=("subject", "author"),
        option_fields=("tone",),
        shape_output=shape_feedback,
        max_tokens=200,
        subject_required=True,
    ),
    FeatureSpec(
        name="goal",
        description="Draft a SMART goal with a measure and a due date.",
        input_model=GoalInput,
        build_prompt=_typed(GoalInput, build_goal_prompt),
        notes_fields=("notes",),
        people_fields=("owner",),
        option_fields=("horizon",),
        shape_output=shape_goal,
        max_tokens=160,
    ),
    FeatureSpec(
        name="self_review",
        description="Draft a self-review in the first person from your own notes.",
        input_model=SelfReviewInput,
        build_prompt=_typed(SelfReviewInput, build_self_review_prompt),
        notes_fields=("notes",),
        people_fields=("author",),
        option_fields=("period",),
        shape_output=shape_self_review,
        max_tokens=240,
    ),
    FeatureSpec(
        name="summary",
        description="Summarise feedback received as strengths and growth areas, unattributed.",
        input_model=SummaryInput,
        build_prompt=_typed(SummaryInput, build_summary_prompt),
        notes_fields=("feedback",),
        people_fields=("subject",),
        shape_output=shape_bullets,
        max_tokens=220,
    ),
)


@implements(hookspecs.register_features)
def register_features(register: Callable[[FeatureSpec], None], config: AppConfig) -> None:
    """Register feedback, goal, self_review and summary."""
    for feature in FEATURES:
        register(feature)
