"""Result models: what a check found, independent of how and in which language it is shown.

Renderers take a :class:`Report` and compute nothing; every number and status
is decided here or in the pipeline. Text is made only when rendering.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from qbplan.defaults import FailOn
from qbplan.errors import EXIT_CANNOT_RUN, EXIT_INVALID_ROWS, EXIT_OK, EXIT_TARGET_MISSED
from qbplan.results.findings import Finding

Status = Literal["pass", "warn", "fail", "no_data"]

STATUSES: tuple[Status, ...] = ("pass", "warn", "fail", "no_data")


def exact_rate(numerator: int, denominator: int) -> Fraction | None:
    """numerator/denominator as a Fraction, or None when the denominator is 0."""
    return Fraction(numerator, denominator) if denominator else None


class Rated:
    """A share: ``numerator`` of ``denominator``, and its exact rate. Mixed into the result dataclasses."""

    # No slots of its own, so slotted dataclasses can mix it in.
    __slots__ = ()
    numerator: int
    denominator: int

    @property
    def rate(self) -> Fraction | None:
        """numerator/denominator exactly, or None when the denominator is 0."""
        return exact_rate(self.numerator, self.denominator)


def exceeds(numerator: int, denominator: int, target: Fraction, stretch: Fraction | None) -> bool:
    """Whether a rate is beyond its target: at or above ``stretch``, else strictly above ``target`` (exactly)."""
    if denominator == 0:
        return False
    if stretch is not None:
        return numerator * stretch.denominator >= stretch.numerator * denominator
    return numerator * target.denominator > target.numerator * denominator


def status_for(numerator: int, denominator: int, target: Fraction, warn: Fraction | None) -> Status:
    """Exact status: a rate equal to the target passes; 0/0 is no_data."""
    if denominator == 0:
        return "no_data"
    # Cross-multiplied integer comparison: no division, no float.
    if numerator * target.denominator >= target.numerator * denominator:
        return "pass"
    if warn is not None and numerator * warn.denominator >= warn.numerator * denominator:
        return "warn"
    return "fail"


@dataclass(frozen=True, slots=True)
class GroupResult(Rated):
    """An indicator over the rows of one group (a district, for ``--by huyen``)."""

    group: str | None
    numerator: int
    denominator: int
    status: Status


@dataclass(frozen=True, slots=True)
class IndicatorResult(Rated):
    """One indicator's achievement over all valid rows in scope."""

    id: str
    title_vi: str
    title_en: str
    sheet: str
    mode: str
    numerator: int
    denominator: int
    target: Fraction
    warn: Fraction | None
    # The plan's own wording of the target ("80%–90%"); None: the target as a percentage.
    goal: str | None
    status: Status
    excluded_rows: int
    deadline: int
    source: str
    breakdown: tuple[GroupResult, ...] | None = None
    # Met and beyond: at or above the stretch level, or above the target when there is none.
    exceeded: bool = False


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What was read from one input file."""

    file: str
    readable: bool
    sheets: tuple[str, ...] = ()
    rows_read: int = 0
    rows_excluded: int = 0
    blank_rows: int = 0
    errors: int = 0
    warnings: int = 0
    # Layout rows skipped (never data), by kind: column-numbers, section, total, signoff.
    layout_rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Grouping:
    """The ``--by`` column: its key, the label people see, and what a blank cell means there."""

    key: str
    label: str
    blank_vi: str | None = None
    blank_en: str | None = None
    # An enum column's groups are its keys ("tinh"): people read the labels ("Tỉnh").
    value_labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    """Everything a check found. Build with :func:`qbplan.check`."""

    plan_id: str
    plan_title_vi: str
    plan_title_en: str
    targets_file: str
    indicators: list[IndicatorResult]
    errors: list[Finding]
    warnings: list[Finding]
    files: list[FileSummary]
    by: str | None = None
    fail_on: FailOn = "fail"
    grouping: Grouping | None = None
    checked_at: _dt.datetime = field(default_factory=lambda: _dt.datetime.now().replace(microsecond=0))

    @property
    def status_counts(self) -> dict[str, int]:
        """How many indicators have each status, in :data:`STATUSES` order."""
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for ind in self.indicators:
            counts[ind.status] += 1
        return counts

    @property
    def rows_read(self) -> int:
        """Data rows read over all files (blank rows not included)."""
        return sum(f.rows_read for f in self.files)

    @property
    def rows_excluded(self) -> int:
        """Rows left out of every rate because they have an error."""
        return sum(f.rows_excluded for f in self.files)

    @property
    def blank_rows(self) -> int:
        """Entirely blank rows inside tables, skipped."""
        return sum(f.blank_rows for f in self.files)

    @property
    def layout_rows(self) -> int:
        """Layout rows (column numbers, sections, totals, sign-off) skipped, never data."""
        return sum(sum(f.layout_rows.values()) for f in self.files)

    @property
    def unreadable_files(self) -> int:
        """Input files that could not be read or used."""
        return sum(1 for f in self.files if not f.readable)

    @property
    def exit_code(self) -> int:
        """0 every target met; 1 a target missed or not known; 2 cannot run; 3 invalid rows (2 > 3 > 1).

        An indicator with no data has met nothing: a blank template or an empty
        folder exits 1, not 0.
        """
        if self.unreadable_files or any(f.code.startswith("input-") for f in self.errors):
            # A file, or a sheet of one, that could not be used at all.
            return EXIT_CANNOT_RUN
        if self.rows_excluded or self.errors:
            return EXIT_INVALID_ROWS
        counts = self.status_counts
        if self.fail_on == "fail" and (counts["fail"] or counts["no_data"]):
            return EXIT_TARGET_MISSED
        if self.fail_on == "warn" and (counts["fail"] or counts["warn"] or counts["no_data"]):
            return EXIT_TARGET_MISSED
        return EXIT_OK
