"""Hospital approvals of out-of-province patients (directive 82/CV-BCĐ I.6), pulled from the
server: the medic's check lets such a patient in on the days the hospital allowed.

Revision ID: 0007_i9_hospital
Revises: 0006_i9_office
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_i9_hospital"
down_revision = "0006_i9_office"


def upgrade() -> None:
    op.create_table(
        "hospital_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.String(12), nullable=False),
        sa.Column("masked_name", sa.String(120), nullable=False),
        sa.Column("hospital", sa.String(160), nullable=False),
        sa.Column("appointment_date", sa.Date(), nullable=False),
        sa.Column("entry_from", sa.Date(), nullable=False),
        sa.Column("entry_to", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hospital_approvals"),
    )
    op.create_index("ix_hospital_approvals_subject_id", "hospital_approvals", ["subject_id"])


def downgrade() -> None:
    op.drop_index("ix_hospital_approvals_subject_id", "hospital_approvals")
    op.drop_table("hospital_approvals")
