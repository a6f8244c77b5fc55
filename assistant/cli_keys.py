"""``rai keys``: create, list and revoke API keys. A token is printed once, at creation."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer
from rai_assistant.errors import RaiError
from rich.markup import escape
from rich.table import Column, Table

if TYPE_CHECKING:
    from rai_assistant.keys import KeyStore

__all__ = ["keys_app"]

keys_app = typer.Typer(help="Create, list and revoke API keys for the HTTP service.", no_args_is_help=True)


def _keys() -> KeyStore:
    from rai_assistant.cli_db import open_database
    from rai_assistant.keys import KeyStore

    return KeyStore(open_database())


@keys_app.command("create")
def keys_create(
    tenant: str = typer.Option(..., "--tenant", help="The organisation the key belongs to."),
    role: str = typer.Option(..., "--role", help="writer, reviewer, admin or auditor."),
    name: str = typer.Option("", "--name", help="Who or what uses the key (shown in listings)."),
    as_json: bool = typer.Option(False, "--json", help="Print the key and token as JSON."),
) -> None:
    """Create a key and print its token once: it is stored only as a hash and cannot be shown again."""
    from rai_assistant import cli

    store = _keys()
    try:
        record, token = store.create(tenant, role, name)
    except RaiError as exc:
        cli._fail(str(exc))
    if as_json:
        cli.out.print_json(json.dumps({**record.to_dict(), "token": token}))
    else:
        cli.out.print(token, markup=False, highlight=False)
    cli.err.print(
        f"created key {record.key_id} ({record.role.value} in {escape(record.tenant)}). "
        "Copy the token now: it is stored only as a hash and cannot be shown again."
    )


@keys_app.command("list")
def keys_list(
    tenant: str | None = typer.Option(None, "--tenant", help="Only this tenant's keys."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List keys (never their tokens or hashes)."""
    from rai_assistant import cli

    store = _keys()
    try:
        records = store.list(tenant)
    except RaiError as exc:
        cli._fail(str(exc))
    if as_json:
        cli.out.print_json(json.dumps([r.to_dict() for r in records]))
        return
    if not records:
        cli.out.print("no API keys yet: create one with `rai keys create --tenant T --role R`")
        return
    key_id = Column("key id", no_wrap=True, min_width=16)  # needed whole for `rai keys revoke`
    table = Table(key_id, "tenant", "role", "name", "created", "last used", "status")
    for r in records:
        table.add_row(
            r.key_id,
            escape(r.tenant),
            r.role.value,
            escape(r.name),
            r.created_at,
            r.last_used_at or "-",
            "active" if r.active else f"revoked {r.revoked_at}",
        )
    cli.out.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="The key id shown by `rai keys list`.")) -> None:
    """Revoke a key: requests with its token are refused from now on."""
    from rai_assistant import cli

    store = _keys()
    try:
        record = store.revoke(key_id)
    except RaiError as exc:
        cli._fail(str(exc))
    cli.out.print(f"revoked key {record.key_id} ({record.role.value} in {escape(record.tenant)}) at {record.revoked_at}")
