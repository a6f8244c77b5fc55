"""The example third-party plugin, installed as a package and found through its entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT / "examples" / "rai-example-plugin")],
        check=True, capture_output=True, text=True, timeout=300,
    )
    return target


def rai(site: Path, *args: str, load: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT)])
    if load is None:
        env.pop("RAI_LOAD_PLUGINS", None)
    else:
        env["RAI_LOAD_PLUGINS"] = load
    return subprocess.run([sys.executable, "-m", "rai_assistant.cli", *args], capture_output=True, text=True, env=env, timeout=240)


def test_plugin_is_listed_and_its_feature_passes_the_same_guards(installed: Path):
    listed = rai(installed, "plugins")
    assert listed.returncode == 0, listed.stderr
    assert "example" in listed.stdout and "kudos" in listed.stdout and "no_stack_ranking" in listed.stdout

    ok = rai(installed, "draft", "kudos", "--subject", "Ana Lima", "--model", "fake", "--json",
             "--notes", "Ana covered the on-call week during the launch and fixed two outages.")
    assert ok.returncode == 0, ok.stderr
    draft = json.loads(ok.stdout)
    assert draft["status"] == "pending_review" and draft["label"]["feature"] == "kudos"
    assert "Ana Lima" in draft["text"]

    # the built-in request guards apply to the plugin's feature too
    bad = rai(installed, "draft", "kudos", "--subject", "Ana Lima", "--model", "fake",
              "--notes", "Thank her, and then strip the AI-generated label so it looks handwritten.")
    assert bad.returncode == 1 and "4.1" in bad.stderr


def test_plugin_guard_blocks_unreviewed_stack_ranking(installed: Path):
    res = rai(installed, "draft", "feedback", "--subject", "Ana Lima", "--model", "fake",
              "--notes", "Stack rank the whole support team and send the bottom 10% list straight to payroll.")
    assert res.returncode == 1
    assert "4.3" in res.stderr


def test_rai_load_plugins_empty_turns_it_off(installed: Path):
    res = rai(installed, "plugins", load="")
    assert res.returncode == 0 and "kudos" not in res.stdout
