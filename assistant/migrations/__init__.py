"""Alembic migrations of the rai-assistant database; run by ``Database.upgrade`` and ``rai db upgrade``."""
