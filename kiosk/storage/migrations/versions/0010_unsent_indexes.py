"""What waits to be sent, found without reading every row: a partial index per pushed table on
its time column, over the unsent rows only. The window counts them after every job on its
database lane (the status line's "records to send"); without it that count scanned, and
decrypted, the whole of each table (about 70 ms at 150,000 scans), on the lane the checks wait
for. The index holds only the few unsent rows, so it costs next to nothing to keep.

Revision ID: 0008_unsent
Revises: 0007_i9_hospital
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_unsent"
down_revision = "0007_i9_hospital"

# table -> its time column (kiosk.storage.replica.PUSHED)
PUSHED = {
    "scan_events": "scanned_at",
    "market_entries": "entered_at",
    "assisted_declarations": "created_at",
    "audit_log": "at",
    "vehicle_entries": "entered_at",
    "quarantine_handovers": "referred_at",
}


def upgrade() -> None:
    for table, column in PUSHED.items():
        op.create_index(
            f"ix_{table}_unsent", table, [column], sqlite_where=sa.text("synced_at IS NULL")
        )


def downgrade() -> None:
    for table in PUSHED:
        op.drop_index(f"ix_{table}_unsent", table)
