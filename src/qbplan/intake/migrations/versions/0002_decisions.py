"""Every decision on a submission, kept in order; the decisions made before are carried over."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("decisions_submission", "decisions", ["submission_id", "id"])
    # The last decision of each submission decided before this revision: the only one it kept.
    op.execute(
        "INSERT INTO decisions (submission_id, decision, note, decided_at) "
        "SELECT id, decision, note, decided_at FROM submissions WHERE decision <> 'sent' AND decided_at IS NOT NULL "
        "ORDER BY decided_at, id"
    )


def downgrade() -> None:
    op.drop_index("decisions_submission", "decisions")
    op.drop_table("decisions")
