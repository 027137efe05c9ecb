"""Totals rows: each stated total against the rows it covers."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from qbplan.config.targets import Column
from qbplan.layout.table import SheetTable, TotalsRow
from qbplan.model.cells import CellProblem
from qbplan.model.findings import Finding, Place, finding
from qbplan.model.valid import ValidRows
from qbplan.validate.parsers import parse_int


def check_totals(
    table: SheetTable, parsed: list[tuple[int, dict[str, Any]]], screened: ValidRows | None = None
) -> list[Finding]:
    """Compare each totals row with the sum of the rows it totals.

    ``parsed`` holds every data row, valid or not, with what parsed: the
    agency's own total includes its bad rows. A yes/no column's total is the
    count of "Có". A totals cell that is not a whole number is said, not compared;
    one holding an Excel error or an unsaved formula is a finding like any cell.
    ``screened`` holds the rows the bulk screen vouched for, if any:
    their part of each total comes from running sums.
    """
    checker = _TotalsCheck(table, parsed, screened)
    return [f for total in table.totals for col in checker.numeric for f in checker.cell(total, col)]


class _TotalsCheck:
    """One sheet's totals rows against its data rows (row model and screened alike)."""

    def __init__(self, table: SheetTable, parsed: list[tuple[int, dict[str, Any]]], screened: ValidRows | None) -> None:
        self.table = table
        self.numeric = [c for c in table.spec.columns if c.type in ("int", "yesno")]
        self.ordered = sorted(parsed, key=lambda item: item[0])
        self.bulk = _RunningSums(screened, self.numeric) if screened is not None and len(screened) else None

    def cell(self, total: TotalsRow, col: Column) -> list[Finding]:
        """The finding for one totals cell, if it has one."""
        table = self.table
        raw = dict(zip(table.keys, total.values, strict=True)).get(col.key)
        place = Place(table.file, table.sheet, total.row, col.key, table.col_index.get(col.key))
        if isinstance(raw, CellProblem):
            return [finding(raw.code, place, {"label": col.label, "detail": raw.detail}, raw.detail)]
        stated = _whole(raw)
        if stated is None and raw is not None:
            # Text where a count should stand: said, not passed over (a totals row is left out of the rates).
            params = {"label": total.label, "column_label": col.label, "scope_first": total.first}
            return [finding("totals-not-a-count", place, {**params, "scope_last": total.last}, raw)]
        rows = [(row, values) for row, values in self.ordered if _covers(total, row)]
        computed = _column_total(col, [values for _, values in rows]) + self._bulk_total(col, total)
        if stated is None or stated == computed:
            return []
        return [self._mismatch(total, col, place, (stated, computed), [row for row, _ in rows])]

    def _mismatch(
        self, total: TotalsRow, col: Column, place: Place, numbers: tuple[int, int], rows: list[int]
    ) -> Finding:
        """A stated total that is not the computed one; said apart when numbers typed as text are the difference."""
        stated, computed = numbers
        params: dict[str, object] = {
            "label": total.label,
            "column_label": col.label,
            "stated": stated,
            "computed": computed,
            "scope_first": total.first,
            "scope_last": total.last,
        }
        text = _text_numbers(self.table, col, rows)
        if not text or stated != computed - sum(value for _, value in text):
            return finding("totals-mismatch", place, params, stated)
        # Excel's and LibreOffice's SUM skip numbers typed as text: that is the whole difference.
        params["cells"] = ", ".join(cell for cell, _ in text)
        return finding("totals-mismatch-text", place, params, stated)

    def _bulk_total(self, col: Column, total: TotalsRow) -> int:
        """The screened rows' part of the total (0 without screened rows)."""
        return self.bulk.total(col.key, total) if self.bulk else 0


def _text_numbers(table: SheetTable, col: Column, rows: list[int]) -> list[tuple[str, int]]:
    """Cells of ``col`` in ``rows`` holding a whole number typed as text: (cell, value)."""
    if col.type != "int":
        return []
    j = table.keys.index(col.key)
    raw = dict(table.rows)
    typed = [(row, _whole(raw[row][j])) for row in rows if row in raw and isinstance(raw[row][j], str)]
    return [(Place(row=row, index=table.col_index.get(col.key)).cell() or str(row), n) for row, n in typed if n]


def _whole(raw: Any) -> int | None:
    if raw is None:
        return None
    try:
        return parse_int(raw)
    except PydanticCustomError:
        return None


def _column_total(col: Column, rows: list[dict[str, Any]]) -> int:
    if col.type == "int":
        return sum(v.get(col.key) or 0 for v in rows)
    return sum(1 for v in rows if v.get(col.key) is True)


def _covers(total: TotalsRow, row: int) -> bool:
    if total.first is None or total.last is None:
        return True
    return total.first <= row <= total.last


class _RunningSums:
    """Exact column sums of the screened rows over any range of Excel rows, from running sums."""

    def __init__(self, screened: ValidRows, numeric: list[Column]) -> None:
        import numpy as np

        self.rows = np.asarray(screened.excel_rows)
        # Python ints (object): a running sum of a million 15-digit cells can pass int64.
        self.sums = {
            c.key: np.concatenate([[0], np.cumsum(np.asarray(screened.columns[c.key]).astype(object))]) for c in numeric
        }

    def total(self, key: str, total: TotalsRow) -> int:
        import numpy as np

        lo = 0 if total.first is None else int(np.searchsorted(self.rows, total.first, side="left"))
        hi = len(self.rows) if total.last is None else int(np.searchsorted(self.rows, total.last, side="right"))
        sums = self.sums[key]
        return int(sums[hi] - sums[lo])
