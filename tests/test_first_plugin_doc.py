"""docs/first-plugin.md: its plugin runs in a real app, and its tests pass against that plugin.

tests/test_docs.py reads the hook pages (docs/hooks/), so this page gets its own test. The page's first
```python block is a complete plugin (imported as ``rai_acme_tools``, as the page names it); the
second is its tests, run here with the kit's ``rai_app`` fixture.
"""

from __future__ import annotations

import inspect
import re
import sys
import types
from pathlib import Path

import pytest
from rai_assistant import Verdict
from rai_assistant import testing as kit

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "first-plugin.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE, flags=re.S)

rai_app = kit.rai_app
rai_data_dir = kit.rai_data_dir


def _module(code: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(code, f"docs/first-plugin.md:{name}", "exec"), module.__dict__)
    return module


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = _module(BLOCKS[0], "rai_acme_tools")
    monkeypatch.setitem(sys.modules, "rai_acme_tools", module)
    return module


def test_the_page_has_a_plugin_and_its_tests():
    assert len(BLOCKS) == 2
    assert "@hookimpl" in BLOCKS[0] and "def test_" in BLOCKS[1]
    for command in ("rai plugin new acme-tools", "pip install -e .", "rai plugins", "pytest"):
        assert command in PAGE


def test_the_plugin_flags_pay_in_a_draft(plugin, rai_app):
    app = rai_app(
        plugin, replies=["[PERSON_1] [SURNAME_1] earned a $5,000 bonus for the audit."], revise=False
    )
    assert app.registry.plugin_of("guards", "pay_figures") == "rai_acme_tools"
    draft = app.draft("feedback", subject="Ana Lima", notes="Ana closed the vendor audit a week early.")
    flags = [f for f in draft.findings if f.guard == "pay_figures"]
    assert [f.verdict for f in flags] == [Verdict.FLAG]
    assert flags[0].span is not None and flags[0].span.text == "$5,000"


def test_the_pages_tests_pass(plugin, rai_app):
    tests = _module(BLOCKS[1], "doc_first_plugin_tests")
    ran = []
    for name, fn in inspect.getmembers(tests, inspect.isfunction):
        if name.startswith("test_"):
            fixtures = {"rai_app": rai_app}
            fn(**{p: fixtures[p] for p in inspect.signature(fn).parameters})
            ran.append(name)
    assert ran == ["test_pay_figures_are_flagged", "test_the_guard_flags_a_draft"]


def test_the_pages_tests_fail_when_the_guard_stops_flagging(plugin, rai_app, monkeypatch):
    monkeypatch.setattr(plugin, "check_pay", lambda text, ctx: [])
    tests = _module(BLOCKS[1], "doc_first_plugin_tests_broken")
    with pytest.raises(ValueError, match="not enough values"):
        tests.test_pay_figures_are_flagged()
