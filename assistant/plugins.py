"""The plugin manager and the registry of everything with a name.

:func:`build_plugin_manager` is the one place a manager is made: the built-ins first, then the
``rai_assistant`` entry-point group (or only the packages named in ``$RAI_LOAD_PLUGINS``), then
``check_pending()`` so that a misspelled hook fails at start-up. :func:`collect` then calls every
``register_*`` hook, plugin by plugin, so each registration is attributed to its plugin.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Generic, TypeVar

import pluggy

from assistant import hookspecs
from assistant.config import AppConfig
from assistant.errors import PluginError
from assistant.types import FeatureSpec, GuardSpec, LabelFormat, ModelSpec, PolicyDocument

__all__ = ["BUILTIN_PLUGINS", "KIND_NAMES", "Registry", "build_plugin_manager", "collect"]

#: Built-in plugins, registered through the same hooks as third-party packages.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "policy_corpus",
    "plugins.models",
    "plugins.features",
    "plugins.labels",
    "guards.acceptable_use",
    "guards.review",
    "guards.passages",
    "guards.bias",
    "guards.sensitive_facts",
    "guards.grounding",
    "guards.quality",
    "guards.pii_leak",
    "guards.summary_quotes",
    "guards.provider",
)

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME

T = TypeVar("T")


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    """Load third-party plugins; ``RAI_LOAD_PLUGINS`` limits which (empty: none), like llm."""
    wanted_env = os.environ.get("RAI_LOAD_PLUGINS")
    wanted = None
    if wanted_env is not None:
        wanted = {w.strip() for w in wanted_env.split(",") if w.strip()}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else ep.name
        if wanted is not None and dist not in wanted and ep.name not in wanted:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
        except ImportError as exc:
            raise PluginError(
                f"plugin {ep.name!r} (package {dist}) cannot be imported: {exc}; "
                f"reinstall it or uninstall it (pip uninstall {dist})"
            ) from exc
        _register(pm, plugin, ep.name)
    if wanted:
        loaded = {name for name, _ in pm.list_name_plugin()}
        dists = {
            (ep.dist.name if ep.dist else ep.name)
            for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        }
        missing = sorted(w for w in wanted if w not in loaded and w not in dists)
        if missing:
            raise PluginError(
                f"RAI_LOAD_PLUGINS names {', '.join(missing)}, which no installed package provides; "
                "check the spelling or pip install the plugin"
            )


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        raise PluginError(f"plugin {name!r} cannot be registered: {exc}") from exc


def build_plugin_manager(
    *, builtins: Iterable[str] = BUILTIN_PLUGINS, extra: Iterable[object] = (), entry_points: bool = True
) -> pluggy.PluginManager:
    """Make a fresh plugin manager: built-ins, ``extra`` objects, entry points, then check hooks."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    for module_name in builtins:
        module: ModuleType = importlib.import_module(module_name)
        _register(pm, module, module_name)
    for plugin in extra:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        _register(pm, plugin, name)
    if entry_points:
        _load_entry_points(pm)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        plugin_name = pm.get_name(exc.plugin) or repr(exc.plugin)
        raise PluginError(
            f"plugin {plugin_name!r} implements a hook that does not exist: {exc}; "
            "see docs/hooks.md for the hook names"
        ) from exc
    return pm


@dataclass
class _Table(Generic[T]):
    kind: str
    items: dict[str, T] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)


@dataclass
class Registry:
    """Everything the plugins registered, by name, with the plugin that registered it."""

    features: dict[str, FeatureSpec] = field(default_factory=dict)
    guards: dict[str, GuardSpec] = field(default_factory=dict)
    models: dict[str, ModelSpec] = field(default_factory=dict)
    policies: dict[str, PolicyDocument] = field(default_factory=dict)
    label_formats: dict[str, LabelFormat] = field(default_factory=dict)
    origin: dict[tuple[str, str], str] = field(default_factory=dict)

    def plugin_of(self, kind: str, name: str) -> str:
        return self.origin.get((kind, name), "?")


#: How each registry table names one of its entries (for messages and listings).
KIND_NAMES = {
    "features": "feature",
    "guards": "guard",
    "models": "model",
    "policies": "policy",
    "label_formats": "label format",
}

_KINDS: dict[str, tuple[str, type[Any], Callable[[Any], str]]] = {
    "register_features": ("features", FeatureSpec, lambda o: o.name),
    "register_guards": ("guards", GuardSpec, lambda o: o.name),
    "register_models": ("models", ModelSpec, lambda o: o.prefix),
    "register_policies": ("policies", PolicyDocument, lambda o: o.policy_id),
    "register_label_formats": ("label_formats", LabelFormat, lambda o: o.name),
}


def collect(pm: pluggy.PluginManager, config: AppConfig | None = None) -> Registry:
    """Call every ``register_*`` hook; refuse wrong types and duplicate names, naming the plugin."""
    if config is None:
        config = AppConfig()
    registry = Registry()
    for hook_name, (kind, cls, key) in _KINDS.items():
        table: dict[str, Any] = getattr(registry, kind)
        caller = getattr(pm.hook, hook_name)
        # In registration order: built-ins first, so a later plugin reusing a name is the one named.
        for impl in caller.get_hookimpls():
            plugin_name = impl.plugin_name

            def register(
                obj: object,
                _plugin: str = plugin_name,
                _kind: str = kind,
                _table: dict[str, Any] = table,
                _cls: type[Any] = cls,
                _key: Callable[[Any], str] = key,
                _hook: str = hook_name,
            ) -> None:
                _check_and_add(registry, _table, _kind, _cls, _key, obj, _plugin, _hook)

            kwargs = {"register": register, "config": config}
            impl.function(**{name: kwargs[name] for name in impl.argnames})
    return registry


def _check_and_add(
    registry: Registry,
    table: dict[str, Any],
    kind: str,
    cls: type[Any],
    key: Callable[[Any], str],
    obj: object,
    plugin: str,
    hook_name: str,
) -> None:
    if not isinstance(obj, cls):
        raise PluginError(
            f"plugin {plugin!r} passed a {type(obj).__name__} to {hook_name}; "
            f"it takes assistant.types.{cls.__name__} objects"
        )
    name = key(obj)
    if not isinstance(name, str) or not name or name != name.strip() or ":" in name and kind != "policies":
        raise PluginError(f"plugin {plugin!r} registered a {KIND_NAMES[kind]} with an invalid name {name!r}")
    if name in table:
        other = registry.origin[(kind, name)]
        raise PluginError(
            f"plugin {plugin!r} registers {KIND_NAMES[kind]} {name!r}, which plugin {other!r} already "
            "registered; rename one of them or uninstall one plugin"
        )
    table[name] = obj
    registry.origin[(kind, name)] = plugin
