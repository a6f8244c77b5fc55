"""Every hook has its own documentation page and a test; every example in the pages runs."""

from __future__ import annotations

import inspect
import re
import types
from pathlib import Path

import pytest
from rai_assistant import hookspecs

ROOT = Path(__file__).resolve().parent.parent
INDEX = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
PAGES = {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs" / "hooks").glob("*.md"))}
HOOKS = sorted(
    name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(fn, "rai_assistant_spec")
)


def _blocks() -> list[str]:
    return [b for page in PAGES.values() for b in re.findall(r"```python\n(.*?)```", page, flags=re.S)]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_page_with_its_exact_signature_linked_from_the_index(hook):
    params = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    assert PAGES[hook].startswith(f"# `{hook}({params})`")
    assert f"(hooks/{hook}.md)" in INDEX
    assert len(re.findall(r"```python\n", PAGES[hook])) == 1, "one complete plugin per page"


def test_every_page_is_a_hook():
    assert sorted(PAGES) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py") if p.name != "test_docs.py")
    assert f"def {hook}(" in tests or f"{hook}(" in tests


def _module(code: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(code, f"docs/hooks/{name}", "exec"), module.__dict__)
    return module


def test_every_docs_example_runs(make_app, scripted):
    modules = [_module(code, f"doc_example_{i}") for i, code in enumerate(_blocks())]
    assert len(modules) == len(HOOKS)
    app = make_app(scripted(echo=True), *modules)
    assert "one_on_one" in app.registry.features
    assert "codenames" in app.registry.guards
    assert "canned" in app.registry.models
    assert "acme-handbook" in app.registry.policies
    assert "html" in app.registry.label_formats
    d = app.draft("one_on_one", subject="Rui Costa", notes="Rui mentioned Project Nightjar twice this week.")
    assert d.status == "pending_review"
    assert d.label["extensions"]["tenant_notice_id"] == "acme-ai-2026"
    sink = next(m for m in modules if hasattr(m, "SEEN"))
    assert [k for _, k in sink.SEEN][-2:] == ["request", "draft"]
    html = app.registry.label_formats["html"].render(d.label)
    assert "ai-notice" in html
    canned = make_app(*modules, model="canned").draft("feedback", subject="Rui Costa", notes="Rui closed 14 tickets.")
    assert canned.text.startswith("Rui closed 14 tickets")


def test_docs_command_example_adds_a_command():
    import typer
    from typer.testing import CliRunner

    module = _module(next(b for b in _blocks() if "register_commands" in b), "doc_cmd")
    cli = typer.Typer()

    @cli.command()
    def noop() -> None:
        pass

    module.register_commands(cli=cli)
    assert "hello from a plugin" in CliRunner().invoke(cli, ["hello"]).output


def test_docs_on_violation_example_suspends_child_harm():
    from rai_assistant.types import Finding, Verdict

    module = _module(next(b for b in _blocks() if "def on_violation" in b), "doc_violation")
    f = Finding(guard="acceptable_use", clauses=("4.2",), verdict=Verdict.BLOCK, message="m", category="child_harm")
    assert module.on_violation(user="u", tenant="", findings=[f], count=1) == "suspension"
