"""The tables, as the newest migration leaves them (the migrations are the history)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.String(32), nullable=False),
    sa.Column("body_format", sa.SmallInteger, nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    sa.Column("replies", sa.LargeBinary, nullable=False),
    sa.Index("ix_snapshots_created", "created"),
)
"""One saved result: its JSON ``body`` and raw DNS ``replies``, both zlib-compressed.

No column holds anything about who saved it: no address, no agent, no cookie.
"""
