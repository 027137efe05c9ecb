"""Large sheets: which sheets go to the bulk screen (qbplan.validate.screen), and their cells as strings.

A light module: the screen needs numpy, pandas and pyarrow, and a worker that
reads only small sheets must not pay for importing them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Sheets whose XML unpacks to less than this (about 500 rows of a 17-column
# form) go the row path. Measured in one run (benchmarks/run.py's agency
# sheet, 20 invalid cells): 100 rows 0.026 s by row against 0.069 s in bulk,
# 500 rows 0.057 s against 0.058 s, 2,000 rows 0.19 s against 0.09 s, 20,000
# rows 1.65 s against 0.36 s. Below it the screen's fixed cost (a second
# reader, Arrow, a thread pool) is more than the whole row path, and a
# folder of 300 commune workbooks took 8.5 s in bulk against 1.8 s by row.
FAST_MIN_BYTES = 256 * 1024


def is_large(zf: zipfile.ZipFile, member: str) -> bool:
    """Whether an .xlsx sheet is big enough for the bulk screen."""
    try:
        return zf.getinfo(member).file_size >= FAST_MIN_BYTES
    except KeyError:
        return False


@dataclass(frozen=True)
class StringGrid:
    """A sheet as fastexcel reads it: Arrow string columns by absolute column index, rows from the top."""

    columns: dict[int, Any]
    num_rows: int

    @property
    def used(self) -> range:
        """The sheet's used columns (calamine's range)."""
        return range(min(self.columns), max(self.columns) + 1) if self.columns else range(0)

    def text(self, row: int, col: int) -> str:
        """The text read for one cell (0-based), "" for a blank one: a shared string exactly as calamine reads it."""
        column = self.columns.get(col)
        value = column[row].as_py() if column is not None and row < self.num_rows else None
        return "" if value is None else str(value)

    def top(self, rows: int) -> list[list[Any]]:
        """The first ``rows`` rows as Python lists, to find the header with the layout stage's functions."""
        width = max(self.columns, default=-1) + 1
        top: list[list[Any]] = [[None] * width for _ in range(min(self.num_rows, rows))]
        for j, column in self.columns.items():
            for i, value in enumerate(column.slice(0, len(top)).to_pylist()):
                top[i][j] = value
        return top


def read_strings(reader: Callable[[], Any], name: str) -> StringGrid | None:
    """Sheet ``name`` through the workbook's fastexcel ``reader()``, every cell as a string.

    None when fastexcel cannot read it: the row path then reads it, and
    reports exactly what is wrong.
    """
    absolute: list[int] = []

    def keep(column: Any) -> bool:
        absolute.append(column.absolute_index)  # the eager batch names columns by their rank only
        return True

    try:
        # Eager: straight to one Arrow batch, 0.2 s faster per 200k rows than a lazy sheet's to_arrow().
        arrow = reader().load_sheet(name, header_row=None, skip_rows=0, dtypes="string", eager=True, use_columns=keep)
    except Exception:  # noqa: BLE001 - anything fastexcel dislikes, the row path reports exactly
        return None
    return StringGrid({j: arrow.column(k) for k, j in enumerate(absolute)}, arrow.num_rows)
