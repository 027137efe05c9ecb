"""The history tables, written once for every engine (SQLAlchemy Core).

Counts that may pass 64 bits (an exact sum) are decimal text; a target is ``n/d``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, MetaData, Table, Text

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period", Text, nullable=False),
    Column("saved_at", Text, nullable=False),
    Column("qbplan_version", Text, nullable=False),
    Column("plan_id", Text, nullable=False),
    Column("targets_file", Text, nullable=False),
    Column("targets_sha256", Text, nullable=False),
    Column("command", Text, nullable=False),
    Column("exit_code", Integer, nullable=False),
    Column("register_files", Text, nullable=False, server_default="[]"),
)
Index("runs_period", runs.c.period, runs.c.id)

files = Table(
    "files",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", Text),
    Column("size", BigInteger),
    Column("readable", Integer, nullable=False),
    Column("rows_read", BigInteger, nullable=False),
    Column("rows_excluded", BigInteger, nullable=False),
    Column("errors", BigInteger, nullable=False),
    Column("warnings", BigInteger, nullable=False),
)

indicators = Table(
    "indicators",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("indicator", Text, nullable=False),
    Column("title_vi", Text, nullable=False),
    Column("title_en", Text, nullable=False),
    Column("mode", Text, nullable=False),
    Column("numerator", Text, nullable=False),
    Column("denominator", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("exceeded", Integer, nullable=False),
    Column("excluded_rows", BigInteger, nullable=False),
    Column("deadline", Integer, nullable=False),
    # Who reported, from the register (schema 2).
    Column("coverage_expected", Integer),
    Column("coverage_reported", Integer),
)

findings = Table(
    "findings",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("code", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("file", Text),
    Column("sheet", Text),
    Column("row", BigInteger),
    Column("col", Text),
    Column("cell", Text),
    Column("value", Text),
    Column("params", Text, nullable=False),
)

completeness = Table(
    "completeness",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("sheet", Text, nullable=False),
    Column("register", Text, nullable=False),
    Column("expected", Integer, nullable=False),
    Column("submitted", Integer, nullable=False),
    Column("missing", Text, nullable=False),
    Column("unknown", Text, nullable=False),
)

# Schema 3: a run of ``qbplan rank`` keeps each unit's score, for ``history --ranks``.
scores = Table(
    "scores",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("unit_key", Text, nullable=False),
    Column("unit_name", Text),
    # None: a unit left out of the ranking (the plan omits units that sent nothing).
    Column("rank", Integer),
    Column("total", Text, nullable=False),
    Column("most", Text, nullable=False),
    Column("unit_index", Text, nullable=False),
    Column("grade_vi", Text, nullable=False),
    Column("grade_en", Text, nullable=False),
    Column("missing", Integer, nullable=False),
)
Index("scores_run", scores.c.run_id)


# Each unit's figures of a run (schema 4): read back as the last period's when the next is checked.
figures = Table(
    "figures",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("sheet", Text, nullable=False),
    Column("unit_key", Text, nullable=False),
    Column("col", Text, nullable=False),
    Column("value", Text, nullable=False),  # a count as decimal text, a yes/no as "true"/"false"
)
Index("figures_run", figures.c.run_id)
