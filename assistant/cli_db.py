"""``rai db``: bring the database schema up to date and show its version."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rai_assistant.errors import RaiError
from rich.markup import escape

if TYPE_CHECKING:
    from rai_assistant.db import Database

__all__ = ["db_app", "open_database"]

db_app = typer.Typer(help="Create or upgrade the database (drafts, audit log, API keys).", no_args_is_help=True)


def open_database(*, upgrade: bool = True) -> Database:
    """The configured database (``--config``, ``$RAI_DATABASE_URL``, ...); exits 2 with the reason if it fails."""
    from rai_assistant import cli
    from rai_assistant.config import load_config
    from rai_assistant.db import Database

    try:
        database = Database.from_config(load_config(cli._state["config"]))
        if upgrade:
            database.upgrade()
    except RaiError as exc:
        cli._fail(str(exc))
    return database


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the tables or migrate them to the newest version (also done at start-up)."""
    from rai_assistant import cli

    database = open_database(upgrade=False)
    try:
        before = database.current()
        database.upgrade()
        after = database.current()
    except RaiError as exc:
        cli._fail(str(exc))
    change = "already up to date" if before == after else f"upgraded from {before or 'an empty database'}"
    cli.out.print(f"database {escape(database.safe_url)} at revision {after}: {change}")


@db_app.command("current")
def db_current() -> None:
    """Show the schema version; exits 1 when it is behind this version of rai-assistant."""
    from rai_assistant import cli

    database = open_database(upgrade=False)
    try:
        current, head = database.current(), database.head()
    except RaiError as exc:
        cli._fail(str(exc))
    if current != head:
        cli.err.print(
            f"database {escape(database.safe_url)} is at revision {current or 'none'}, "
            f"the newest is {head}: run `rai db upgrade`"
        )
        raise typer.Exit(1)
    cli.out.print(f"{current} (newest)")
