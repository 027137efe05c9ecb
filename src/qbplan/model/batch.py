"""What reading and validating gave: each form sheet of each file, and the batch merged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from qbplan.model.findings import Finding
from qbplan.model.report import SheetRows
from qbplan.model.valid import ValidRows

if TYPE_CHECKING:  # pragma: no cover - this floor never imports pandas
    import pandas as pd


@dataclass(frozen=True)
class SheetResult:
    """One validated form sheet of one file."""

    sheet: str  # as named in the workbook
    form_sheet: str
    data: ValidRows
    invalid: list[tuple[int, dict[str, Any]]]
    errors: list[Finding]
    warnings: list[Finding]
    rows_read: int
    blank_rows: int
    col_index: dict[str, int]
    # Every non-blank row by how it was read (data, heading, total, ...), with its Excel row numbers.
    rows: SheetRows

    @property
    def layout(self) -> dict[str, int]:
        """Layout rows skipped, by kind (every kind of row but data)."""
        return {kind: self.rows.count(kind) for kind in self.rows.rows if kind != "data"}


@dataclass
class FileResult:
    """What one input file gave: its sheets, or the reason it could not be used."""

    file: str
    failure: Finding | None = None
    # Not a submission at all (qbplan's own report): a warning, not a file.
    skipped: Finding | None = None
    sheets: list[SheetResult] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Holder:
    """One workbook sheet that gave rows of a form sheet: its file, its name and its columns."""

    file: str
    sheet: str
    col_index: dict[str, int]


@dataclass(frozen=True)
class Resolved:
    """Rows of one form sheet over all files, with repeats across files taken out."""

    # The form's columns, "__row", and where each row came from: "__holder"
    # while merging, "__file" and "__sheet" once merged.
    frame: pd.DataFrame
    findings: tuple[Finding, ...] = ()
    # Rows left out as repeats: (file, parsed values), to count per file and indicator.
    excluded: tuple[tuple[str, dict[str, Any]], ...] = ()


@dataclass(frozen=True)
class Loaded:
    """Every input file read and validated, and each form sheet's rows merged across files."""

    results: list[FileResult]
    # Inputs that name no file: an empty folder, a glob with no match.
    problems: list[Finding]
    # form sheet key -> its rows over all files, repeats across files resolved
    merged: Mapping[str, Resolved]

    @cached_property
    def column_places(self) -> dict[tuple[str, str], dict[str, int]]:
        """(file, sheet as named) -> each column key's 0-based Excel column: to name a merged row's cell.

        Made once per batch: the register's matching, the outliers and the kept figures all ask.
        """
        return {(r.file, s.sheet): s.col_index for r in self.results for s in r.sheets}
