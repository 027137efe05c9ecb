"""``--format xlsx``: the results as a workbook planners can sort and filter.

Sheets: the indicator results (status cells coloured by conditional
formatting), the findings with their file, sheet, row, cell and value, and the
files read. Every text cell is written as text, never as a formula, so a value
an agency typed as ``=HYPERLINK(...)`` cannot run when the report is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qbplan.model.report import FileSummary, Report
from qbplan.model.version import REPORT_MARKER
from qbplan.render.options import RenderOptions
from qbplan.render.view import IndicatorRow, View, build_view, grouping_label

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
_FILLS = {
    "pass": "C6EFCE",
    "exceeded": "A9D08E",
    "warn": "FFEB9C",
    "fail": "FFC7CE",
    "incomplete": "E4D7F5",
    "no_data": "EDEDED",
}
_UNIT_COLUMNS = ["col.sheet", "col.status", "col.group", "col.key", "col.name", "col.where"]


def _put(ws: Any, row: int, col: int, value: object) -> None:
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        # openpyxl would store "=..." as a formula; force a plain string.
        cell.data_type = "s"


def _header(ws: Any, keys: list[str], view: View, row: int = 1) -> None:
    for j, key in enumerate(keys, start=1):
        _put(ws, row, j, view.label(key))
        ws.cell(row=row, column=j).font = Font(bold=True)
        ws.cell(row=row, column=j).fill = PatternFill("solid", fgColor="DDEBF7")
        ws.cell(row=row, column=j).alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = f"A{row + 1}"
    ws.auto_filter.ref = f"A{row}:{get_column_letter(len(keys))}{max(ws.max_row, row)}"


def _widths(ws: Any, widths: list[int]) -> None:
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width


# Line height (points) of the body's 11-point text; a spreadsheet never grows a row for wrapped
# text on opening, so each row is given the lines its longest cell wraps to.
_LINE = 15


def _fit_rows(ws: Any, rows: range, widths: list[int]) -> None:
    """Each row of ``rows`` as tall as its most wrapped cell (by word, at its column's width)."""
    import textwrap

    for r in rows:
        lines = 1
        for j, width in enumerate(widths, start=1):
            value = ws.cell(row=r, column=j).value
            if isinstance(value, str) and value:
                lines = max(lines, len(textwrap.wrap(value, max(width - 2, 4), break_long_words=True)))
        ws.row_dimensions[r].height = _LINE * lines + 3


def _aligned(ws: Any, row: int, col: int, value: object) -> None:
    """Numbers right-aligned with a space from the border (a rate never touches the next cell); text wrapped."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    horizontal = "right" if number else "left"
    ws.cell(row=row, column=col).alignment = Alignment(
        wrap_text=not number, vertical="top", horizontal=horizontal, indent=1 if number else 0
    )


def _list_sheet(
    wb: Any, title: str, keys: list[str], rows: Sequence[Sequence[object]], widths: list[int], view: View
) -> None:
    """A sheet of plain rows under a bold, filtered, frozen header."""
    ws = wb.create_sheet(title[:31])  # Excel caps sheet names at 31 characters
    for i, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            _put(ws, i, j, value)
            _aligned(ws, i, j, value)
    _header(ws, keys, view)
    _widths(ws, widths)
    # The header and every row as tall as their wrapped text (a long list keeps the default past 2,000 rows).
    _fit_rows(ws, range(1, min(len(rows), 2000) + 2), widths)
    # Printed as the results are: A4 landscape, one page wide, the header on every page.
    landscape_a4(ws, "1:1", one_page=False)


# The results sheet: three title lines, a blank line, the header, the indicators.
_TITLE_ROWS = 4
_HEADER = _TITLE_ROWS + 1
_TITLE_CHARS = 56  # characters of an indicator's title on one line of its column


def _indicator_sheet(wb: Any, view: View) -> None:
    ws = wb.active
    ws.title = view.label("title.table")[:31]
    meta = view.label("report.meta", date=view.date, targets=view.targets_file, plan=view.report.plan_id)
    for i, (text, size) in enumerate([(view.title, 14), (view.plan, 11), (meta, 9)], start=1):
        _put(ws, i, 1, text)
        ws.cell(row=i, column=1).font = Font(bold=i == 1, size=size)
    keys = ["col.id", "col.title", "col.rate", "col.target", "col.fraction", "col.excluded", "col.status"]
    # Who reported (with a register), then the previous rate and the change (with --compare),
    # come after the result, which stays in column G.
    keys += _extra_keys(view)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, ind in enumerate(view.indicators, start=_HEADER + 1):
        # The rate as a number Excel can chart, rounded down as every format shows it,
        # in every row: with missing units the bounds are text in their own column.
        values: list[object] = [ind.id, ind.title, ind.rate_number, ind.goal, ind.fraction, ind.result.excluded_rows]
        values += [ind.status_text, *_extra_values(view, ind)]
        for j, value in enumerate(values, start=1):
            _put(ws, i, j, value)
            ws.cell(row=i, column=j).alignment = wrap
        # The rate, target, fraction and rows right-aligned with a space: "88,5 %" and "100 %" never run together.
        for j in (3, 4, 5, 6):
            ws.cell(row=i, column=j).alignment = Alignment(vertical="top", horizontal="right", indent=1)
        _compared_formats(ws, i, len(values), view)
        ws.cell(row=i, column=3).number_format = "0.0%"
    _header(ws, keys, view, _HEADER)
    widths = [7, _TITLE_CHARS + 4, 12, 11, 16, 9, 17, 14, 16, 12, 12][: max(len(keys), 8)]
    _widths(ws, widths)
    # Spreadsheet programs do not grow a row for wrapped text on opening: give each its lines, header too.
    _fit_rows(ws, range(_HEADER, _HEADER + len(view.indicators) + 1), widths)
    for k, note in enumerate(view.notes, start=_HEADER + len(view.indicators) + 2):
        _put(ws, k, 1, note)
        ws.cell(row=k, column=1).font = Font(italic=True, size=9)
    _status_colours(ws, view, f"G{_HEADER + 1}:G{max(_HEADER + len(view.indicators), _HEADER + 1)}")
    # 14 indicators print on one sheet of paper.
    landscape_a4(ws, f"{_HEADER}:{_HEADER}", one_page=True)


def _extra_keys(view: View) -> tuple[str, ...]:
    """The columns after the result: who reported and the bounds (with a register), then --compare's two."""
    covered = ("col.reported", "col.bounds") if view.covered else ()
    return covered + (("col.previous", "col.change") if view.compared else ())


def _extra_values(view: View, ind: IndicatorRow) -> list[object]:
    """The cells after the result; the previous rate and the change as numbers, or blank, never text."""
    covered: list[object] = [ind.coverage, ind.rate if ind.result.bounds else None]
    compared: list[object] = [ind.previous_number, ind.change_number]
    return (covered if view.covered else []) + (compared if view.compared else [])


def _compared_formats(ws: Any, row: int, last: int, view: View) -> None:
    """The previous rate as a percentage and the change as signed points, in the last two columns."""
    if view.compared:
        ws.cell(row=row, column=last - 1).number_format = "0.0%"
        ws.cell(row=row, column=last).number_format = "+0.0;-0.0;0.0"


def _status_colours(ws: Any, view: View, cells: str) -> None:
    # VƯỢT is "exceeded": its own label, so its own rule.
    for status, color in _FILLS.items():
        label = view.label(f"status.{status}").replace('"', '""')
        rule = CellIsRule(operator="equal", formula=[f'"{label}"'], fill=PatternFill("solid", bgColor=color))
        ws.conditional_formatting.add(cells, rule)


def landscape_a4(ws: Any, title_rows: str, one_page: bool) -> None:
    """A4 landscape, one page wide (and tall with ``one_page``), ``title_rows`` ("5:5") on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def render(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    """Write the workbook to the binary stream ``out`` (every finding, whatever ``max_findings``)."""
    view = build_view(report, options.lang)
    wb = Workbook()
    # The marker by which a later `qbplan check` of the same folder knows its
    # own report and leaves it out (never by the file's name).
    wb.properties.keywords = REPORT_MARKER
    wb.properties.creator = "qbplan"
    _indicator_sheet(wb, view)
    findings = [
        [f.severity, f.file, f.sheet, f.finding.row, f.finding.cell, f.column, f.value, f.code, f.message]
        for f in view.errors + view.warnings
    ]
    _list_sheet(wb, view.label("title.findings"), _FINDING_COLUMNS, findings, [10, 30, 20, 7, 7, 22, 16, 20, 80], view)
    files = [_file_cells(f.file, f.sheets, f.summary) for f in view.files]
    _list_sheet(wb, view.label("title.files"), _FILE_COLUMNS, files, [40, 50, 10, 10, 10, 12, 8, 10], view)
    if view.breakdowns:
        groups = [[b.id, g.name, g.rate, g.fraction, g.status_text] for b in view.breakdowns for g in b.groups]
        title = view.label("title.breakdown", by=grouping_label(report))
        _list_sheet(wb, title, _GROUP_COLUMNS, groups, [8, 40, 10, 18, 18], view)
    if view.completeness:
        units = _unit_cells(view)
        _list_sheet(wb, view.label("title.completeness"), _UNIT_COLUMNS, units, [22, 22, 24, 12, 40, 40], view)
    # Last, so that the sheets before it keep their places: how each sheet's rows were read.
    read_as = [[r.file, r.sheet, r.header_row, r.kind, r.count, r.rows] for r in view.sheet_rows]
    keys = ["col.file", "col.sheet", "col.header_row", "col.read_as", "col.count", "col.rows_at"]
    _list_sheet(wb, view.label("title.sheet_rows"), keys, read_as, [40, 24, 10, 18, 10, 60], view)
    wb.save(out)


def _file_cells(file: str, sheets: str, s: FileSummary) -> list[Any]:
    """A file's row, its counts as numbers."""
    return [file, sheets, s.rows_read, s.rows_excluded, s.blank_rows, s.layout_total, s.errors, s.warnings]


def _unit_cells(view: View) -> list[list[Any]]:
    """Each register's missing units, then its unknown ones."""
    missing, unknown = view.label("title.missing"), view.label("title.unknown")
    return [
        [c.sheet, word, u.group, u.key, u.name, u.where]
        for c in view.completeness
        for word, rows in ((missing, c.missing), (unknown, c.unknown))
        for u in rows
    ]
