"""The wheel: one import namespace, the built-ins as entry points, every data file inside.

Built the way pip builds it (setuptools' PEP 517 backend, no network), then read as a zip.
"""

from __future__ import annotations

import configparser
import importlib.metadata
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rai_assistant.errors import PluginError
from rai_assistant.plugin_manager import BUILTIN_PLUGINS, ENTRY_POINT_GROUP, build_plugin_manager

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    (found,) = out.glob("rai_assistant-*.whl")
    return zipfile.ZipFile(found)


def test_the_wheel_installs_one_top_level_package(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/", 1)[0] for name in wheel.namelist() if not name.split("/", 1)[0].endswith(".dist-info")}
    assert tops == {"rai_assistant"}


def test_the_source_packages_map_into_the_namespace_with_their_data(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for path in (
        "rai_assistant/__init__.py",
        "rai_assistant/py.typed",
        "rai_assistant/testing.py",
        "rai_assistant/static/index.html",
        "rai_assistant/migrations/env.py",
        "rai_assistant/plugins/features.py",
        "rai_assistant/plugins/data/prompts.toml",
        "rai_assistant/guards/bias.py",
        "rai_assistant/guards/data/lexicon_en.toml",
        "rai_assistant/guards/data/messages.toml",
        "rai_assistant/guards/data/acceptable_use/model.npz",
        "rai_assistant/policy_corpus/__init__.py",
        "rai_assistant/policy_corpus/responsible-ai-policy.txt",
    ):
        assert path in names, path
    assert any(n.startswith("rai_assistant/templates/plugin/") for n in names)
    assert not any(n.startswith(("assistant/", "guards/", "plugins/", "policy_corpus/")) for n in names)


def test_the_builtins_are_entry_points_of_the_plugin_group(wheel: zipfile.ZipFile) -> None:
    (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser(delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(wheel.read(meta).decode())
    declared = dict(parser[ENTRY_POINT_GROUP])
    assert set(declared) == set(BUILTIN_PLUGINS)
    assert all(declared[name] == name for name in BUILTIN_PLUGINS)
    assert parser["console_scripts"]["rai"] == "rai_assistant.cli:main"


def test_without_the_package_metadata_start_up_stops_with_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> importlib.metadata.Distribution:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", not_installed)
    with pytest.raises(PluginError, match=r"built-in plugins .* are not registered.*pip install -e \."):
        build_plugin_manager(entry_points=False)


def test_a_builtin_name_that_does_not_exist_is_refused() -> None:
    with pytest.raises(PluginError, match="'rai_assistant.guards.nope' is not a built-in plugin"):
        build_plugin_manager(builtins=("rai_assistant.guards.nope",), entry_points=False)
