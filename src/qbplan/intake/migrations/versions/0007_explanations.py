"""A unit's explanation (giải trình) of a warning of its submission: kept in order, the latest shown."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "explanations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("finding_key", sa.String(300), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("explanations_submission", "explanations", ["submission_id", "id"])


def downgrade() -> None:
    op.drop_index("explanations_submission", "explanations")
    op.drop_table("explanations")
