"""Rounds that close, submissions stamped on arrival, one accepted submission per unit.

- ``submissions.checked_at``: when the check of a submission ended; NULL
  while it runs (the row is written when the file arrives, before the check).
- ``rounds.closed_at``: when the planner closed the round; NULL while open.
- ``round_events``: every close, re-open and due date set, in order.

Before this revision a unit's accepted submission stopped counting, without a
word, once a newer file arrived. From here an accepted submission counts until
the planner accepts another for the unit, which supersedes it. A unit with
more than one accepted submission keeps its latest accepted; the others are
marked superseded, with a decision saying why.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submissions", sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE submissions SET checked_at = received_at")
    op.add_column("rounds", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "round_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("round_events_period", "round_events", ["period", "id"])
    older = (
        "SELECT s.id FROM submissions s WHERE s.decision = 'accepted' AND EXISTS ("
        "SELECT 1 FROM submissions t WHERE t.period = s.period AND t.unit_key = s.unit_key "
        "AND t.decision = 'accepted' AND t.id > s.id)"
    )
    op.execute(
        "INSERT INTO decisions (submission_id, decision, note, decided_at) "
        "SELECT id, 'superseded', 'qbplan 0003', COALESCE(decided_at, received_at) FROM submissions "
        f"WHERE id IN ({older})"
    )
    op.execute(f"UPDATE submissions SET decision = 'superseded' WHERE id IN ({older})")


def downgrade() -> None:
    op.drop_index("round_events_period", "round_events")
    op.drop_table("round_events")
    op.drop_column("rounds", "closed_at")
    op.drop_column("submissions", "checked_at")
