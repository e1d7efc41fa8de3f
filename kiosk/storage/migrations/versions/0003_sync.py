"""Sync with the central server: sync state, and audit entries that can be pushed once.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("event_id", sa.String(36), nullable=True))
        batch.add_column(sa.Column("synced_at", sa.DateTime(), nullable=True))
        batch.create_unique_constraint("uq_audit_log_event_id", ["event_id"])
    # entries written before this revision get ids now, so they are pushed like the rest
    op.execute(
        "UPDATE audit_log SET event_id = lower(hex(randomblob(4))) || '-' ||"
        " lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' ||"
        " substr('89ab', abs(random()) % 4 + 1, 1) || substr(lower(hex(randomblob(2))), 2)"
        " || '-' || lower(hex(randomblob(6))) WHERE event_id IS NULL"
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_sync_state"),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint("uq_audit_log_event_id", type_="unique")
        batch.drop_column("synced_at")
        batch.drop_column("event_id")
