"""``--format xlsx``: the results as a workbook planners can sort and filter.

Sheets: the indicator results (status cells coloured by conditional
formatting), the findings with their file, sheet, row, cell and value, and the
files read. Every text cell is written as text, never as a formula, so a value
an agency typed as ``=HYPERLINK(...)`` cannot run when the report is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from qbplan.render import RenderOptions
from qbplan.render.view import View, build_view, grouping_label
from qbplan.results.report import Report

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
_GROUP_COLUMNS = ["col.id", "col.group", "col.rate", "col.fraction", "col.status"]
_FILLS = {"pass": "C6EFCE", "warn": "FFEB9C", "fail": "FFC7CE", "no_data": "EDEDED"}


def _put(ws: Any, row: int, col: int, value: object) -> None:
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        # openpyxl would store "=..." as a formula; force a plain string.
        cell.data_type = "s"


def _header(ws: Any, keys: list[str], view: View) -> None:
    from openpyxl.styles import Font, PatternFill

    for j, key in enumerate(keys, start=1):
        _put(ws, 1, j, view.label(key))
        ws.cell(row=1, column=j).font = Font(bold=True)
        ws.cell(row=1, column=j).fill = PatternFill("solid", fgColor="DDEBF7")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _widths(ws: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width


def _list_sheet(
    wb: Any, title: str, keys: list[str], rows: Sequence[Sequence[object]], widths: list[int], view: View
) -> None:
    """A sheet of plain rows under a bold, filtered, frozen header."""
    ws = wb.create_sheet(title[:31])  # Excel caps sheet names at 31 characters
    for i, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            _put(ws, i, j, value)
    _header(ws, keys, view)
    _widths(ws, widths)


def _indicator_sheet(wb: Any, view: View) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    ws = wb.active
    ws.title = view.label("title.table")[:31]
    keys = ["col.id", "col.title", "col.rate", "col.target", "col.fraction", "col.excluded", "col.status"]
    for i, ind in enumerate(view.indicators, start=2):
        # The rate as a number Excel can chart, rounded down as every format shows it.
        values: list[object] = [ind.id, ind.title, ind.rate_number, ind.goal, ind.fraction, ind.result.excluded_rows]
        for j, value in enumerate([*values, ind.status_text], start=1):
            _put(ws, i, j, value)
        ws.cell(row=i, column=3).number_format = "0.0%"
    _header(ws, keys, view)
    _widths(ws, [8, 70, 10, 12, 18, 10, 18])
    last = len(view.indicators) + 1
    for status, color in _FILLS.items():
        label = view.label(f"status.{status}").replace('"', '""')
        ws.conditional_formatting.add(
            f"G2:G{max(last, 2)}",
            CellIsRule(operator="equal", formula=[f'"{label}"'], fill=PatternFill("solid", bgColor=color)),
        )


def render(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    """Write the workbook to the binary stream ``out`` (every finding, whatever ``max_findings``)."""
    from openpyxl import Workbook

    view = build_view(report, options.lang)
    wb = Workbook()
    _indicator_sheet(wb, view)
    findings = [
        [
            f.severity,
            f.finding.file,
            f.finding.sheet,
            f.finding.row,
            f.finding.cell,
            f.finding.column,
            f.finding.value,
            f.code,
            f.message,
        ]
        for f in view.errors + view.warnings
    ]
    _list_sheet(wb, view.label("title.findings"), _FINDING_COLUMNS, findings, [10, 30, 20, 7, 7, 22, 16, 20, 80], view)
    files = [
        [
            f.file,
            f.sheets,
            *(getattr(f.summary, k) for k in ("rows_read", "rows_excluded", "blank_rows")),
            sum(f.summary.layout_rows.values()),
            f.summary.errors,
            f.summary.warnings,
        ]
        for f in view.files
    ]
    _list_sheet(wb, view.label("title.files"), _FILE_COLUMNS, files, [40, 50, 10, 10, 10, 12, 8, 10], view)
    if view.breakdowns:
        groups = [[b.id, g.name, g.rate, g.fraction, g.status_text] for b in view.breakdowns for g in b.groups]
        title = view.label("title.breakdown", by=grouping_label(report))
        _list_sheet(wb, title, _GROUP_COLUMNS, groups, [8, 40, 10, 18, 18], view)
    wb.save(out)
