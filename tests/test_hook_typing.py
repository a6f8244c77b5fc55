"""``@implements(hookspecs.HOOK)``: mypy checks a hook implementation against its spec.

The mypy test writes small plugins into ``tmp_path`` and runs ``scripts/typecheck.sh`` on them:
the script builds the symlinked view in which ``rai_assistant`` resolves, then runs mypy with the
arguments given. Its config is the project's ``[tool.mypy]`` (strict), except that only
``rai_assistant``, pluggy and pydantic are followed, silently (errors are reported for the given
files only), and every other third-party package is skipped (``Any``): a cold run then takes
about ten seconds instead of forty, and with the cache under ``build/`` a warm one about two.
The other tests are runtime checks of the marker.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
import tomllib
import types
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import Any

import pytest
from rai_assistant import hookspecs, implements
from rai_assistant.cli_plugin import plugin_files
from rai_assistant.plugin_manager import build_plugin_manager, collect, hooks_by_plugin
from rai_assistant.types import Finding, GuardSpec, Stage

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "mypy-cache-hook-typing"
DOCS_EXAMPLE = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8"), re.S)

GOOD = '''
from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from typing import Any

import pluggy
from rai_assistant import AppConfig, Finding, GuardContext, GuardSpec, Stage, hookspecs, implements


def check(text: str, ctx: GuardContext) -> list[Finding]:
    return []


@implements(hookspecs.register_guards)
def register_guards(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    register(GuardSpec(name="typed", clauses=("4.2",), stages=(Stage.DRAFT,), check=check))


@implements(hookspecs.amend_label, tryfirst=True)
def another_name(label: Mapping[str, Any], feature: str) -> dict[str, str]:
    return {"feature_family": feature}


@implements(hookspecs.on_violation)
def on_violation(user: str, tenant: str, findings: list[Finding], count: int) -> str | None:
    return "warning" if count > 2 else None


@implements(hookspecs.amend_label, wrapper=True)
def wrap_label(
    label: Mapping[str, Any], feature: str
) -> Generator[None, list[Mapping[str, Any] | None], list[Mapping[str, Any] | None]]:
    results = yield
    return results


@implements(hookspecs.audit_event, hookwrapper=True)
def old_style(event: Mapping[str, Any]) -> Generator[None, pluggy.Result[list[None]], None]:
    outcome = yield
    outcome.get_result()


class Sink:
    @implements.method(hookspecs.audit_event)
    def audit_event(self, event: Mapping[str, Any]) -> None:
        print(event["kind"])


Sink().audit_event({"kind": "draft"})
register_guards(lambda spec: None, AppConfig())
'''

# Each wrong implementation carries `# BAD: case` on its decorator line, where mypy reports it.
BAD = '''
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rai_assistant import AppConfig, GuardSpec, hookspecs, implements


@implements(hookspecs.register_guards)  # BAD: register_takes_an_int
def register_guards(register: int, config: AppConfig) -> None:
    pass


@implements(hookspecs.amend_label)  # BAD: amend_label_returns_an_int
def amend_label(label: Mapping[str, Any], feature: str) -> int:
    return 1


@implements(hookspecs.register_guards)  # BAD: subset_form
def register_some(register: Callable[[GuardSpec], None]) -> None:
    pass


@implements(hookspecs.on_violation)  # BAD: misnamed_parameter
def on_violation(user: str, tenant: str, findings: list[Any], counted: int) -> str | None:
    return None


@implements(hookspecs.register_guard)  # BAD: no_such_hook
def register_guard(register: Callable[[GuardSpec], None], config: AppConfig) -> None:
    pass


class Sink:
    @implements.method(hookspecs.audit_event)  # BAD: method_takes_an_int
    def audit_event(self, event: int) -> None:
        pass
'''

#: case -> (error code, text that the error or its note must show)
EXPECTED = {
    "register_takes_an_int": ("arg-type", "(self, register: Callable[[GuardSpec], None], config: AppConfig) -> None"),
    "amend_label_returns_an_int": (
        "arg-type",
        "(self, label: Mapping[str, Any], feature: str) -> Mapping[str, Any] | None",
    ),
    "subset_form": ("arg-type", "(self, register: Callable[[GuardSpec], None], config: AppConfig) -> None"),
    "misnamed_parameter": ("arg-type", "findings: list[Finding], count: int) -> str | None"),
    "no_such_hook": ("attr-defined", 'has no attribute "register_guard"'),
    "method_takes_an_int": ("arg-type", "event: Mapping[str, Any]) -> None"),
}


def _mypy_command() -> str:
    found = Path(sys.executable).with_name("mypy")
    if not found.exists():
        pytest.skip("mypy is not installed (pip install -e '.[dev]')")
    return str(found)


def _mypy_config(path: Path) -> Path:
    """The project's [tool.mypy] (strict, the view on mypy_path) following only what the hooks need."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    lines = ["[mypy]"]
    for key, value in project.items():
        if key in ("packages", "files", "modules"):
            continue  # the files are given on the command line
        if isinstance(value, list):
            value = ",".join(map(str, value))
        lines.append(f"{key} = {value}")
    lines += ["follow_imports = skip", "", "[mypy-rai_assistant.*,pluggy.*,pydantic.*,pydantic_core.*]",
              "follow_imports = silent", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _run_mypy(config: Path, *files: Path) -> str:
    CACHE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "typecheck.sh"), "--config-file", str(config), "--strict",
         "--cache-dir", str(CACHE), "--no-error-summary", "--no-pretty", "--hide-error-context",
         *map(str, files)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "MYPY": _mypy_command()},
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 2: mypy itself failed
    return result.stdout


def _write(path: Path, text: str) -> str:
    """Write ``text`` to ``path`` under a first line naming the path, and return what was written.

    mypy's cache is keyed by module name: a file with the same name and text as in an earlier run
    would get that run's messages, with that run's path, replayed. The first line makes it new.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"# {path}\n{text}"
    path.write_text(text, encoding="utf-8")
    return text


def _messages(output: str, path: Path, line: int) -> list[str]:
    return [m for m in output.splitlines() if m.startswith(f"{path}:{line}:")]


def test_mypy_accepts_a_correct_implementation_and_names_the_hooks_parameters_of_a_wrong_one(tmp_path: Path):
    good = tmp_path / "good_plugin.py"
    _write(good, GOOD)
    bad = tmp_path / "bad_plugin.py"
    bad_text = _write(bad, BAD)
    [docs_example] = DOCS_EXAMPLE
    docs = tmp_path / "docs_hooks_example.py"
    _write(docs, docs_example)
    template = tmp_path / "generated" / "rai_acme_tools" / "__init__.py"
    _write(template, plugin_files("acme-tools")["rai_acme_tools/__init__.py"])

    output = _run_mypy(_mypy_config(tmp_path / "mypy.ini"), good, bad, docs, template)

    for clean in (good, docs, template):
        assert str(clean) not in output, output
    lines = bad_text.splitlines()
    reported = set()
    for number, text in enumerate(lines, start=1):
        if "# BAD: " not in text:
            continue
        case = text.split("# BAD: ")[1]
        code, shown = EXPECTED[case]
        found = _messages(output, bad, number)
        assert any(m.endswith(f"[{code}]") for m in found), (case, output)
        assert any(shown in m for m in found), (case, found)
        reported.add(case)
    assert reported == set(EXPECTED)
    # nothing but the marked lines (the class body's own line is fine too: none expected)
    marked = {n for n, t in enumerate(lines, start=1) if "# BAD: " in t}
    errors = [m for m in output.splitlines() if m.startswith(f"{bad}:") and ": error: " in m]
    assert {int(m.split(":")[1]) for m in errors} == marked, output


# ---------------------------------------------------------------- runtime


def test_implements_refuses_anything_but_a_hookspec():
    def register_guards(register: Any, config: Any) -> None:  # same name, not the spec
        pass

    for not_a_spec in (register_guards, print, "register_guards", hookspecs.hookimpl):
        with pytest.raises(TypeError, match=r"implements\(\) takes a hook spec.*the hooks are amend_label"):
            implements(not_a_spec)
    with pytest.raises(TypeError, match="mutually exclusive"):
        implements(hookspecs.amend_label, wrapper=True, hookwrapper=True)
    with pytest.raises(TypeError):
        implements(hookspecs.amend_label, specname="x")


def test_implements_is_the_pluggy_marker_with_its_options():
    def amend(label: Mapping[str, Any], feature: str) -> None:
        return None

    marked = implements(hookspecs.amend_label, tryfirst=True)(amend)
    assert marked is amend
    opts = amend.rai_assistant_impl
    assert opts["tryfirst"] and not opts["trylast"] and not opts["wrapper"]
    assert opts["specname"] == "amend_label"  # another function name still implements the spec


def _plugin() -> types.ModuleType:
    module = types.ModuleType("typed_plugin")
    seen: list[Mapping[str, Any]] = []

    def check(text: str, ctx: Any) -> list[Finding]:
        return []

    @implements(hookspecs.register_guards)
    def register_guards(register: Any, config: Any) -> None:
        register(GuardSpec(name="typed_guard", clauses=("4.2",), stages=(Stage.DRAFT,), check=check))

    @implements(hookspecs.amend_label)
    def label_fields(label: Mapping[str, Any], feature: str) -> Mapping[str, Any] | None:
        return {"typed": feature}

    @implements(hookspecs.amend_label, wrapper=True)
    def wrap(label: Mapping[str, Any], feature: str) -> Generator[None, list[Any], list[Any]]:
        results = yield
        return [*results, {"wrapped": True}]

    module.register_guards = register_guards
    module.label_fields = label_fields
    module.wrap = wrap
    module.SEEN = seen
    return module


class _Sink:
    __name__ = "typed_sink"

    def __init__(self) -> None:
        self.events: list[Mapping[str, Any]] = []

    @implements.method(hookspecs.audit_event)
    def audit_event(self, event: Mapping[str, Any]) -> None:
        self.events.append(event)


def test_a_plugin_marked_with_implements_registers_and_is_called_through_pm_hook(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("RAI_PLUGINS_DIR", raising=False)
    plugin, sink = _plugin(), _Sink()
    pm = build_plugin_manager(extra=[plugin, sink], entry_points=False)

    registry = collect(pm)
    assert registry.plugin_of("guards", "typed_guard") == "typed_plugin"
    assert "review" in registry.guards  # the built-ins, marked the same way, registered too
    assert pm.hook.amend_label(label={}, feature="goal")[-1] == {"wrapped": True}
    assert {"typed": "goal"} in pm.hook.amend_label(label={}, feature="goal")
    pm.hook.audit_event(event={"kind": "draft"})
    assert sink.events == [{"kind": "draft"}]
    hooks = hooks_by_plugin(pm)
    assert hooks["typed_plugin"] == ["amend_label", "register_guards"]
    assert hooks["typed_sink"] == ["audit_event"]


def test_the_typed_example_of_the_hooks_page_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv("RAI_PLUGINS_DIR", raising=False)
    [code] = DOCS_EXAMPLE
    path = tmp_path / "hooks_md_example.py"
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("hooks_md_example", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pm = build_plugin_manager(builtins=(), extra=[module], entry_points=False)
    assert pm.hook.amend_label(label={}, feature="feedback") == [{"tenant_notice_id": "acme-ai-2026"}]
