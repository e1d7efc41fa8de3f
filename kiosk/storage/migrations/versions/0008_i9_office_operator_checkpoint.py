"""Operators learn their checkpoint: the back office assigns each one to a checkpoint, and
`kiosk operators` shows it.

Revision ID: 0006_i9_office
Revises: 0005_i15_ui
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_i9_office"
down_revision = "0005_i15_ui"


def upgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.add_column(sa.Column("checkpoint_id", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("operators") as batch:
        batch.drop_column("checkpoint_id")
