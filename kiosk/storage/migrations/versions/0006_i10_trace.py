"""Traceable scans: each scan knows its direction (in or out of the checkpoint), and the
identity as read waits in `outgoing_identities` until the server has it.

Revision ID: 0005_i10_trace
Revises: 0004_i11_rules
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_i10_trace"
down_revision = "0004_i11_rules"


def upgrade() -> None:
    with op.batch_alter_table("scan_events") as batch:
        batch.add_column(sa.Column("direction", sa.String(3), nullable=False, server_default="in"))
    op.create_table(
        "outgoing_identities",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("id_number", sa.String(12), nullable=True),
        sa.Column("qr_id", sa.String(18), nullable=True),
        sa.Column("full_name", sa.String(120), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name="pk_outgoing_identities"),
    )


def downgrade() -> None:
    op.drop_table("outgoing_identities")
    with op.batch_alter_table("scan_events") as batch:
        batch.drop_column("direction")
