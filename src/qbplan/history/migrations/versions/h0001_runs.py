"""Schema 1: runs, their files, indicators and findings."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "h0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("period", sa.Text, nullable=False),
        sa.Column("saved_at", sa.Text, nullable=False),
        sa.Column("qbplan_version", sa.Text, nullable=False),
        sa.Column("plan_id", sa.Text, nullable=False),
        sa.Column("targets_file", sa.Text, nullable=False),
        sa.Column("targets_sha256", sa.Text, nullable=False),
        sa.Column("command", sa.Text, nullable=False),
        sa.Column("exit_code", sa.Integer, nullable=False),
    )
    op.create_table(
        "files",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text),
        sa.Column("size", sa.BigInteger),
        sa.Column("readable", sa.Integer, nullable=False),
        sa.Column("rows_read", sa.BigInteger, nullable=False),
        sa.Column("rows_excluded", sa.BigInteger, nullable=False),
        sa.Column("errors", sa.BigInteger, nullable=False),
        sa.Column("warnings", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "indicators",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("indicator", sa.Text, nullable=False),
        sa.Column("title_vi", sa.Text, nullable=False),
        sa.Column("title_en", sa.Text, nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("numerator", sa.Text, nullable=False),
        sa.Column("denominator", sa.Text, nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("exceeded", sa.Integer, nullable=False),
        sa.Column("excluded_rows", sa.BigInteger, nullable=False),
        sa.Column("deadline", sa.Integer, nullable=False),
    )
    op.create_table(
        "findings",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("severity", sa.Text, nullable=False),
        sa.Column("file", sa.Text),
        sa.Column("sheet", sa.Text),
        sa.Column("row", sa.BigInteger),
        sa.Column("col", sa.Text),
        sa.Column("cell", sa.Text),
        sa.Column("value", sa.Text),
        sa.Column("params", sa.Text, nullable=False),
    )
    op.create_index("runs_period", "runs", ["period", "id"])


def downgrade() -> None:
    op.drop_index("runs_period", "runs")
    for table in ("findings", "indicators", "files", "runs"):
        op.drop_table(table)
