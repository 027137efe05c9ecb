"""What reading and validating gave: each form sheet of each file, and the batch merged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qbplan.model.findings import Finding
from qbplan.model.report import SheetRows


@dataclass
class SheetResult:
    """One validated form sheet of one file."""

    sheet: str  # as named in the workbook
    form_sheet: str
    # Valid rows: a DataFrame (columnar path) or {column key: values, "__row": Excel rows}.
    data: Any
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


@dataclass
class Loaded:
    """Every input file read and validated, and each form sheet's rows merged across files."""

    results: list[FileResult]
    # Inputs that name no file: an empty folder, a glob with no match.
    problems: list[Finding]
    # form sheet key -> its rows over all files, repeats across files resolved
    merged: dict[str, Any]
