"""The submitted files in the database, by their SHA-256: what several servers on one PostgreSQL share.

On a server store, every upload is kept here as well as in the server's own
folder (which becomes a cache): server B reads a file server A received.
SQLite keeps the embedded folder and leaves this table empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("blobs")
