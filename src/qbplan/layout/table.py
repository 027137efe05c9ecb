"""The tables the layout stage produces: a sheet's header, data rows and totals rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qbplan.config.targets import Sheet
from qbplan.model.report import SheetRows, row_ranges
from qbplan.model.valid import ValidRows


@dataclass
class SheetTable:
    """The rows of one workbook sheet that matched one form sheet.

    ``rows`` holds (Excel row number, values in the order of ``keys``); a value
    is None when blank, a :class:`CellProblem`, or what the cell holds.

    Built row by row by the layout stage (qbplan.layout.rows); once the read
    stage returns it, nothing edits it: the bulk screen returns a new table
    with its rows in ``screened``.
    """

    file: str
    sheet: str  # the name as it is in the workbook
    spec: Sheet
    header_row: int
    keys: list[str]
    col_index: dict[str, int]  # column key -> 0-based Excel column
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    blank_rows: int = 0
    hidden: bool = False
    # Layout rows skipped, by kind ("column-numbers", "header", "section",
    # "total", "signoff") -> Excel row numbers. Totals are also kept in ``totals``.
    layout: dict[str, list[int]] = field(default_factory=dict)
    totals: list[TotalsRow] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # data rows hidden in Excel
    # Layout rows that could have been a unit's: said as findings by validation.
    notes: list[LayoutNote] = field(default_factory=list)
    # From the bulk screen (qbplan.validate.screen), for a large sheet: the
    # rows it vouched for, parsed; ``rows`` then holds only the doubtful rows,
    # for the row model.
    screened: ValidRows | None = None

    @property
    def data_rows(self) -> int:
        """Data rows read (screened and laid out)."""
        return (len(self.screened) if self.screened is not None else 0) + len(self.rows)

    def read_as(self) -> SheetRows:
        """Every non-blank row under the header by how it was read, as runs of Excel rows."""
        kinds = {kind: row_ranges(sorted(rows)) for kind, rows in self.layout.items()}
        return SheetRows(self.sheet, self.spec.key, self.header_row, {"data": self._data_ranges(), **kinds})

    def _data_ranges(self) -> tuple[tuple[int, int], ...]:
        """The data rows' runs; a screened sheet's million rows in bulk, not one by one."""
        laid_out = [row for row, _ in self.rows]
        if self.screened is None or not len(self.screened):
            return row_ranges(laid_out)
        import numpy as np

        screened = np.asarray(self.screened.excel_rows, dtype=np.int64)
        rows = np.sort(np.concatenate([screened, np.array(laid_out, np.int64)]))
        breaks = np.flatnonzero(np.diff(rows) != 1)
        starts = np.concatenate([[0], breaks + 1])
        ends = np.concatenate([breaks, [len(rows) - 1]])
        return tuple((int(rows[a]), int(rows[b])) for a, b in zip(starts, ends, strict=True))


@dataclass(frozen=True, slots=True)
class LayoutNote:
    """A row read as layout that holds a key: said at its key cell, never dropped without a word."""

    row: int  # Excel row
    kind: str  # how it was read: "signoff", "section" or "total"
    column: str  # the key column's key
    value: Any  # the key cell as written


@dataclass(frozen=True, slots=True)
class TotalsRow:
    """A total or subtotal row, and the data rows (Excel numbers, inclusive) it sums.

    ``first``/``last`` are None for a grand total, which covers the whole table.
    """

    row: int
    label: str
    values: tuple[Any, ...]  # in the order of the table's keys
    first: int | None = None
    last: int | None = None


@dataclass(frozen=True, slots=True)
class Header:
    """Where a form sheet's header is: its first row (0-based), rows spanned, columns."""

    index: int
    span: int
    columns: dict[str, int]
