"""``--format csv``: indicator results, then one row per file, for spreadsheets.

One header for both kinds of row; the ``kind`` column says which (``indicator``
or ``file``). Text that a spreadsheet would run as a formula (starting with
= + - @, a tab or a carriage return) is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
from typing import TextIO

from qbplan.i18n import localized
from qbplan.render import RenderOptions
from qbplan.results.report import Report

COLUMNS = (
    "kind",
    "id",
    "title",
    "sheet",
    "numerator",
    "denominator",
    "rate",
    "rate_exact",
    "target",
    "status",
    "excluded_rows",
    "file",
    "readable",
    "rows_read",
    "rows_excluded",
    "blank_rows",
    "layout_rows",
    "errors",
    "warnings",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> object:
    """A cell value that no spreadsheet will evaluate as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Write the indicator rows, then the file rows, under one header."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for ind in report.indicators:
        rate = ind.rate
        row = {
            "kind": "indicator",
            "id": ind.id,
            "title": localized(ind.title_vi, ind.title_en, options.lang),
            "sheet": ind.sheet,
            "numerator": ind.numerator,
            "denominator": ind.denominator,
            # Six decimals is enough to read; rate_exact is the exact value.
            "rate": "" if rate is None else f"{float(rate):.6f}",
            "rate_exact": "" if rate is None else f"{rate.numerator}/{rate.denominator}",
            "target": f"{float(ind.target):.6f}",
            "status": ind.status,
            "excluded_rows": ind.excluded_rows,
        }
        writer.writerow({k: safe(v) for k, v in row.items()})
    for f in report.files:
        row = {
            "kind": "file",
            "file": f.file,
            "sheet": "; ".join(f.sheets),
            "readable": "true" if f.readable else "false",
            "rows_read": f.rows_read,
            "rows_excluded": f.rows_excluded,
            "blank_rows": f.blank_rows,
            "layout_rows": sum(f.layout_rows.values()),
            "errors": f.errors,
            "warnings": f.warnings,
        }
        writer.writerow({k: safe(v) for k, v in row.items()})
