"""``rai plugin new``: the generated package installs its entry point and its own tests pass."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from rai_assistant.cli_plugin import plugin_app
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent


def new(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(plugin_app, ["new", *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("plugins")
    code, output = new("acme-tools", "--dir", str(where))
    assert code == 0, output
    return where / "rai-acme-tools"


def test_the_package_has_every_file(generated: Path):
    files = {p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file()}
    assert files == {
        ".github/workflows/ci.yml",
        "README.md",
        "conftest.py",
        "pyproject.toml",
        "rai_acme_tools/__init__.py",
        "rai_acme_tools/py.typed",
        "tests/test_plugin.py",
    }
    project = tomllib.loads((generated / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "rai-acme-tools"
    assert project["project"]["entry-points"]["rai_assistant"] == {"acme-tools": "rai_acme_tools"}
    assert "{{" not in "".join(p.read_text(encoding="utf-8") for p in generated.rglob("*") if p.is_file())
    ci = (generated / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "pip install -e . pytest" in ci and "run: pytest" in ci


def test_the_plugin_registers_its_guard_and_feature(generated: Path, make_app, scripted):
    sys.path.insert(0, str(generated))
    try:
        import rai_acme_tools
    finally:
        sys.path.remove(str(generated))
    app = make_app(rai_acme_tools, scripted(echo=True))
    assert app.registry.plugin_of("guards", "acme_tools_internal_hosts") == "rai_acme_tools"
    assert "3.privacy-security" in app.registry.guards["acme_tools_internal_hosts"].clauses
    assert "acme_tools_thanks" in app.registry.features


def run_own_tests(package: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # The repository root too: rai_assistant is importable from an installed rai-assistant, and
    # from the source tree here.
    env["PYTHONPATH"] = os.pathsep.join([str(package), str(ROOT)])
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "rai_assistant.testing",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::DeprecationWarning",
        ],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_generated_tests_pass(generated: Path):
    result = run_own_tests(generated)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_the_generated_tests_fail_when_the_guard_stops_flagging(tmp_path: Path):
    code, output = new("quiet-guard", "--dir", str(tmp_path))
    assert code == 0, output
    module = tmp_path / "rai-quiet-guard" / "rai_quiet_guard" / "__init__.py"
    source = module.read_text(encoding="utf-8")
    broken = source.replace(
        "for match in _INTERNAL_HOST.finditer(text)", "for match in _INTERNAL_HOST.finditer('')"
    )
    assert broken != source
    module.write_text(broken, encoding="utf-8")
    result = run_own_tests(tmp_path / "rai-quiet-guard")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 failed" in result.stdout


@pytest.mark.parametrize(
    "name", ["Acme", "acme_tools", "acme tools", "acmé", "acme-", "acme--tools", "9lives", "a" * 41, ""]
)
def test_bad_names_are_refused_with_exit_code_2(name: str, tmp_path: Path):
    code, output = new(name, "--dir", str(tmp_path))
    assert code == 2
    assert "lowercase letters, digits" in output or "longer than" in output
    assert list(tmp_path.iterdir()) == []


def test_the_rai_prefix_is_refused_with_a_hint(tmp_path: Path):
    code, output = new("rai-acme", "--dir", str(tmp_path))
    assert code == 2 and "rai plugin new acme" in output


def test_an_existing_directory_is_not_overwritten_without_force(tmp_path: Path):
    target = tmp_path / "rai-acme"
    target.mkdir()
    (target / "README.md").write_text("my own notes\n", encoding="utf-8")
    code, output = new("acme", "--dir", str(tmp_path))
    assert code == 2 and "--force" in output
    assert (target / "README.md").read_text(encoding="utf-8") == "my own notes\n"
    assert sorted(p.name for p in target.iterdir()) == ["README.md"]

    code, output = new("acme", "--dir", str(tmp_path), "--force")
    assert code == 0, output
    assert (target / "README.md").read_text(encoding="utf-8").startswith("# rai-acme")
    assert (target / "rai_acme" / "__init__.py").is_file()


def test_an_existing_empty_directory_is_used(tmp_path: Path):
    (tmp_path / "rai-acme").mkdir()
    code, output = new("acme", "--dir", str(tmp_path))
    assert code == 0, output
    assert (tmp_path / "rai-acme" / "pyproject.toml").is_file()
