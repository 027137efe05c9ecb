"""Schema 4: each unit's figures of a saved run, so that the next period can be read against them.

One row per (run, form sheet, unit, column): counts as decimal text (they may pass
64 bits), a yes/no as "true"/"false". Only keyed sheets' count and yes/no columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0004"
down_revision = "h0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figures",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("sheet", sa.Text, nullable=False),
        sa.Column("unit_key", sa.Text, nullable=False),
        sa.Column("col", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_index("figures_run", "figures", ["run_id"])


def downgrade() -> None:
    op.drop_index("figures_run", "figures")
    op.drop_table("figures")
