"""The public import namespace for rai-assistant plugin authors.

Everything a plugin needs comes from one place::

    from rai_assistant import FeatureSpec, GuardSpec, Finding, Span, Stage, Verdict, hookimpl
    from rai_assistant import fence, policy_rules

It re-exports every name in ``assistant.__all__`` (the ``hookimpl`` marker, the spec and data
types, the errors, ``Assistant`` and ``load_config``; a name added there appears here too) and
two prompt helpers used by the built-in features:

* :func:`fence` wraps untrusted text (a user's notes) between ``-----BEGIN NOTES-----`` and
  ``-----END NOTES-----`` lines, so the model treats it as data, not instructions; a run of dashes
  inside the text is shortened so the text cannot forge an END line.
* :func:`policy_rules` renders the policy passages retrieved for a request as a few short lines,
  ``[clause id] first words of the clause``, for a prompt's system message.

Test helpers (a scripted model, an isolated app) live in :mod:`rai_assistant.testing`.
"""

from __future__ import annotations

from assistant import *  # noqa: F403 - exactly assistant.__all__, kept in step by construction
from assistant import __all__ as _core_all
from plugins.features import fence as fence
from plugins.features import policy_rules as policy_rules

__all__ = sorted({*_core_all, "fence", "policy_rules"})
