"""The plugin manager and the registry of everything with a name.

:func:`build_plugin_manager` is the one place a manager is made: the built-ins first (entry points
of the ``rai-assistant`` distribution itself, loaded like any other), then the rest of the
``rai_assistant`` entry-point group (or only the packages named in ``$RAI_LOAD_PLUGINS``), then
``check_pending()`` so that a misspelled hook fails at start-up. :func:`collect` then calls every
``register_*`` hook, plugin by plugin, so each registration is attributed to its plugin.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import pluggy
from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.errors import PluginError
from rai_assistant.types import FeatureSpec, GuardSpec, LabelFormat, ModelSpec, PolicyDocument

__all__ = [
    "BUILTIN_PLUGINS",
    "KIND_NAMES",
    "Registry",
    "build_plugin_manager",
    "call_each",
    "check_registry",
    "collect",
    "hooks_by_plugin",
    "plugin_dirs",
]

#: The built-in plugins: entry points of this distribution in the ``rai_assistant`` group (see
#: pyproject.toml), named after their modules, registered in this order through the same hooks as
#: third-party packages.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "rai_assistant.policy_corpus",
    "rai_assistant.plugins.models",
    "rai_assistant.plugins.features",
    "rai_assistant.plugins.labels",
    "rai_assistant.guards.acceptable_use",
    "rai_assistant.guards.review",
    "rai_assistant.guards.passages",
    "rai_assistant.guards.bias",
    "rai_assistant.guards.sensitive_facts",
    "rai_assistant.guards.grounding",
    "rai_assistant.guards.quality",
    "rai_assistant.guards.pii_leak",
    "rai_assistant.guards.summary_quotes",
    "rai_assistant.guards.provider",
)

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
#: The distribution whose entry points are the built-ins.
DISTRIBUTION = "rai-assistant"

T = TypeVar("T")


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    """Load third-party plugins; ``RAI_LOAD_PLUGINS`` limits which (empty: none), like llm."""
    wanted_env = os.environ.get("RAI_LOAD_PLUGINS")
    wanted = None
    if wanted_env is not None:
        wanted = {w.strip() for w in wanted_env.split(",") if w.strip()}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else ep.name
        if _is_builtin_dist(dist):
            continue
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


def _is_builtin_dist(name: str) -> bool:
    return name.lower().replace("_", "-") == DISTRIBUTION


def _builtin_entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    """The built-in plugins as this distribution declares them; every one must be there."""
    try:
        declared = importlib.metadata.distribution(DISTRIBUTION).entry_points
    except importlib.metadata.PackageNotFoundError:
        declared = importlib.metadata.EntryPoints(())
    found = {ep.name: ep for ep in declared if ep.group == ENTRY_POINT_GROUP}
    missing = [name for name in BUILTIN_PLUGINS if name not in found]
    if missing:
        raise PluginError(
            f"the built-in plugins {', '.join(missing)} are not registered: rai-assistant is not installed "
            "or its metadata is out of date; install it with `pip install rai-assistant` (from a source "
            "tree: `pip install -e .`)"
        )
    return found


def _register_builtins(pm: pluggy.PluginManager, names: Iterable[str]) -> None:
    found = _builtin_entry_points()
    for name in names:
        ep = found.get(name)
        if ep is None or name not in BUILTIN_PLUGINS:
            raise PluginError(f"{name!r} is not a built-in plugin; the built-ins are {', '.join(BUILTIN_PLUGINS)}")
        try:
            plugin = ep.load()
        except ImportError as exc:
            raise PluginError(
                f"the built-in plugin {name!r} cannot be imported: {exc}; reinstall rai-assistant"
            ) from exc
        _register(pm, plugin, name)


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        raise PluginError(f"plugin {name!r} cannot be registered: {exc}") from exc


def plugin_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Directories of one-file plugins: ``extra`` (``--plugins-dir``), then ``$RAI_PLUGINS_DIR``
    (``os.pathsep``-separated)."""
    found = [Path(d) for d in extra]
    found += [Path(d) for d in os.environ.get("RAI_PLUGINS_DIR", "").split(os.pathsep) if d.strip()]
    return found


def _load_directory(pm: pluggy.PluginManager, directory: Path) -> None:
    """Register every ``*.py`` file in ``directory`` (not ``_*.py``) as a plugin named after it."""
    if not directory.is_dir():
        raise PluginError(f"the plugins directory {directory} does not exist or is not a directory")
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = f"{path.stem} ({path})"
        if pm.has_plugin(name):
            continue
        module_name = f"rai_dir_plugin_{path.stem}_{abs(hash(str(path.resolve()))):x}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise PluginError(f"cannot load the plugin file {path}")
        module = importlib.util.module_from_spec(spec)
        try:
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except Exception as exc:  # noqa: BLE001 - any error in a plugin file stops start-up, named
            sys.modules.pop(module_name, None)
            raise PluginError(
                f"the plugin file {path} failed to load: {type(exc).__name__}: {exc}; fix it or move it "
                "out of the plugins directory"
            ) from exc
        _register(pm, module, name)


def build_plugin_manager(
    *,
    builtins: Iterable[str] = BUILTIN_PLUGINS,
    extra: Iterable[object] = (),
    entry_points: bool = True,
    dirs: Iterable[str | Path] = (),
) -> pluggy.PluginManager:
    """Make a fresh plugin manager: built-ins, ``extra`` objects, entry points, one-file plugins
    from ``dirs`` and ``$RAI_PLUGINS_DIR``, then check every hook name."""
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    _register_builtins(pm, builtins)
    for plugin in extra:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        _register(pm, plugin, name)
    if entry_points:
        _load_entry_points(pm)
    for path in plugin_dirs(dirs):
        _load_directory(pm, path)
    if os.environ.get("RAI_TRACE_PLUGINS", "") not in ("", "0"):
        _trace(pm)
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

            # Through pm.hook (a caller holding this plugin's implementation only), so hook
            # monitoring such as RAI_TRACE_PLUGINS sees every call, attributed to its plugin.
            _only(pm, hook_name, impl.plugin)(register=register, config=config)
    return registry


def _only(pm: pluggy.PluginManager, hook_name: str, plugin: object) -> Any:
    """``pm.hook.<hook_name>`` restricted to one plugin's implementation."""
    others = [p for p in pm.get_plugins() if p is not plugin]
    return pm.subset_hook_caller(hook_name, remove_plugins=others)


def call_each(pm: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Call a hook plugin by plugin, in pluggy's call order (the last registered first, as
    ``pm.hook`` would): ``[(plugin name, result or None)]``.

    For hooks whose results are attributed to their plugin (label amendments); the calls go
    through ``pm.hook``, so monitoring sees them.
    """
    results: list[tuple[str, Any]] = []
    for impl in reversed(getattr(pm.hook, hook_name).get_hookimpls()):
        got = _only(pm, hook_name, impl.plugin)(**kwargs)
        results.append((impl.plugin_name, got[0] if got else None))
    return results


def hooks_by_plugin(pm: pluggy.PluginManager) -> dict[str, list[str]]:
    """``{plugin name: [hooks it implements]}`` for every registered plugin, in registration order."""
    table: dict[str, list[str]] = {name: [] for name, _ in pm.list_name_plugin()}
    for name, plugin in pm.list_name_plugin():
        for caller in pm.get_hookcallers(plugin) or []:
            table[name].append(caller.name)
        table[name].sort()
    return table


_trace_log = logging.getLogger("rai.plugins")


def _trace(pm: pluggy.PluginManager) -> None:
    """``RAI_TRACE_PLUGINS=1``: log each hook call, which plugins answered and how long it took.

    Arguments are not logged: they carry drafts and audit records.
    """
    started: dict[int, list[float]] = {}  # per thread, a stack: a hook may call another

    def before(hook_name: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
        started.setdefault(threading.get_ident(), []).append(time.perf_counter())

    def after(
        outcome: pluggy.Result[Any], hook_name: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]
    ) -> None:
        stack = started.get(threading.get_ident()) or [time.perf_counter()]
        took = (time.perf_counter() - stack.pop()) * 1000
        failed = outcome.exception
        _trace_log.info(
            "hook %s -> %s: %.1f ms%s",
            hook_name,
            ", ".join(i.plugin_name for i in impls) or "(no implementation)",
            took,
            f", raised {type(failed).__name__}" if failed is not None else "",
        )

    pm.add_hookcall_monitoring(before, after)


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
            f"it takes rai_assistant.types.{cls.__name__} objects"
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


#: Option fields are short choices (a tone, a period), capped by their schema at this length.
OPTION_FIELD_MAX_CHARS = 100


def _holds_text(annotation: Any) -> bool:
    """Whether a pydantic field's type can carry typed text (``str``, ``str | None``, ``list[str]``).

    ``Literal`` choices, enums, numbers and dates cannot, and need no declaration.
    """
    import typing

    if annotation is str:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return False
    if origin is typing.Annotated:
        return _holds_text(typing.get_args(annotation)[0])
    return any(_holds_text(arg) for arg in typing.get_args(annotation))


def _max_length(info: Any) -> int | None:
    """The ``max_length`` a pydantic field declares, looking inside ``Optional[Annotated[...]]``."""
    import typing

    found: list[int] = []

    def visit(meta: Iterable[Any]) -> None:
        for m in meta:
            limit = getattr(m, "max_length", None)
            if isinstance(limit, int):
                found.append(limit)
            nested = getattr(m, "metadata", None)
            if isinstance(nested, list):
                visit(nested)

    visit(info.metadata)
    stack = [info.annotation]
    while stack:
        ann = stack.pop()
        if typing.get_origin(ann) is typing.Annotated:
            visit(typing.get_args(ann)[1:])
        stack.extend(a for a in typing.get_args(ann) if a is not type(None))
    return min(found) if found else None


def check_registry(registry: Registry) -> None:
    """Start-up checks of what plugins registered; raises :class:`PluginError` naming each problem.

    * every clause a guard cites exists in a registered policy (a typo such as ``"9.9"`` would
      otherwise drop the guard from the coverage matrix without a word);
    * every feature a guard limits itself to exists;
    * every field a feature names in ``notes_fields``, ``people_fields`` and ``option_fields``
      exists in its input schema, and every text field of the schema is named in one of them (free
      text outside ``notes_fields`` would reach the prompt without the request guards reading it);
      option fields are capped at :data:`OPTION_FIELD_MAX_CHARS` characters by the schema.
    """
    known = {c.id for p in registry.policies.values() for c in p.clauses}
    problems: list[str] = []
    for guard in registry.guards.values():
        plugin = registry.plugin_of("guards", guard.name)
        unknown = [c for c in guard.clauses if c not in known]
        if unknown:
            problems.append(
                f"guard {guard.name!r} (plugin {plugin!r}) cites clause {', '.join(map(repr, unknown))}, which no "
                "registered policy has: use the ids `rai policy show` lists (e.g. '3.privacy-security', '4.1')"
            )
        if not guard.clauses:
            problems.append(
                f"guard {guard.name!r} (plugin {plugin!r}) cites no clause: every verdict must name the "
                "policy clause it enforces"
            )
        if guard.isolation not in ("thread", "process"):
            problems.append(
                f"guard {guard.name!r} (plugin {plugin!r}) asks for isolation {guard.isolation!r}: "
                "use 'thread' (the default) or 'process'"
            )
        strangers = [f for f in guard.features if f not in registry.features]
        if strangers:
            problems.append(
                f"guard {guard.name!r} (plugin {plugin!r}) is limited to unknown feature "
                f"{', '.join(map(repr, strangers))}; known features: {', '.join(sorted(registry.features))}"
            )
    for feature in registry.features.values():
        plugin = registry.plugin_of("features", feature.name)
        where = f"feature {feature.name!r} (plugin {plugin!r})"
        fields = feature.input_model.model_fields
        declared: dict[str, str] = {}
        for attr in ("notes_fields", "people_fields", "option_fields"):
            for name in getattr(feature, attr):
                if name not in fields:
                    problems.append(
                        f"{where} names {name!r} in {attr}, but its input schema "
                        f"{feature.input_model.__name__} has no such field (fields: {', '.join(fields) or 'none'})"
                    )
                elif name in declared:
                    problems.append(f"{where} names {name!r} in both {declared[name]} and {attr}")
                else:
                    declared[name] = attr
        if not feature.notes_fields:
            problems.append(f"{where} has no notes_fields: name the input field that holds the user's notes")
        for name, info in fields.items():
            if name in declared or not _holds_text(info.annotation):
                continue
            problems.append(
                f"{where}: input field {name!r} holds text but is in none of notes_fields (free text, "
                "read by the request guards), people_fields (names, replaced by placeholders) or "
                "option_fields (short choices); as it stands the request guards would not read it"
            )
        for name in feature.option_fields:
            if name in fields and _holds_text(fields[name].annotation):
                limit = _max_length(fields[name])
                if limit is None or limit > OPTION_FIELD_MAX_CHARS:
                    problems.append(
                        f"{where}: option field {name!r} must be capped at {OPTION_FIELD_MAX_CHARS} characters "
                        f"by its schema (Field(max_length=...)); longer text belongs in notes_fields"
                    )
    if problems:
        raise PluginError("; ".join(problems))
