"""``--format xlsx``: the results as a workbook planners can sort and filter.

Sheets: the indicator results (status cells coloured by conditional
formatting), the findings with their file, sheet, row, cell and value, and the
files read. Every text cell is written as text, never as a formula, so a value
an agency typed as ``=HYPERLINK(...)`` cannot run when the report is opened.
"""

from __future__ import annotations

from typing import IO, Any

from qbplan.i18n import ui
from qbplan.render import RenderOptions
from qbplan.results.report import Finding, Report

_FINDING_COLUMNS = [
    "col.severity",
    "col.file",
    "col.sheet",
    "col.row",
    "col.cell",
    "col.column",
    "col.value",
    "col.code",
    "col.message",
]
_FILE_COLUMNS = [
    "col.file",
    "col.sheets",
    "col.rows",
    "col.excluded",
    "col.blank",
    "col.layout",
    "col.errors",
    "col.warnings",
]
_FILLS = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE", "no_data": "EDEDED"}


def _put(ws: Any, row: int, col: int, value: object) -> None:
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        # openpyxl would store "=..." as a formula; force a plain string.
        cell.data_type = "s"


def _header(ws: Any, keys: list[str], lang: str) -> None:
    from openpyxl.styles import Font, PatternFill

    for j, key in enumerate(keys, start=1):
        _put(ws, 1, j, ui(key, lang))
        ws.cell(row=1, column=j).font = Font(bold=True)
        ws.cell(row=1, column=j).fill = PatternFill("solid", fgColor="DDEBF7")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _widths(ws: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width


def _list_sheet(wb: Any, title: str, keys: list[str], rows: list[list[object]], widths: list[int], lang: str) -> None:
    """A sheet of plain rows under a bold, filtered, frozen header."""
    ws = wb.create_sheet(title[:31])  # Excel caps sheet names at 31 characters
    for i, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            _put(ws, i, j, value)
    _header(ws, keys, lang)
    _widths(ws, widths)


def render(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    """Write the workbook to the binary stream ``out``."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    lang = report.lang
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = ui("title.table", lang)[:31]
    keys = ["col.id", "col.title", "col.rate", "col.target", "col.fraction", "col.excluded", "col.status"]
    for i, ind in enumerate(report.indicators, start=2):
        _put(ws, i, 1, ind.id)
        _put(ws, i, 2, ind.title)
        # The rate as a number Excel can chart; the exact fraction is beside it.
        _put(ws, i, 3, float(ind.rate) if ind.rate is not None else None)
        ws.cell(row=i, column=3).number_format = "0.0%"
        _put(ws, i, 4, float(ind.target))
        ws.cell(row=i, column=4).number_format = "0.0%"
        _put(ws, i, 5, f"{ind.numerator}/{ind.denominator}")
        _put(ws, i, 6, ind.excluded_rows)
        _put(ws, i, 7, ui(f"status.{ind.status}", lang))
    _header(ws, keys, lang)
    _widths(ws, [8, 70, 10, 10, 18, 10, 18])
    last = len(report.indicators) + 1
    for status, color in _FILLS.items():
        label = ui(f"status.{status}", lang).replace('"', '""')
        ws.conditional_formatting.add(
            f"G2:G{max(last, 2)}",
            CellIsRule(operator="equal", formula=[f'"{label}"'], fill=PatternFill("solid", bgColor=color)),
        )

    findings: list[Finding] = report.errors + report.warnings
    _list_sheet(
        wb,
        ui("title.findings", lang),
        _FINDING_COLUMNS,
        [
            [ui(f"severity.{f.severity}", lang), f.file, f.sheet, f.row, f.cell, f.column, f.value, f.code, f.message]
            for f in findings
        ],
        [10, 30, 20, 7, 7, 22, 16, 20, 80],
        lang,
    )
    _list_sheet(
        wb,
        ui("title.files", lang),
        _FILE_COLUMNS,
        [
            [
                s.file,
                ", ".join(s.sheets) if s.readable else ui("unreadable", lang),
                s.rows_read,
                s.rows_excluded,
                s.blank_rows,
                sum(s.layout_rows.values()),
                s.errors,
                s.warnings,
            ]
            for s in report.files
        ],
        [40, 50, 10, 10, 10, 12, 8, 10],
        lang,
    )
    wb.save(out)
