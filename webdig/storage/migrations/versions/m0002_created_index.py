"""An index on ``snapshots.created``: the expiry sweep deletes by age without a full scan.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index ``created``."""
    op.create_index("ix_snapshots_created", "snapshots", ["created"])


def downgrade() -> None:
    """Drop the index (the rows stay)."""
    op.drop_index("ix_snapshots_created", table_name="snapshots")
