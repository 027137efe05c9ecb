"""Each checked file's reading (qbplan.intake.readings), kept by the file's hash and the rules it was read by.

The province's report is made from the accepted files' readings: kept in the
database, they spare every server, and every restart, reading the files again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "readings",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("rules", sa.String(64), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("readings")
