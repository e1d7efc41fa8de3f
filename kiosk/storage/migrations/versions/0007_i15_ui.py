"""A disposition per check: what was done with the person (issue 15). Additive: a nullable
column, older rows keep null ("not recorded").

Revision ID: 0005_i15_ui
Revises: 0005_i10_trace
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_i15_ui"
down_revision = "0005_i10_trace"


def upgrade() -> None:
    with op.batch_alter_table("scan_events") as batch:
        batch.add_column(sa.Column("disposition", sa.String(24), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scan_events") as batch:
        batch.drop_column("disposition")
