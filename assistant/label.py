"""The disclosure label every draft carries (clause 4.1: nobody is misled about AI authorship).

A label has a human-readable ``notice`` and a machine-readable record: the IPTC digital source
type, a C2PA-style list of actions, the policy version, the model, timestamps and a SHA-256 of
the text it describes. Plugins may add fields through ``amend_label``; they cannot remove or
weaken the mandatory ones.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from rai_assistant.errors import PluginError

__all__ = [
    "AI_UNEDITED",
    "AI_EDITED",
    "MANDATORY",
    "build_label",
    "decide_label",
    "apply_amendments",
    "content_hash",
    "now",
]

_IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
AI_UNEDITED = _IPTC + "trainedAlgorithmicMedia"
AI_EDITED = _IPTC + "compositeWithTrainedAlgorithmicMedia"
MANDATORY = ("digitalSourceType", "actions", "policy", "model", "created", "contentHash", "notice")
SOFTWARE = "rai-assistant"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _notice(model: str, state: str, reviewer: str = "") -> str:
    if state == "accepted":
        return f"AI-assisted draft (model: {model}), reviewed and accepted by {reviewer}."
    if state == "edited":
        return f"AI-assisted draft (model: {model}), edited and accepted by {reviewer}."
    return (
        f"AI-generated draft (model: {model}). Not yet reviewed: a person must review, edit and "
        "accept it before use; it may be inaccurate or biased."
    )


def build_label(
    *, draft_id: str, feature: str, text: str, model: str, policies: Mapping[str, str], version: str
) -> dict[str, Any]:
    """The label of a new, pending draft."""
    created = now()
    return {
        "notice": _notice(model, "pending"),
        "digitalSourceType": AI_UNEDITED,
        "actions": [
            {
                "action": "c2pa.created",
                "when": created,
                "softwareAgent": f"{SOFTWARE}/{version}",
                "model": model,
                "digitalSourceType": AI_UNEDITED,
            }
        ],
        "draft": draft_id,
        "feature": feature,
        "policy": dict(policies),
        "model": model,
        "created": created,
        "status": "pending_review",
        "contentHash": content_hash(text),
        "extensions": {},
    }


def decide_label(label: Mapping[str, Any], *, reviewer: str, final_text: str, edited: bool, accepted: bool) -> dict[str, Any]:
    """The label after a person's decision: edits change the source type, acceptance is recorded."""
    new = copy.deepcopy(dict(label))
    when = now()
    actions: list[dict[str, Any]] = list(new.get("actions", []))
    if not accepted:
        actions.append({"action": "rai.rejected", "when": when, "reviewer": reviewer})
        new.update(status="rejected", actions=actions)
        return new
    if edited:
        actions.append({"action": "c2pa.edited", "when": when, "reviewer": reviewer})
        new["digitalSourceType"] = AI_EDITED
    actions.append({"action": "rai.accepted", "when": when, "reviewer": reviewer, "reviewed": True})
    new.update(
        actions=actions,
        status="accepted",
        reviewer=reviewer,
        accepted=when,
        contentHash=content_hash(final_text),
        notice=_notice(str(new.get("model", "")), "edited" if edited else "accepted", reviewer),
    )
    return new


def apply_amendments(label: dict[str, Any], amendments: list[Mapping[str, Any] | None], plugins: list[str]) -> dict[str, Any]:
    """Merge ``amend_label`` results: ``notice`` may be reworded, the rest goes under extensions."""
    for plugin, amendment in zip(plugins, amendments, strict=False):
        if amendment is None:
            continue
        if not isinstance(amendment, Mapping):
            raise PluginError(f"plugin {plugin!r}: amend_label must return a mapping or None")
        for key, value in amendment.items():
            if key == "notice":
                if not isinstance(value, str) or "AI" not in value:
                    raise PluginError(
                        f"plugin {plugin!r}: a replacement notice must still say the text is AI-assisted "
                        "(contain 'AI')"
                    )
                label["notice"] = value
            elif key in MANDATORY or key in ("draft", "feature", "status"):
                raise PluginError(f"plugin {plugin!r}: amend_label cannot change the mandatory field {key!r}")
            else:
                label["extensions"][key] = value
    return label
