"""Alembic's entry point: migrations always run on the connection webdig hands over.

:mod:`webdig.storage.migrate` opens that connection (and its transaction and lock);
there is no offline (SQL script) mode.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
