"""rai-assistant: HR writing assistants that follow a Responsible AI policy by construction.

>>> from assistant import Assistant
>>> app = Assistant()
>>> draft = app.draft("feedback", subject="Priya Raman", notes="Led the Q3 launch; demos ran long.")
>>> app.accept(draft.draft_id, reviewer="Sam Lee")
"""

from __future__ import annotations

from assistant.app import VERSION as __version__
from assistant.app import Assistant
from assistant.config import AppConfig, load_config
from assistant.errors import (
    ConfigError,
    InputError,
    ModelError,
    NotFoundError,
    PluginError,
    RaiError,
    ReviewError,
    StorageError,
)
from assistant.hookspecs import hookimpl
from assistant.prompting import fence
from assistant.types import (
    Clause,
    Draft,
    FeatureSpec,
    Finding,
    GuardContext,
    GuardServices,
    GuardSpec,
    LabelFormat,
    ModelSpec,
    Passage,
    PolicyDocument,
    Prompt,
    Span,
    Stage,
    Verdict,
)

__all__ = [
    "AppConfig",
    "Assistant",
    "Clause",
    "ConfigError",
    "Draft",
    "FeatureSpec",
    "Finding",
    "GuardContext",
    "GuardServices",
    "GuardSpec",
    "InputError",
    "LabelFormat",
    "ModelError",
    "ModelSpec",
    "NotFoundError",
    "Passage",
    "PluginError",
    "PolicyDocument",
    "Prompt",
    "RaiError",
    "ReviewError",
    "Span",
    "Stage",
    "StorageError",
    "Verdict",
    "__version__",
    "draft",
    "accept",
    "fence",
    "hookimpl",
    "load_config",
]


def draft(feature: str, inputs: dict[str, object] | None = None, **fields: object) -> Draft:
    """One-shot convenience: build an :class:`Assistant` from the default config and draft."""
    return Assistant().draft(feature, inputs, **fields)  # type: ignore[arg-type]


def accept(draft_id: str, reviewer: str, text: str | None = None) -> Draft:
    """One-shot convenience: accept a stored draft as ``reviewer``."""
    return Assistant().accept(draft_id, reviewer, text=text)
