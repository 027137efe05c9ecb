"""Alembic's entry: the migrations of one store, on the connection qbplan hands it (never a URL of its own)."""

from __future__ import annotations

from alembic import context

attributes = context.config.attributes
context.configure(
    connection=attributes["connection"],
    target_metadata=attributes["metadata"],
    version_table=attributes["version_table"],
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
