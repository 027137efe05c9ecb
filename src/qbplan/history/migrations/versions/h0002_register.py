"""Schema 2: the register landed: who reported, per indicator and per form sheet."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0002"
down_revision = "h0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: SQLite does it in place, so no table is copied.
    op.add_column("indicators", sa.Column("coverage_expected", sa.Integer))
    op.add_column("indicators", sa.Column("coverage_reported", sa.Integer))
    op.add_column("runs", sa.Column("register_files", sa.Text, nullable=False, server_default="[]"))
    op.create_table(
        "completeness",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("sheet", sa.Text, nullable=False),
        sa.Column("register", sa.Text, nullable=False),
        sa.Column("expected", sa.Integer, nullable=False),
        sa.Column("submitted", sa.Integer, nullable=False),
        sa.Column("missing", sa.Text, nullable=False),
        sa.Column("unknown", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("completeness")
    with op.batch_alter_table("runs") as runs:
        runs.drop_column("register_files")
    with op.batch_alter_table("indicators") as indicators:
        indicators.drop_column("coverage_reported")
        indicators.drop_column("coverage_expected")
