"""Alembic environment: always run on the connection :meth:`rai_assistant.db.Database.upgrade` passes in.

The caller owns the transaction (and the lock that keeps two processes from migrating at once), so
no URL, and no password, ever reaches alembic's configuration.
"""

from __future__ import annotations

from alembic import context
from rai_assistant.db import metadata
from rai_assistant.errors import StorageError

connection = context.config.attributes.get("connection")
if connection is None:
    raise StorageError("migrations run only through `rai db upgrade` or Database.upgrade()")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
