"""Built-in label formats: a plain-text notice and the JSON record."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.hookspecs import implements
from rai_assistant.types import LabelFormat

__all__ = ["render_json", "render_text", "register_label_formats"]


def render_text(label: Mapping[str, Any]) -> str:
    lines = [str(label.get("notice", ""))]
    policy = label.get("policy") or {}
    if policy:
        lines.append("Policy: " + ", ".join(f"{k} ({v})" for k, v in policy.items()))
    lines.append(f"Source type: {str(label.get('digitalSourceType', '')).rsplit('/', 1)[-1]}")
    lines.append(f"Content hash: {label.get('contentHash', '')}")
    return "\n".join(lines)


def render_json(label: Mapping[str, Any]) -> str:
    return json.dumps(label, indent=2, sort_keys=True, ensure_ascii=False)


@implements(hookspecs.register_label_formats)
def register_label_formats(register: Callable[[LabelFormat], None], config: AppConfig) -> None:
    register(LabelFormat(name="text", render=render_text))
    register(LabelFormat(name="json", render=render_json, media_type="application/json"))
