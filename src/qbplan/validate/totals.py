"""Totals rows: each stated total against the rows it covers."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from qbplan.config.targets import Column
from qbplan.layout.table import SheetTable, TotalsRow
from qbplan.read.cells import CellProblem
from qbplan.results.findings import Finding, Place, finding
from qbplan.validate.parsers import parse_int


def check_totals(table: SheetTable, parsed: list[tuple[int, dict[str, Any]]]) -> list[Finding]:
    """Compare each totals row with the sum of the rows it totals.

    ``parsed`` holds every data row, valid or not, with what parsed: the
    agency's own total includes its bad rows. A yes/no column's total is the
    count of "Có". A totals cell that is not a whole number is not compared;
    one holding an Excel error or an unsaved formula is a finding like any cell.
    """
    numeric = [c for c in table.spec.columns if c.type in ("int", "yesno")]
    ordered = sorted(parsed, key=lambda item: item[0])
    out: list[Finding] = []
    for total in table.totals:
        covered = [values for row, values in ordered if _covers(total, row)]
        stated_values = dict(zip(table.keys, total.values, strict=True))
        for col in numeric:
            raw = stated_values.get(col.key)
            place = Place(table.file, table.sheet, total.row, col.key, table.col_index.get(col.key))
            if isinstance(raw, CellProblem):
                out.append(finding(raw.code, place, {"label": col.label, "detail": raw.detail}, raw.detail))
                continue
            stated = _whole(raw)
            computed = _column_total(col, covered)
            if stated is None or stated == computed:
                continue
            params = {
                "label": total.label,
                "column_label": col.label,
                "stated": stated,
                "computed": computed,
                "scope_first": total.first,
                "scope_last": total.last,
            }
            out.append(finding("totals-mismatch", place, params, stated))
    return out


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
