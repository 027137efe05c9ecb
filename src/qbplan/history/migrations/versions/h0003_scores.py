"""Schema 3: each unit's score of a ``qbplan rank`` run."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0003"
down_revision = "h0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scores",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("unit_key", sa.Text, nullable=False),
        sa.Column("unit_name", sa.Text),
        sa.Column("rank", sa.Integer),
        sa.Column("total", sa.Text, nullable=False),
        sa.Column("most", sa.Text, nullable=False),
        sa.Column("unit_index", sa.Text, nullable=False),
        sa.Column("grade_vi", sa.Text, nullable=False),
        sa.Column("grade_en", sa.Text, nullable=False),
        sa.Column("missing", sa.Integer, nullable=False),
    )
    op.create_index("scores_run", "scores", ["run_id"])


def downgrade() -> None:
    op.drop_index("scores_run", "scores")
    op.drop_table("scores")
