"""EU DCC (HC1): signer certificates (DSCs) and the checkpoint's rule set, both synced down.

Revision ID: 0004_i12_hc1
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_i12_hc1"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "hcert_signers",
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=False),
        sa.Column("cert_der", sa.LargeBinary(), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name="pk_hcert_signers"),
    )
    op.create_index("ix_hcert_signers_kid", "hcert_signers", ["kid"])
    op.create_table(
        "hcert_rules",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("rules_json", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_hcert_rules"),
    )


def downgrade() -> None:
    op.drop_table("hcert_rules")
    op.drop_index("ix_hcert_signers_kid", "hcert_signers")
    op.drop_table("hcert_signers")
