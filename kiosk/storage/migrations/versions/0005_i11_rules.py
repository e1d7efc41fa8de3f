"""Directive 82's rules (branch i11-rules): rule settings pulled from the server, vehicle
entries, the quarantine handover list, a declaration's declared exposure, and the vehicle entry
a person's scan belongs to.

Revision ID: 0004_i11_rules
Revises: 0004_i12_hc1
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_i11_rules"
down_revision = "0004_i12_hc1"


def upgrade() -> None:
    with op.batch_alter_table("declarations") as batch:
        batch.add_column(sa.Column("exposure", sa.String(40), nullable=False, server_default=""))
    with op.batch_alter_table("scan_events") as batch:
        batch.add_column(sa.Column("vehicle_entry_id", sa.String(36), nullable=True))
    op.create_table(
        "rule_settings",
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("value", sa.String(60), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rule_settings"),
    )
    op.create_table(
        "vehicle_entries",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("plate_key", sa.String(16), nullable=False),
        sa.Column("plate_display", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("checkpoint_id", sa.String(40), nullable=False),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("exited_at", sa.DateTime(), nullable=True),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_vehicle_entries"),
        sa.UniqueConstraint("event_id", name="uq_vehicle_entries_event_id"),
    )
    op.create_index("ix_vehicle_entries_plate_key", "vehicle_entries", ["plate_key"])
    op.create_index("ix_vehicle_entries_entered_at", "vehicle_entries", ["entered_at"])
    op.create_table(
        "quarantine_handovers",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("referred_at", sa.DateTime(), nullable=False),
        sa.Column("checkpoint_id", sa.String(40), nullable=False),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("full_name", sa.String(120), nullable=False),
        sa.Column("id_number", sa.String(12), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("origin", sa.String(160), nullable=False),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("status_at", sa.DateTime(), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_quarantine_handovers"),
        sa.UniqueConstraint("event_id", name="uq_quarantine_handovers_event_id"),
    )
    op.create_index("ix_quarantine_handovers_referred_at", "quarantine_handovers", ["referred_at"])


def downgrade() -> None:
    op.drop_table("quarantine_handovers")
    op.drop_table("vehicle_entries")
    op.drop_table("rule_settings")
    with op.batch_alter_table("scan_events") as batch:
        batch.drop_column("vehicle_entry_id")
    with op.batch_alter_table("declarations") as batch:
        batch.drop_column("exposure")
