"""Roles at the gate: audit trail, sign-in attempts, vehicles, markets and cards, assisted
declarations, drafts; scan events learn which screen they came from.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("scan_events") as batch:
        batch.add_column(sa.Column("screen", sa.String(12), nullable=False, server_default="medic"))
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("screen", sa.String(12), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("subject_ref", sa.String(40), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "sign_in_attempts",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_sign_in_attempts"),
    )
    op.create_index("ix_sign_in_attempts_operator_id", "sign_in_attempts", ["operator_id"])
    op.create_table(
        "vehicle_registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plate_key", sa.String(16), nullable=False),
        sa.Column("plate_display", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("business", sa.String(160), nullable=False),
        sa.Column("driver_name", sa.String(120), nullable=False),
        sa.Column("driver_phone", sa.String(20), nullable=False),
        sa.Column("valid_from", sa.DateTime(), nullable=False),
        sa.Column("valid_to", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vehicle_registrations"),
    )
    op.create_index("ix_vehicle_registrations_plate_key", "vehicle_registrations", ["plate_key"])
    op.create_table(
        "markets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_markets"),
    )
    op.create_table(
        "market_cards",
        sa.Column("card_id", sa.Integer(), primary_key=True),
        sa.Column("household_head", sa.String(120), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("card_id", name="pk_market_cards"),
    )
    op.create_table(
        "market_entries",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("market_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("exited_at", sa.DateTime(), nullable=True),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_market_entries"),
        sa.UniqueConstraint("event_id", name="uq_market_entries_event_id"),
    )
    op.create_index("ix_market_entries_card_id_day", "market_entries", ["card_id", "day"])
    op.create_index("ix_market_entries_market_id_day", "market_entries", ["market_id", "day"])
    op.create_table(
        "assisted_declarations",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("receipt_no", sa.String(18), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("operator_id", sa.String(40), nullable=False),
        sa.Column("checkpoint_id", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(12), nullable=False),
        sa.Column("form_json", sa.String(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_assisted_declarations"),
        sa.UniqueConstraint("event_id", name="uq_assisted_declarations_event_id"),
        sa.UniqueConstraint("receipt_no", name="uq_assisted_declarations_receipt_no"),
    )
    op.create_index("ix_assisted_declarations_subject_id", "assisted_declarations", ["subject_id"])
    op.create_table(
        "drafts",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("data_json", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_drafts"),
    )


def downgrade() -> None:
    for table in (
        "drafts",
        "assisted_declarations",
        "market_entries",
        "market_cards",
        "markets",
        "vehicle_registrations",
        "sign_in_attempts",
        "audit_log",
    ):
        op.drop_table(table)
    with op.batch_alter_table("scan_events") as batch:
        batch.drop_column("screen")
