"""The first schema: declarations, epidemic zones, scan events, operators, trusted keys.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject_id", sa.String(12), nullable=False),
        sa.Column("full_name", sa.String(120), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("valid_until", sa.DateTime(), nullable=False),
        sa.Column("origin_area", sa.String(20), nullable=False),
        sa.Column("travel_areas", sa.String(400), nullable=False),
        sa.Column("symptoms", sa.String(60), nullable=False),
        sa.Column("declared_by_proxy", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_declarations"),
    )
    op.create_index(
        "ix_declarations_subject_id_updated_at", "declarations", ["subject_id", "updated_at"]
    )
    op.create_index("ix_declarations_birth_date", "declarations", ["birth_date"])
    op.create_table(
        "epidemic_zones",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("area_code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("active_from", sa.Date(), nullable=False),
        sa.Column("active_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_epidemic_zones"),
    )
    op.create_index("ix_epidemic_zones_area_code", "epidemic_zones", ["area_code"])
    op.create_table(
        "scan_events",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("scanned_at", sa.DateTime(), nullable=False),
        sa.Column("checkpoint_id", sa.String(40), nullable=False),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("payload_kind", sa.String(20), nullable=False),
        sa.Column("subject_ref", sa.String(20), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_scan_events"),
        sa.UniqueConstraint("event_id", name="uq_scan_events_event_id"),
    )
    op.create_index("ix_scan_events_scanned_at", "scan_events", ["scanned_at"])
    op.create_table(
        "operators",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("pin_hash", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_operators"),
    )
    op.create_table(
        "trusted_keys",
        sa.Column("key_id", sa.Integer(), primary_key=True),
        sa.Column("algorithm", sa.String(20), nullable=False),
        sa.Column("public_key", sa.LargeBinary(32), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("valid_to", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name="pk_trusted_keys"),
    )


def downgrade() -> None:
    for table in ("trusted_keys", "operators", "scan_events", "epidemic_zones", "declarations"):
        op.drop_table(table)
