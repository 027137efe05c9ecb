"""The history tables, written once for every engine (SQLAlchemy Core).

Counts that may pass 64 bits (an exact sum) are decimal text; a target is ``n/d``.
Every column's type checks the value as it is read (:mod:`qbplan.storage.types`):
the store reads rows by name and gets Python values, or one error for a
database edited by hand. The DDL is the migrations' (``migrations/versions``);
these types store as the plain TEXT, INTEGER and BIGINT columns made there.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, Table

from qbplan.model.report import STATUSES
from qbplan.storage.types import (
    CheckedBigInteger,
    CheckedInteger,
    CheckedText,
    Choice,
    ExactFraction,
    ExactInt,
    YesNoOrCount,
)

metadata = MetaData()
MODES = ("count", "sum")

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period", CheckedText, nullable=False),
    Column("saved_at", CheckedText, nullable=False),
    Column("qbplan_version", CheckedText, nullable=False),
    Column("plan_id", CheckedText, nullable=False),
    Column("targets_file", CheckedText, nullable=False),
    Column("targets_sha256", CheckedText, nullable=False),
    Column("command", CheckedText, nullable=False),
    Column("exit_code", CheckedInteger, nullable=False),
    Column("register_files", CheckedText, nullable=False, server_default="[]"),
)
Index("runs_period", runs.c.period, runs.c.id)

files = Table(
    "files",
    metadata,
    Column("run_id", CheckedInteger, ForeignKey("runs.id"), nullable=False),
    Column("path", CheckedText, nullable=False),
    Column("sha256", CheckedText),
    Column("size", CheckedBigInteger),
    Column("readable", CheckedInteger, nullable=False),
    Column("rows_read", CheckedBigInteger, nullable=False),
    Column("rows_excluded", CheckedBigInteger, nullable=False),
    Column("errors", CheckedBigInteger, nullable=False),
    Column("warnings", CheckedBigInteger, nullable=False),
)

indicators = Table(
    "indicators",
    metadata,
    Column("run_id", CheckedInteger, ForeignKey("runs.id"), nullable=False),
    Column("indicator", CheckedText, nullable=False),
    Column("title_vi", CheckedText, nullable=False),
    Column("title_en", CheckedText, nullable=False),
    Column("mode", Choice(*MODES), nullable=False),
    Column("numerator", ExactInt, nullable=False),
    Column("denominator", ExactInt, nullable=False),
    Column("target", ExactFraction, nullable=False),
    Column("status", Choice(*STATUSES), nullable=False),
    Column("exceeded", CheckedInteger, nullable=False),
    Column("excluded_rows", CheckedBigInteger, nullable=False),
    Column("deadline", CheckedInteger, nullable=False),
    # Who reported, from the register (schema 2).
    Column("coverage_expected", CheckedInteger),
    Column("coverage_reported", CheckedInteger),
)

findings = Table(
    "findings",
    metadata,
    Column("run_id", CheckedInteger, ForeignKey("runs.id"), nullable=False),
    Column("code", CheckedText, nullable=False),
    Column("severity", CheckedText, nullable=False),
    Column("file", CheckedText),
    Column("sheet", CheckedText),
    Column("row", CheckedBigInteger),
    Column("col", CheckedText),
    Column("cell", CheckedText),
    Column("value", CheckedText),
    Column("params", CheckedText, nullable=False),
)

completeness = Table(
    "completeness",
    metadata,
    Column("run_id", CheckedInteger, ForeignKey("runs.id"), nullable=False),
    Column("sheet", CheckedText, nullable=False),
    Column("register", CheckedText, nullable=False),
    Column("expected", CheckedInteger, nullable=False),
    Column("submitted", CheckedInteger, nullable=False),
    Column("missing", CheckedText, nullable=False),
    Column("unknown", CheckedText, nullable=False),
)

# Schema 3: a run of ``qbplan rank`` keeps each unit's score, for ``history --ranks``.
scores = Table(
    "scores",
    metadata,
    Column("run_id", CheckedInteger, ForeignKey("runs.id"), nullable=False),
    Column("unit_key", CheckedText, nullable=False),
    Column("unit_name", CheckedText),
    # None: a unit left out of the ranking (the plan omits units that sent nothing).
    Column("rank", CheckedInteger),
    Column("total", ExactFraction, nullable=False),
    Column("most", ExactFraction, nullable=False),
    Column("unit_index", ExactFraction, nullable=False),
    Column("grade_vi", CheckedText, nullable=False),
    Column("grade_en", CheckedText, nullable=False),
    Column("missing", CheckedInteger, nullable=False),
)
Index("scores_run", scores.c.run_id)


# Each unit's figures of a run (schema 4): read back as the last period's when the next is checked.
figures = Table(
    "figures",
    metadata,
    Column("run_id", CheckedInteger, ForeignKey("runs.id"), nullable=False),
    Column("sheet", CheckedText, nullable=False),
    Column("unit_key", CheckedText, nullable=False),
    Column("col", CheckedText, nullable=False),
    Column("value", YesNoOrCount, nullable=False),  # a count as decimal text, a yes/no as "true"/"false"
)
Index("figures_run", figures.c.run_id)
