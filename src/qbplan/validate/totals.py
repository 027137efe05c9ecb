"""Totals rows: each stated total against the rows it covers."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from qbplan.i18n import format_int, message, ui
from qbplan.layout.table import SheetTable, TotalsRow
from qbplan.read.cells import column_letter
from qbplan.results.report import Finding
from qbplan.validate.parsers import parse_int


def check_totals(table: SheetTable, parsed: list[tuple[int, dict[str, Any]]], lang: str = "vi") -> list[Finding]:
    """Compare each totals row with the sum of the rows it totals.

    ``parsed`` holds every data row, valid or not, with what parsed: the
    agency's own total includes its bad rows. A yes/no column's total is the
    count of "Có". A totals cell that is not a whole number is not compared.
    """
    spec = table.spec
    numeric = [c for c in spec.columns if c.type in ("int", "yesno")]
    ordered = sorted(parsed, key=lambda item: item[0])
    out: list[Finding] = []
    for total in table.totals:
        covered = [values for row, values in ordered if _covers(total, row)]
        stated_values = dict(zip(table.keys, total.values, strict=True))
        for col in numeric:
            raw = stated_values.get(col.key)
            if raw is None:
                continue
            try:
                stated = parse_int(raw)
            except PydanticCustomError:
                continue
            if col.type == "int":
                computed = sum(v.get(col.key) or 0 for v in covered)
            else:
                computed = sum(1 for v in covered if v.get(col.key) is True)
            if stated == computed:
                continue
            scope = (
                ui("scope.table", lang)
                if total.first is None
                else ui("scope.rows", lang, first=total.first, last=total.last)
            )
            index = table.col_index.get(col.key)
            out.append(
                Finding(
                    code="totals-mismatch",
                    severity="warning",
                    message=message(
                        "totals-mismatch",
                        lang,
                        label=total.label,
                        column_label=col.label,
                        stated=format_int(stated, lang),
                        computed=format_int(computed, lang),
                        scope=scope,
                    ),
                    file=table.file,
                    sheet=table.sheet,
                    row=total.row,
                    column=col.key,
                    cell=f"{column_letter(index)}{total.row}" if index is not None else None,
                    value=stated,
                )
            )
    return out


def _covers(total: TotalsRow, row: int) -> bool:
    if total.first is None or total.last is None:
        return True
    return total.first <= row <= total.last
