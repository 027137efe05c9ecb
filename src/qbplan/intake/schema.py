"""The intake tables, written once for every engine (SQLAlchemy Core)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# One row per file a unit sent, written when it arrives (its number and time),
# before the check; the verdict follows (checked_at). A resubmission adds a
# row; a unit's latest is the highest id, so two at once cannot both be latest,
# and nothing a unit sent is ever deleted. What counts is the one the planner
# accepted, until the planner accepts another (revision 0003).
submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period", String(16), nullable=False),
    Column("unit_key", String(200), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    # The name the unit's browser gave, shown only (files are stored by hash).
    Column("filename", String(255), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("exit_code", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    # The findings as JSON: code, severity, params and place, to be worded at showing.
    Column("findings", Text, nullable=False),
    # sent (errors or clean, by exit_code), accepted, returned, superseded (by another accepted).
    Column("decision", String(16), nullable=False, default="sent"),
    Column("note", Text, nullable=False, default=""),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    # When the check ended; NULL while it runs (revision 0003).
    Column("checked_at", DateTime(timezone=True), nullable=True),
)
Index("submissions_unit", submissions.c.period, submissions.c.unit_key, submissions.c.id)

# The due date of each period's round, set by the planner.
rounds = Table(
    "rounds",
    metadata,
    Column("period", String(16), primary_key=True),
    Column("due", DateTime(timezone=True), nullable=True),
    # When the planner closed the round; NULL while it is open (revision 0003).
    Column("closed_at", DateTime(timezone=True), nullable=True),
)

# Every act on a round, in order (revision 0003): closed, reopened, due.
round_events = Table(
    "round_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period", String(16), nullable=False),
    Column("event", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=True),  # revision 0006
)
Index("round_events_period", round_events.c.period, round_events.c.id)

# Every decision on a submission, in order (revision 0002): a submission
# accepted and later sent back keeps both, with their notes and times.
decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    # Who decided: an account's name, "" for the start-up token (revision 0006).
    Column("actor", String(64), nullable=True),
)
Index("decisions_submission", decisions.c.submission_id, decisions.c.id)

# The intake's own settings (revision 0004): the fingerprint of the links' secret.
settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Each checked file's reading, by its hash and the rules it was read by (revision 0010; see intake/readings.py).
readings = Table(
    "readings",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("rules", String(64), primary_key=True),
    Column("content", LargeBinary, nullable=False),
)

# The submitted files by hash, on a server store (revision 0009): shared by every server on the database.
blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

# The planner's sessions (revision 0005): the hash of a random id, never the id itself.
sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    # The account signed in; "" for the start-up token (revision 0006).
    Column("account", String(64), nullable=True),
)

# Named planner accounts (revision 0006): argon2 hashes, never passwords.
accounts = Table(
    "accounts",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # viewer, reviewer, admin
    # The register group (e.g. a former province's units) the account is limited to; "" for every unit.
    Column("unit_group", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
)

# Who did what and when (revision 0006): sign-ins, decisions, round acts, saves, account changes.
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("detail", Text, nullable=False),
    Column("address", String(64), nullable=False),
)


# A unit's explanation (giải trình) of a warning of its submission (revision 0007); the latest per finding counts.
explanations = Table(
    "explanations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("finding_key", String(300), nullable=False),  # see qbplan.model.findings.finding_key
    Column("text", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("explanations_submission", explanations.c.submission_id, explanations.c.id)


# Every reminder e-mailed to a unit (revision 0008): why (not sent, returned), whether the server took it.
reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period", String(16), nullable=False),
    Column("unit_key", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("reason", String(16), nullable=False),  # missing, returned
    Column("status", String(16), nullable=False),  # sent, failed
    Column("detail", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("reminders_unit", reminders.c.period, reminders.c.unit_key, reminders.c.id)
