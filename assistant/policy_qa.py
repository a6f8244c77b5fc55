"""Answer a question about the policy from retrieved clauses, citing a clause in every sentence.

Without a model the answer is the clauses themselves, best first. With a LangChain chat model the
answer is short prose grounded only in those clauses; each sentence must end with the id of the
clause it rests on, like ``[4.3]``. The model's citations are checked: a sentence that cites no
clause, or a clause that was not retrieved, is dropped and reported. If nothing grounded remains,
or the model says the clauses do not answer, the answer is :data:`NO_ANSWER`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rai_assistant.errors import InputError, ModelError

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from rai_assistant.types import Passage

__all__ = ["NO_ANSWER", "answer_question", "build_messages"]

NO_ANSWER = "The policy does not say."

_SYSTEM = (
    "You answer questions about a company's Responsible AI Policy using ONLY the numbered "
    "clauses given. Write at most three short sentences. End every sentence with the id of the "
    "clause it relies on in square brackets, for example: Dating apps are not an allowed use. [4.3]\n"
    "Cite only ids from the clauses given. Do not add facts that are not in the clauses. "
    f"If the clauses do not answer the question, reply exactly: {NO_ANSWER}"
)
_CITATION = re.compile(r"\[([^\[\]]+)\]")
_TRAILING_CITES = re.compile(r"(?:\s*\[[^\[\]]+\])+\s*[.!?]?\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?\]])\s+(?=[\[A-Z0-9\"'(])")


def build_messages(question: str, passages: Sequence[Passage]) -> list[Any]:
    """The chat messages sent to the model: instructions, then the clauses and the question."""
    from langchain_core.messages import HumanMessage, SystemMessage

    blocks = [f"[{p.clause.id}] ({p.clause.section} / {p.clause.title})\n{p.clause.text}" for p in passages]
    user = "Clauses:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question.strip()}"
    return [SystemMessage(content=_SYSTEM), HumanMessage(content=user)]


def _sentences(reply: str) -> list[str]:
    parts = [s.strip() for s in _SENTENCE_END.split(reply.strip()) if s.strip()]
    merged: list[str] = []
    for part in parts:
        # "... not allowed. [4.3]" splits into two parts: the citation belongs to the sentence.
        if merged and _TRAILING_CITES.fullmatch(part):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def _reply_text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in content
            if isinstance(part, (str, dict))
        )
    return str(content)


def answer_question(
    question: str, passages: Sequence[Passage], model: BaseChatModel | None
) -> dict[str, Any]:
    """Answer ``question`` from ``passages`` (best first).

    :return: ``{"question", "answer", "citations", "clauses", "dropped"}``. ``clauses`` lists the
        retrieved clauses (``id``, ``title``, ``text``, ``score``) best first; ``citations`` the
        clause ids the answer cites; ``dropped`` the model's sentences removed for citing no clause at the end
        or a clause that was not retrieved. Without a model, ``answer`` is empty and the clauses
        are the answer.
    :raises InputError: the question is empty.
    :raises ModelError: the model call failed.
    """
    if not question.strip():
        raise InputError("the question is empty: type what you want to know about the policy")
    clauses = [
        {"id": p.clause.id, "title": p.clause.title, "text": p.clause.text, "score": p.score}
        for p in passages
    ]
    result: dict[str, Any] = {
        "question": question,
        "answer": "",
        "citations": [],
        "clauses": clauses,
        "dropped": [],
    }
    if model is None:
        return result
    if not passages:
        result["answer"] = NO_ANSWER
        return result
    try:
        reply = _reply_text(model.invoke(build_messages(question, passages)))
    except Exception as exc:  # providers raise many types; the user needs one clear error
        raise ModelError(f"the model failed to answer: {exc}; try again or check the model") from exc
    allowed = {p.clause.id for p in passages}
    kept: list[str] = []
    cited: list[str] = []
    dropped: list[dict[str, str]] = []
    for sentence in _sentences(reply):
        if sentence.rstrip(".").strip().lower() == NO_ANSWER.rstrip(".").lower():
            continue
        ids = [i.strip() for m in _CITATION.finditer(sentence) for i in m.group(1).split(",")]
        trailing = _TRAILING_CITES.search(sentence)
        if not ids or trailing is None:
            dropped.append({"sentence": sentence, "reason": "does not end with a clause citation"})
            continue
        unknown = [i for i in ids if i not in allowed]
        if unknown:
            dropped.append(
                {"sentence": sentence, "reason": f"cites clauses not retrieved: {', '.join(unknown)}"}
            )
            continue
        body = sentence[: trailing.start()].strip()
        if not body:
            continue
        if body[-1] not in ".!?":
            body += "."
        kept.append(f"{body} " + "".join(f"[{i}]" for i in dict.fromkeys(ids)))
        cited.extend(i for i in ids if i not in cited)
    result["answer"] = " ".join(kept) if kept else NO_ANSWER
    result["citations"] = cited if kept else []
    result["dropped"] = dropped
    return result
