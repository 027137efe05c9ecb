"""The drill-down of one indicator (``qbplan explain``): who pulls it down, and by how much."""

from __future__ import annotations

from dataclasses import dataclass, field

from qbplan.config.targets import Indicator
from qbplan.errors import EXIT_CANNOT_RUN, EXIT_OK
from qbplan.model.report import IndicatorResult, Rated, Report, Status, UnitRef


@dataclass(frozen=True, slots=True)
class RowGap(Rated):
    """One row of the indicator's sheet (an agency, a commune ...) and its gap."""

    key: str | None
    name: str | None
    group: str | None
    file: str
    sheet: str
    row: int
    numerator: int
    denominator: int
    status: Status
    gap: int
    exceeded: bool = False  # met and beyond, as check says VƯỢT


@dataclass(frozen=True, slots=True)
class GroupGap(Rated):
    """One district (or other ``by`` group) and its gap."""

    group: str | None
    numerator: int
    denominator: int
    status: Status
    gap: int
    rows: int
    exceeded: bool = False  # met and beyond, as check says VƯỢT


@dataclass(frozen=True)
class Explanation:
    """The drill-down of one indicator."""

    indicator: IndicatorResult
    spec: Indicator  # the indicator as the targets file declares it (its unit words)
    gap: int
    rows: list[RowGap]  # largest gap first, then lowest rate
    groups: list[GroupGap]  # largest gap first
    by: str | None
    report: Report  # the check behind it, for its findings and files
    # With a register: the units in scope that gave no valid row (they did not report, or their row was left out).
    missing: list[UnitRef] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """2 when a submission could not be read (the drill-down is not whole); else 0."""
        return EXIT_CANNOT_RUN if self.report.unreadable_files else EXIT_OK
