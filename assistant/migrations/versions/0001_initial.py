"""The first schema: drafts, the append-only audit log, enforcement counters, API keys.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
)

_POSTGRES_TRIGGERS = (
    "CREATE FUNCTION rai_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
    "FOR EACH ROW EXECUTE FUNCTION rai_audit_append_only()",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
    "FOR EACH ROW EXECUTE FUNCTION rai_audit_append_only()",
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION rai_audit_append_only()",
)


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("draft_id", sa.Text, primary_key=True),
        sa.Column("feature", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("people", sa.Text, nullable=False, server_default="[]"),
        sa.Column("findings", sa.Text, nullable=False),
        sa.Column("citations", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=True),
        sa.Column("notice", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("refusal", sa.Text, nullable=False, server_default=""),
        sa.Column("reviewer", sa.Text, nullable=False, server_default=""),
        sa.Column("tenant", sa.Text, nullable=False, server_default=""),
        sa.Column("owner", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False, server_default="0"),
        sa.Column("audit_hash", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("drafts_status_created", "drafts", ["status", "created_at"])
    op.create_index("drafts_tenant_created", "drafts", ["tenant", "created_at"])

    op.create_table(
        "audit",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("ts", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("draft_id", sa.Text, nullable=False, server_default=""),
        sa.Column("feature", sa.Text, nullable=False, server_default=""),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.Text, nullable=False),
        sa.Column("hash", sa.Text, nullable=False, unique=True),
    )
    op.create_index("audit_kind", "audit", ["kind", "seq"])
    op.create_index("audit_draft", "audit", ["draft_id", "seq"])

    op.create_table(
        "requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_hash", sa.Text, nullable=False),
        sa.Column("tenant", sa.Text, nullable=False, server_default=""),
        sa.Column("ts", sa.Float, nullable=False),
        sa.Column("shape", sa.Text, nullable=False),
    )
    op.create_index("requests_user_ts", "requests", ["user_hash", "ts"])
    op.create_index("requests_tenant_ts", "requests", ["tenant", "ts"])
    op.create_index("requests_ts", "requests", ["ts"])

    op.create_table(
        "violations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_hash", sa.Text, nullable=False),
        sa.Column("tenant", sa.Text, nullable=False, server_default=""),
        sa.Column("ts", sa.Float, nullable=False),
        sa.Column("clauses", sa.Text, nullable=False),
        sa.Column("level", sa.Text, nullable=False),
    )
    op.create_index("violations_user_ts", "violations", ["user_hash", "ts"])

    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.Text, primary_key=True),
        sa.Column("tenant", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False, server_default=""),
        sa.Column("secret_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("revoked_at", sa.Text, nullable=True),
        sa.Column("last_used_at", sa.Text, nullable=True),
    )
    op.create_index("api_keys_tenant", "api_keys", ["tenant", "created_at"])

    op.create_table(
        "rai_meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )

    triggers = _POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    # The audit log is append-only: no downgrade drops it. Restore from a backup instead.
    raise RuntimeError("rai-assistant migrations cannot be reversed; restore the database from a backup")
