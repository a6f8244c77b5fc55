"""``rai plugin new NAME``: write a ready-to-install plugin package, ``rai-NAME/``.

The package has a guard, a feature, tests that use the :mod:`rai_assistant.testing` kit, a README
and a CI workflow. The files come from ``assistant/templates/plugin/`` (``*.tmpl``), with
``{{name}}``, ``{{dist}}``, ``{{module}}``, ``{{feature}}`` and ``{{guard}}`` filled in.
See ``docs/first-plugin.md``.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

__all__ = ["NAME_RE", "check_name", "plugin_app", "plugin_files", "write_plugin"]

plugin_app = typer.Typer(help="Start a plugin package of your own.", no_args_is_help=True)

#: Lowercase letters and digits in hyphen-separated words, starting with a letter.
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_MAX_NAME = 40

#: Template (under assistant/templates/plugin) -> file in the new package. Templates carry a
#: ``.tmpl`` suffix so that neither pytest nor ruff treats them as this project's code, and
#: ``github`` stands for ``.github`` because package-data globs skip dot-directories.
_FILES: tuple[tuple[str, str], ...] = (
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("conftest.py.tmpl", "conftest.py"),
    ("package/__init__.py.tmpl", "{module}/__init__.py"),
    ("package/py.typed.tmpl", "{module}/py.typed"),
    ("tests/test_plugin.py.tmpl", "tests/test_plugin.py"),
    ("github/workflows/ci.yml.tmpl", ".github/workflows/ci.yml"),
)
_TOKEN_RE = re.compile(r"\{\{(\w+)\}\}")

_err = Console(stderr=True, soft_wrap=True)
_out = Console(soft_wrap=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    _err.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def check_name(name: str) -> str | None:
    """Why ``name`` cannot name a plugin, or ``None`` when it can."""
    if name.startswith("rai-"):
        return f"leave out the rai- prefix: `rai plugin new {name[4:]}` makes the package rai-{name[4:]}"
    if len(name) > _MAX_NAME:
        return f"plugin name {name!r} is longer than {_MAX_NAME} characters"
    if not NAME_RE.fullmatch(name):
        return (
            f"plugin name {name!r} is not valid: use lowercase letters, digits and single hyphens, "
            "starting with a letter (e.g. acme-tools)"
        )
    return None


def plugin_files(name: str) -> dict[str, str]:
    """The new package's files for plugin ``name``: relative path -> text."""
    snake = name.replace("-", "_")
    values = {
        "name": name,
        "dist": f"rai-{name}",
        "module": f"rai_{snake}",
        "feature": f"{snake}_thanks",
        "guard": f"{snake}_internal_hosts",
    }
    root = resources.files("rai_assistant").joinpath("templates", "plugin")
    files: dict[str, str] = {}
    for template, target in _FILES:
        text = root.joinpath(*template.split("/")).read_text(encoding="utf-8")
        files[target.format(module=values["module"])] = _TOKEN_RE.sub(lambda m: values[m.group(1)], text)
    return files


def write_plugin(name: str, directory: Path, *, force: bool = False) -> Path:
    """Write ``rai-NAME/`` under ``directory`` and return it.

    :raises ValueError: ``name`` is not a valid plugin name, or the target exists, is not empty
        and ``force`` is false.
    """
    problem = check_name(name)
    if problem is not None:
        raise ValueError(problem)
    target = directory / f"rai-{name}"
    if target.exists() and not target.is_dir():
        raise ValueError(f"{target} exists and is not a directory: choose another --dir")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise FileExistsError(
            f"{target} already exists and is not empty: choose another --dir, or pass --force "
            "to overwrite the generated files in it"
        )
    for relative, text in plugin_files(name).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target


@plugin_app.callback()
def _plugin() -> None:
    """Start a plugin package of your own."""


@plugin_app.command("new")
def new(
    name: str = typer.Argument(..., help="The plugin's name: lowercase letters, digits, hyphens."),
    directory: Path = typer.Option(Path("."), "--dir", help="Where to create rai-NAME/."),
    force: bool = typer.Option(False, "--force", help="Overwrite the files of an existing rai-NAME/."),
) -> None:
    """Write rai-NAME/: a plugin package with a guard, a feature, tests, a README and CI."""
    try:
        target = write_plugin(name, directory, force=force)
    except (ValueError, FileExistsError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write the plugin: {exc}", code=1)
    _out.print(f"created {escape(str(target))}/", highlight=False)
    for relative in sorted(plugin_files(name)):
        _out.print(f"  {escape(relative)}", highlight=False)
    _out.print(
        "next: cd into it, then `pip install -e . pytest`, `pytest` and `rai plugins` "
        "(see docs/first-plugin.md)",
        highlight=False,
    )
