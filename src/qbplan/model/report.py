"""Result models: what a check found, independent of how and in which language it is shown.

Renderers take a :class:`Report` and compute nothing; every number and status
is decided here or in the pipeline. Text is made only when rendering.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from qbplan.defaults import FailOn
from qbplan.errors import EXIT_CANNOT_RUN, EXIT_INVALID_ROWS, EXIT_OK, EXIT_TARGET_MISSED
from qbplan.model.figures import UnitFigure
from qbplan.model.findings import Finding

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.config.targets import Column

# "incomplete": units that must report did not (or were left out), and the
# result could go either way; never a pass.
Status = Literal["pass", "warn", "fail", "incomplete", "no_data"]

STATUSES: tuple[Status, ...] = ("pass", "warn", "fail", "incomplete", "no_data")

# The statuses that exit 1 under each --fail-on. A target not known to be met
# (incomplete, or without data) fails like a missed one.
_FAILING: dict[FailOn, tuple[Status, ...]] = {
    "fail": ("fail", "incomplete", "no_data"),
    "warn": ("fail", "incomplete", "no_data", "warn"),
    "never": (),
}


def exact_rate(numerator: int, denominator: int) -> Fraction | None:
    """numerator/denominator as a Fraction, or None when the denominator is 0."""
    return Fraction(numerator, denominator) if denominator else None


def change(previous: Fraction | None, current: Fraction | None) -> Fraction | None:
    """The change from one rate to another in percentage points, exactly; None when either is unknown."""
    if previous is None or current is None:
        return None
    return (current - previous) * 100


@dataclass(frozen=True, slots=True)
class Coverage:
    """Of the units in an indicator's scope that the register says must report, how many did with a valid row."""

    expected: int
    reported: int

    @property
    def missing(self) -> int:
        """Units in scope with no valid row: they did not report, or their row was left out."""
        return max(0, self.expected - self.reported)


class Rated:
    """A share: ``numerator`` of ``denominator``, its exact rate and, with a register, its bounds.

    Mixed into the result dataclasses.
    """

    # No slots of its own, so slotted dataclasses can mix it in.
    __slots__ = ()
    numerator: int
    denominator: int
    mode: str
    coverage: Coverage | None

    @property
    def rate(self) -> Fraction | None:
        """numerator/denominator exactly (over the units that reported), or None when the denominator is 0."""
        return exact_rate(self.numerator, self.denominator)

    @property
    def missing(self) -> int:
        """Units in scope that the register expects and that gave no valid row."""
        # A share that never has a register (one row of explain) has no coverage field.
        coverage = getattr(self, "coverage", None)
        return coverage.missing if coverage else 0

    @property
    def bounds(self) -> tuple[int, int, int] | None:
        """Count mode with missing units: (low, high, of): each missing unit could answer no, or yes.

        None when no unit is missing, or in sum mode (a missing unit's denominator is unknown).
        """
        missing = self.missing
        if not missing or getattr(self, "mode", None) != "count":
            return None
        return self.numerator, self.numerator + missing, self.denominator + missing


def exceeds(numerator: int, denominator: int, target: Fraction, stretch: Fraction | None) -> bool:
    """Whether a rate is beyond its target: at or above ``stretch``, else strictly above ``target`` (exactly)."""
    if denominator == 0:
        return False
    if stretch is not None:
        return numerator * stretch.denominator >= stretch.numerator * denominator
    return numerator * target.denominator > target.numerator * denominator


def judged(
    mode: str, numerator: int, denominator: int, missing: int, target: Fraction, warn: Fraction | None
) -> Status:
    """The status when ``missing`` units in scope gave no valid row (see :func:`status_for` for none).

    Count mode: decided only when both exact bounds, every missing unit a
    "no" and every one a "yes", give the same status; else ``incomplete``.
    Sum mode: see :func:`_sum_judged`.
    """
    if not missing:
        return status_for(numerator, denominator, target, warn)
    if mode != "count":
        return _sum_judged(numerator, denominator, target, warn)
    low = status_for(numerator, denominator + missing, target, warn)
    high = status_for(numerator + missing, denominator + missing, target, warn)
    return low if low == high else "incomplete"


def _sum_judged(numerator: int, denominator: int, target: Fraction, warn: Fraction | None) -> Status:
    """A sum-mode status with units missing: decided only when no missing unit's figures could change it.

    A missing unit adds a numerator ``a`` and a denominator ``b >= a`` of any
    size. So the rate can come as close to 0 as one likes (``a = 0``) and as
    close to 1 (``a = b``), but reaches 1 only when it is 1 already (or 0/0). A target
    of 100 % missed by the units that reported (98,7 %) is missed whatever the
    others send: ``fail``, not ``incomplete``.
    """

    def reachable(threshold: Fraction) -> bool:
        # Some rate the missing units could make is at or above ``threshold``.
        return threshold < 1 or (threshold == 1 and denominator == numerator)

    def avoidable(threshold: Fraction) -> bool:
        # Some rate they could make is below it.
        return threshold > 0

    if not reachable(target):
        if warn is None or not reachable(warn):
            return "fail"
        return "incomplete" if avoidable(warn) else "warn"
    return "incomplete" if avoidable(target) else "pass"


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
    mode: str = "count"
    coverage: Coverage | None = None
    # Met and beyond, judged as the indicator's own VƯỢT is (its low bound beyond the target).
    exceeded: bool = False


@dataclass(frozen=True, slots=True)
class Previous:
    """An indicator in the current saved run of an earlier period, for ``check --compare``."""

    period: str  # the period's key: 2024, 2024-H1 …
    numerator: int
    denominator: int
    status: Status
    # The earlier plan it was counted under, when not the report's (a change of structure): the series breaks.
    plan_id: str | None = None

    @property
    def rate(self) -> Fraction | None:
        """numerator/denominator exactly, or None without data."""
        return exact_rate(self.numerator, self.denominator)


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
    # With a register: the units in scope expected, and those that reported.
    coverage: Coverage | None = None
    # Judged against the milestone of this year (the period's), not the final target.
    milestone: int | None = None
    # With --compare: the same indicator in the period compared with.
    previous: Previous | None = None
    # The plan's target group it is listed under (a key of the report's sections).
    group: str | None = None

    @property
    def change(self) -> Fraction | None:
        """The change since ``previous`` in percentage points, exactly; None when either rate is unknown."""
        return change(self.previous.rate, self.rate) if self.previous else None


# How a row under a sheet's header was read: data, or one kind of layout row.
ROW_KINDS = ("data", "header", "column-numbers", "section", "total", "signoff")


@dataclass(frozen=True, slots=True)
class SheetRows:
    """How every non-blank row of one sheet was read: kind -> Excel row ranges (first, last), inclusive."""

    sheet: str  # as named in the workbook
    form_sheet: str
    header_row: int
    rows: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        """How many rows were read as ``kind``."""
        return sum(last - first + 1 for first, last in self.rows.get(kind, ()))


def row_ranges(rows: list[int]) -> tuple[tuple[int, int], ...]:
    """Sorted Excel row numbers as runs of consecutive rows: [3, 4, 5, 9] -> ((3, 5), (9, 9))."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return tuple(out)


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
    # Each sheet's rows by how they were read, with their row numbers.
    sheet_rows: tuple[SheetRows, ...] = ()

    @property
    def layout_total(self) -> int:
        """Layout rows skipped, of every kind."""
        return sum(self.layout_rows.values())


@dataclass(frozen=True, slots=True)
class UnitRef:
    """One unit of a register, as a completeness list names it: key, name and group (district)."""

    key: str
    name: str | None = None
    group: str | None = None
    # Where it was written, for a unit that is not in the register.
    file: str | None = None
    sheet: str | None = None
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Completeness:
    """Who reported, for one form sheet that has a register."""

    sheet: str  # the form sheet's key
    label: str  # the form sheet's label
    register: str  # the register's file › sheet
    expected: int
    # Units of the register with a row in some submission (valid or not).
    submitted: int
    missing: tuple[UnitRef, ...]
    # Rows whose key is not in the register: left out of every rate.
    unknown: tuple[UnitRef, ...]
    # How the groups of the missing units read (a blank district is "Cấp tỉnh").
    grouping: Grouping | None = None


@dataclass(frozen=True, slots=True)
class Grouping:
    """The ``--by`` column: its key, the label people see, and what a blank cell means there."""

    key: str
    label: str
    blank_vi: str | None = None
    blank_en: str | None = None
    # An enum column's groups are its keys ("tinh"): people read the labels ("Tỉnh").
    value_labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, col: Column) -> Grouping:
        """How the groups of column ``col`` read."""
        return cls(col.key, col.label, col.blank_group_vi, col.blank_group_en, dict(col.values or {}))


@dataclass(frozen=True, slots=True)
class Section:
    """One of the plan's target groups, as the annex heads it (I, II, …)."""

    key: str
    title_vi: str
    title_en: str


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
    # With a register: its files, and who reported, per form sheet it lists.
    register_files: tuple[str, ...] = ()
    completeness: list[Completeness] = field(default_factory=list)
    # With --compare: the period compared with (its key), and the plan it was
    # saved under when that is an earlier plan of the lineage (a break).
    compared_with: str | None = None
    compared_plan: str | None = None
    # The reporting period (its key, with --period), and the plan's target groups in order.
    period: str | None = None
    sections: tuple[Section, ...] = ()
    # Set by ``verify``: this report is the check of that annex's claims, and
    # its exit code is the annex's (see exit_code).
    annex_file: str | None = None
    # ``qbplan verify``: the indicators the annex gives a row, each set against the data.
    annex_claims: int = 0
    # Each unit's figures (keyed sheets' counts and yes/no), kept when a run is saved or compared.
    figures: tuple[UnitFigure, ...] = ()
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
        return sum(f.layout_total for f in self.files)

    @property
    def unreadable_files(self) -> int:
        """Input files that could not be read or used."""
        return sum(1 for f in self.files if not f.readable)

    @property
    def validity_exit_code(self) -> int:
        """The files' own verdict, without the targets: 2 cannot be used, 3 invalid rows, else 0.

        What ``annotate`` exits with: one agency's file is judged on its cells,
        since its rates alone say nothing of the province's targets.
        """
        if self.unreadable_files or any(f.code.startswith("input-") for f in self.errors):
            return EXIT_CANNOT_RUN
        return EXIT_INVALID_ROWS if self.rows_excluded or self.errors else EXIT_OK

    @property
    def exit_code(self) -> int:
        """0 every target met; 1 a target missed or not known; 2 cannot run; 3 invalid rows (2 > 3 > 1).

        An indicator with no data has met nothing: a blank template or an empty
        folder exits 1, not 0. Nor has an incomplete one: units that must
        report did not, and the target may be missed.
        """
        if self.unreadable_files or any(f.code.startswith("input-") for f in self.errors):
            # A file, or a sheet of one, that could not be used at all.
            return EXIT_CANNOT_RUN
        if self.annex_file is not None:
            # Verifying an annex judges its claims, not the targets: a true
            # "Chưa đạt" is a correct annex; a false or unreadable claim is not.
            return EXIT_TARGET_MISSED if any(f.code.startswith("annex-") for f in self.errors) else EXIT_OK
        if self.rows_excluded or self.errors:
            return EXIT_INVALID_ROWS
        counts = self.status_counts
        return EXIT_TARGET_MISSED if any(counts[s] for s in _FAILING[self.fail_on]) else EXIT_OK
