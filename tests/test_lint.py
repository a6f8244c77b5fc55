"""`make lint` is part of the suite: ruff over every Python tree, mypy --strict over the namespace.

Both run as a contributor runs them, so a type error or a lint finding fails CI instead of
waiting for someone to remember the lint target.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_ruff_finds_nothing() -> None:
    trees = ["assistant", "plugins", "guards", "policy_corpus", "tests", "examples", "bench", "training"]
    res = subprocess.run(
        [str(BIN / "ruff"), "check", "--no-cache", *trees], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]


def test_mypy_strict_passes_on_the_whole_namespace_and_the_example_plugin() -> None:
    env = {**os.environ, "MYPY": str(BIN / "mypy")}
    res = subprocess.run(
        ["bash", "scripts/typecheck.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "Success: no issues found" in res.stdout
