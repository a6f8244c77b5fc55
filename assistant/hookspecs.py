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
  with :func:`rai_assistant.config.plugin_section`. Like any pluggy hook, an implementation marked
  with the plain ``@hookimpl`` may leave out parameters it does not use
  (``def register_guards(register): ...``).
* ``amend_label`` is collect-all: every implementation may return extra fields for the label.
* ``audit_event`` and ``on_violation`` are collect-all notifications; return values are ignored.
  An exception in them propagates: a sink that cannot record is an error, never silence.

Two ways to mark an implementation:

* ``@implements(hookspecs.register_guards)`` (the typed form): mypy checks the implementation
  against the spec. It must take every parameter of the spec, with the spec's names and
  compatible types, and return a compatible type; at runtime it applies :data:`hookimpl` and
  refuses (``TypeError``) anything that is not one of the specs below. A method of a plugin
  object uses ``@implements.method(...)``. Options: ``tryfirst``, ``trylast``, ``wrapper`` and
  ``hookwrapper`` (the wrappers are typed as generators over the hook's list of results).
* ``@hookimpl``, pluggy's plain marker: unchecked, and the only one that allows the subset form
  (``def register_guards(register): ...``).

See ``docs/hooks.md`` and its one page per hook (``docs/hooks/NAME.md``), each with a complete example.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, Protocol, TypeVar, overload

import pluggy

if TYPE_CHECKING:
    import typer
    from rai_assistant.config import AppConfig
    from rai_assistant.types import FeatureSpec, Finding, GuardSpec, LabelFormat, ModelSpec, PolicyDocument

__all__ = ["HookMethodSignature", "HookSignature", "hookimpl", "hookspec", "implements", "PROJECT_NAME"]

PROJECT_NAME = "rai_assistant"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

# ---------------------------------------------------------------- typed implementations

_P = ParamSpec("_P")
_R = TypeVar("_R")
_R_co = TypeVar("_R_co", covariant=True)


class HookSignature(Protocol[_P, _R_co]):
    """The signature of one hook spec, for typing only: what ``implements(spec)`` accepts.

    A protocol rather than a plain ``Callable`` so that mypy's message for a wrong implementation
    shows the spec's parameters by name.
    """

    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...


class HookMethodSignature(Protocol[_P, _R_co]):
    """A method implementing one hook spec, for typing only: ``self``, then the spec's parameters."""

    def __call__(self, instance: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...


class TypedHookimpl(Protocol[_P, _R]):
    """What ``implements(spec)`` returns: it marks a function with the spec's signature."""

    def __call__(self, implementation: HookSignature[_P, _R], /) -> Callable[_P, _R]: ...


class TypedHookimplMethod(Protocol[_P, _R]):
    """What ``implements.method(spec)`` returns: it marks a method with the spec's signature."""

    def __call__(self, implementation: HookMethodSignature[_P, _R], /) -> Callable[Concatenate[Any, _P], _R]: ...


#: What a new-style wrapper (``wrapper=True``) of a collect-all hook returning ``R`` is: a generator
#: whose ``yield`` receives the list of results, and which returns that list (or another one).
_Wrapper = Generator[None, list[_R], list[_R]]
#: An old-style wrapper (``hookwrapper=True``): its ``yield`` receives a :class:`pluggy.Result`.
_OldWrapper = Generator[None, pluggy.Result[list[_R]], None]


def _spec_names() -> list[str]:
    return sorted(
        name for name, obj in globals().items() if callable(obj) and hasattr(obj, f"{PROJECT_NAME}_spec")
    )


def _spec_name(spec: object) -> str:
    """The hook name of ``spec``, which must be one of this module's hook specs."""
    name = getattr(spec, "__name__", None)
    if (
        not isinstance(name, str)
        or getattr(spec, f"{PROJECT_NAME}_spec", None) is None
        or globals().get(name) is not spec
    ):
        raise TypeError(
            f"implements() takes a hook spec from rai_assistant.hookspecs (for example "
            f"implements(hookspecs.register_guards)), not {spec!r}; the hooks are {', '.join(_spec_names())}"
        )
    return name


def _marker(spec: object, tryfirst: bool, trylast: bool, wrapper: bool, hookwrapper: bool) -> Any:
    name = _spec_name(spec)
    if wrapper and hookwrapper:
        raise TypeError(f"implements({name}): wrapper and hookwrapper are mutually exclusive")

    def mark(implementation: Any) -> Any:
        if not callable(implementation):
            raise TypeError(f"implements({name}) decorates a function, not {implementation!r}")
        # pluggy matches an implementation by its name; another name implements this spec anyway.
        specname = None if getattr(implementation, "__name__", None) == name else name
        return hookimpl(
            tryfirst=tryfirst, trylast=trylast, wrapper=wrapper, hookwrapper=hookwrapper, specname=specname
        )(implementation)

    return mark


class _Implements:
    """``@implements(spec)``: mark a hook implementation that mypy checks against ``spec``.

    ``spec`` is the hook spec itself (``hookspecs.register_guards``), so mypy reports a misspelt
    hook (an AttributeError at import, too) and a wrong signature. The implementation must take all of
    the spec's parameters, by the same names (pluggy passes them by name), with types at least as
    wide as the spec's, and return what the spec returns; it may have any function name. At
    runtime this is ``hookimpl`` with the given options; anything but one of this module's specs
    raises ``TypeError``.

    ``wrapper=True`` (new-style) expects ``Generator[None, list[R], list[R]]`` and
    ``hookwrapper=True`` (old-style) ``Generator[None, pluggy.Result[list[R]], None]``, where ``R``
    is the spec's return type (every hook here is collect-all). :meth:`method` is the same for a
    method of a plugin object.

    The plain :data:`hookimpl` stays available for implementations that leave out parameters
    they do not use; those are not checked.
    """

    @overload
    def __call__(
        self,
        spec: Callable[_P, _R],
        *,
        tryfirst: bool = False,
        trylast: bool = False,
        wrapper: Literal[False] = False,
        hookwrapper: Literal[False] = False,
    ) -> TypedHookimpl[_P, _R]: ...

    @overload
    def __call__(
        self,
        spec: Callable[_P, _R],
        *,
        tryfirst: bool = False,
        trylast: bool = False,
        wrapper: Literal[True],
        hookwrapper: Literal[False] = False,
    ) -> TypedHookimpl[_P, _Wrapper[_R]]: ...

    @overload
    def __call__(
        self,
        spec: Callable[_P, _R],
        *,
        tryfirst: bool = False,
        trylast: bool = False,
        wrapper: Literal[False] = False,
        hookwrapper: Literal[True],
    ) -> TypedHookimpl[_P, _OldWrapper[_R]]: ...

    def __call__(
        self,
        spec: Callable[_P, _R],
        *,
        tryfirst: bool = False,
        trylast: bool = False,
        wrapper: bool = False,
        hookwrapper: bool = False,
    ) -> Any:
        return _marker(spec, tryfirst, trylast, wrapper, hookwrapper)

    @overload
    def method(
        self,
        spec: Callable[_P, _R],
        *,
        tryfirst: bool = False,
        trylast: bool = False,
        wrapper: Literal[False] = False,
        hookwrapper: Literal[False] = False,
    ) -> TypedHookimplMethod[_P, _R]: ...

    @overload
    def method(
        self,
        spec: Callable[_P, _R],
        *,
        tryfirst: bool = False,
        trylast: bool = False,
        wrapper: Literal[True],
        hookwrapper: Literal[False] = False,
    ) -> TypedHookimplMethod[_P, _Wrapper[_R]]: ...

    @overload
    def method(
        self,
        spec: Callable[_P, _R],
        *,
        tryfirst: bool = False,
        trylast: bool = False,
        wrapper: Literal[False] = False,
        hookwrapper: Literal[True],
    ) -> TypedHookimplMethod[_P, _OldWrapper[_R]]: ...

    def method(
        self,
        spec: Callable[_P, _R],
        *,
        tryfirst: bool = False,
        trylast: bool = False,
        wrapper: bool = False,
        hookwrapper: bool = False,
    ) -> Any:
        """``@implements.method(spec)``: the same for a method (``self`` first, then the spec's
        parameters) of a plugin object."""
        return _marker(spec, tryfirst, trylast, wrapper, hookwrapper)

    def __repr__(self) -> str:
        return "rai_assistant.hookspecs.implements"


implements = _Implements()


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
