"""rai-assistant: HR writing assistants that follow a Responsible AI policy by construction.

Everything lives under one import namespace, ``rai_assistant`` (the source tree keeps the core in
``assistant/``, the built-in features in ``plugins/``, the guards in ``guards/`` and the policy in
``policy_corpus/``; the package maps them to ``rai_assistant``, ``rai_assistant.plugins``,
``rai_assistant.guards`` and ``rai_assistant.policy_corpus``). A plugin needs only this module::

    from rai_assistant import FeatureSpec, GuardSpec, Finding, Span, Stage, Verdict, hookimpl
    from rai_assistant import fence, policy_rules

* :func:`fence` wraps untrusted text (a user's notes) between ``-----BEGIN NOTES-----`` and
  ``-----END NOTES-----`` lines, so the model treats it as data, not instructions.
* :func:`policy_rules` renders the policy passages retrieved for a request as a few short lines,
  ``[clause id] first words of the clause``, for a prompt's system message.

Test helpers (a scripted model, an isolated app) live in :mod:`rai_assistant.testing`.

>>> from rai_assistant import Assistant
>>> app = Assistant()
>>> draft = app.draft("feedback", subject="Priya Raman", notes="Led the Q3 launch; demos ran long.")
>>> app.accept(draft.draft_id, reviewer="Sam Lee")
"""

from __future__ import annotations

from rai_assistant.app import VERSION as __version__
from rai_assistant.app import Assistant
from rai_assistant.config import AppConfig, load_config
from rai_assistant.errors import (
    ConfigError,
    InputError,
    ModelError,
    NotFoundError,
    PluginError,
    RaiError,
    ReviewError,
    StorageError,
)
from rai_assistant.hookspecs import hookimpl, implements
from rai_assistant.prompting import fence, policy_rules
from rai_assistant.types import (
    Clause,
    Decision,
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
    "Decision",
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
    "implements",
    "load_config",
    "policy_rules",
]


def draft(feature: str, inputs: dict[str, object] | None = None, **fields: object) -> Draft:
    """One-shot convenience: build an :class:`Assistant` from the default config and draft."""
    return Assistant().draft(feature, inputs, **fields)  # type: ignore[arg-type]


def accept(draft_id: str, reviewer: str, text: str | None = None) -> Draft:
    """One-shot convenience: accept a stored draft as ``reviewer``."""
    return Assistant().accept(draft_id, reviewer, text=text)
