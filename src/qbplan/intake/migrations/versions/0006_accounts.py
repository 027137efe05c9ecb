"""Named planner accounts, who did what, and sessions that belong to an account.

- ``accounts``: each planner's name, password hash (argon2), role and, when
  limited, the group of units (the register's group column) they see.
- ``audit``: every sign-in (and failed one), sign-out, decision, round act,
  save and account change, with who, when and from where.
- ``sessions.account``, ``decisions.actor``, ``round_events.actor``: who.

Sessions opened before this revision belonged to no one: they are ended, and
the planner signs in again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit_group", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    op.execute("DELETE FROM sessions")
    op.add_column("sessions", sa.Column("account", sa.String(64), nullable=True))
    op.add_column("decisions", sa.Column("actor", sa.String(64), nullable=True))
    op.add_column("round_events", sa.Column("actor", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("round_events", "actor")
    op.drop_column("decisions", "actor")
    op.drop_column("sessions", "account")
    op.drop_table("audit")
    op.drop_table("accounts")
