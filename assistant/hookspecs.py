"""The hooks that plugins implement. This module is the reference for plugin authors.

Every named thing in rai-assistant (a feature, a guard, a model, a policy, a label format) arrives
through a ``register_*`` hook. The built-ins in ``plugins/``, ``guards/`` and ``policy_corpus/``
use exactly these hooks, the same way a third-party package does through the ``rai_assistant``
entry-point group.

Calling conventions:

* ``register_*(register, config)`` hooks are collect-all. Each implementation calls
  ``register(obj)`` for every object it contributes; the core checks the type, refuses a duplicate
  name and records which plugin registered it. Return values are ignored. ``config`` is the
  validated :class:`rai_assistant.config.AppConfig`; a plugin reads its own ``[plugins.NAME]`` section
  with :func:`rai_assistant.config.plugin_section`. Like any pluggy hook, an implementation may leave
  out parameters it does not use (``def register_guards(register): ...``).
* ``amend_label`` is collect-all: every implementation may return extra fields for the label.
* ``audit_event`` and ``on_violation`` are collect-all notifications; return values are ignored.
  An exception in them propagates: a sink that cannot record is an error, never silence.

See ``docs/hooks.md`` and its one page per hook (``docs/hooks/NAME.md``), each with a complete example.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import typer
    from rai_assistant.config import AppConfig
    from rai_assistant.types import FeatureSpec, Finding, GuardSpec, LabelFormat, ModelSpec, PolicyDocument

__all__ = ["hookimpl", "hookspec", "PROJECT_NAME"]

PROJECT_NAME = "rai_assistant"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# ---------------------------------------------------------------- start-up: registration


@hookspec
def register_features(register: Callable[[FeatureSpec], None], config: AppConfig) -> None:
    """Register drafting features (feedback, goal, ...).

    :param register: call it once per :class:`rai_assistant.types.FeatureSpec`. A feature supplies an
        input schema, a prompt builder and an output shaper; it never receives the model.
    :param config: the application's configuration.

    Collect-all; the return value is ignored.
    """


@hookspec
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    """Register guards that judge text at one or more stages of the road.

    :param register: call it once per :class:`rai_assistant.types.GuardSpec`. Each guard names the
        clause ids it enforces; the coverage check at start-up counts them. To reuse a
        guardrails-ai validator, wrap it with :func:`rai_assistant.guarding.validator_guard`.
    :param config: the application's configuration.

    Collect-all; the return value is ignored.
    """


@hookspec
def register_models(register: Callable[[ModelSpec], None], config: AppConfig) -> None:
    """Register model providers, addressed as ``PREFIX:NAME`` (``openai:gpt-4o-mini``) or ``PREFIX``.

    :param register: call it once per :class:`rai_assistant.types.ModelSpec`; its factory builds a
        LangChain chat model and must raise :class:`rai_assistant.errors.ModelError` with an install
        or configuration hint when the model cannot be built.
    :param config: the application's configuration.

    Collect-all; the return value is ignored.
    """


@hookspec
def register_policies(register: Callable[[PolicyDocument], None], config: AppConfig) -> None:
    """Register policy documents whose clauses guards enforce and retrieval cites.

    :param register: call it once per :class:`rai_assistant.types.PolicyDocument`; build one from text
        with :func:`rai_assistant.policy.parse_policy`. Policy ids must be unique.
    :param config: the application's configuration.

    Collect-all; the return value is ignored.
    """


@hookspec
def register_label_formats(register: Callable[[LabelFormat], None], config: AppConfig) -> None:
    """Register ways to render a draft's disclosure label (plain text, JSON, HTML, ...).

    :param register: call it once per :class:`rai_assistant.types.LabelFormat`.
    :param config: the application's configuration.

    Collect-all; the return value is ignored.
    """


@hookspec
def register_commands(cli: typer.Typer) -> None:
    """Add sub-commands to the ``rai`` command line.

    :param cli: the root :class:`typer.Typer` application; add commands with ``@cli.command()``.

    Collect-all; the return value is ignored.
    """


# ---------------------------------------------------------------- the road: labelling


@hookspec
def amend_label(label: Mapping[str, Any], feature: str) -> Mapping[str, Any] | None:
    """Add to or change a draft's disclosure label before it is attached.

    :param label: the label so far (read-only view): ``notice``, ``digitalSourceType``,
        ``actions``, ``policy``, ``model``, ``created``, ``contentHash``, ``extensions``.
    :param feature: the feature that produced the draft.
    :return: a mapping of keys to set, or ``None``. ``notice`` may be replaced (for example with a
        company's wording); any other key is placed under ``extensions``. The mandatory disclosure
        fields cannot be removed or weakened by a plugin.

    Collect-all, in plugin order; later results win for the same key.
    """


# ---------------------------------------------------------------- after the road: records


@hookspec
def audit_event(event: Mapping[str, Any]) -> None:
    """Receive every audit record after it is written to the hash-chained audit log.

    :param event: the record as stored: ``seq``, ``ts``, ``kind``, ``draft_id``, ``feature``,
        ``data`` (findings, clause ids, label, decision; personal data only as salted hashes),
        ``prev_hash`` and ``hash``.

    Collect-all notification for audit sinks (a SIEM forwarder, a message queue). An exception
    propagates to the caller.
    """


@hookspec
def on_violation(user: str, tenant: str, findings: list[Finding], count: int) -> str | None:
    """React to a request blocked for acceptable use (5.enforcement).

    :param user: the (salted-hash) user id the request came from.
    :param tenant: the tenant id, or ``""``.
    :param findings: the blocking findings of this request.
    :param count: how many violations this user has within the enforcement window, this one
        included.
    :return: an escalation level to record (``"warning"``, ``"temporary_block"``,
        ``"suspension"``) or ``None`` to leave the built-in escalation as it is. The most severe
        answer wins.

    Collect-all.
    """
