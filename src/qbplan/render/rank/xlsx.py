"""``qbplan rank -f xlsx`` (the ranking as a sheet) and ``-f cards`` (one scorecard sheet per unit).

Numbers are cells a planner can sort and sum: points rounded to 2 decimals,
the index to 4, as every format shows them. A scorecard prints one unit on
one A4 page (portrait, fitted to the page), to send to the unit.
"""

from __future__ import annotations

import re
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from qbplan.i18n import ui
from qbplan.i18n.numbers import rounded_number
from qbplan.model.version import REPORT_MARKER
from qbplan.render.rank.view import INDEX_DIGITS, POINT_DIGITS, RankRow, RankView

_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _text(ws: Any, row: int, col: int, value: object) -> Any:
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        # openpyxl would store "=..." as a formula; a unit's name is text.
        cell.data_type = "s"
    return cell


# Points are shown with their 2 decimals whatever their value (the cell keeps the number).
POINTS_FORMAT = "0.00"


def render_xlsx(view: RankView, out: IO[bytes]) -> None:
    """The ranking: one row per unit, each pillar's points, the total, the index and the grade as numbers."""
    wb = Workbook()
    wb.properties.keywords = REPORT_MARKER
    ws = wb.active
    assert ws is not None
    ws.title = ui("rank.col.rank", view.lang)
    _text(ws, 1, 1, view.title).font = Font(bold=True, size=13)
    headers = (*view.headers[:3], *view.pillar_titles, ui("rank.col.total", view.lang),
               ui("rank.col.most", view.lang), *view.headers[-3:])  # fmt: skip
    for j, header in enumerate(headers, start=1):
        cell = _text(ws, 3, j, header)
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEAD, _BOX, _WRAP
    # Two lines for the wrapped headings: no spreadsheet grows a row openpyxl wrote.
    ws.row_dimensions[3].height = 30
    for i, row in enumerate((*view.rows, *view.omitted), start=4):
        unit = row.unit
        values: list[object] = [unit.rank, unit.key, unit.name or ""]
        values += [rounded_number(unit.pillar(key)[0], POINT_DIGITS) for key in view.pillar_keys]
        values += [rounded_number(unit.total, POINT_DIGITS), rounded_number(unit.most, POINT_DIGITS)]
        values += [rounded_number(unit.index, INDEX_DIGITS), row.grade, row.note]
        for j, value in enumerate(values, start=1):
            _text(ws, i, j, value).border = _BOX
        # Points always with their 2 decimals (30,00 beside 29,52), the index with its 4.
        for j in range(4, 4 + len(view.pillar_keys) + 2):
            ws.cell(row=i, column=j).number_format = POINTS_FORMAT
        ws.cell(row=i, column=len(values) - 2).number_format = "0.0000"
    widths = [7, 12, 36, *([14] * len(view.pillar_keys)), 11, 11, 12, 14, 30]
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "D4"
    last = 3 + len(view.rows) + len(view.omitted)
    _text(ws, last + 2, 1, view.summary)
    _text(ws, last + 3, 1, view.rounding)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    if view.self_lines:
        found = wb.create_sheet(ui("rank.self_sheet", view.lang)[:31])
        for j, key in enumerate(("rank.col.where", "rank.col.message"), start=1):
            cell = _text(found, 1, j, ui(key, view.lang))
            cell.font, cell.fill = _BOLD, _HEAD
        for i, (place, text) in enumerate(view.self_lines, start=2):
            _text(found, i, 1, place)
            _text(found, i, 2, text).alignment = _WRAP
        found.column_dimensions["A"].width, found.column_dimensions["B"].width = 40, 90
    wb.save(out)


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(key: str, taken: set[str]) -> str:
    """A sheet name from the unit's code: at most 31 characters, none Excel refuses, each once."""
    base = _SHEET_BAD.sub("_", key).strip("'") or "_"
    name, n = base[:31], 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


_CARD_WIDTHS = (44, 16, 13, 10, 30, 8, 8)


def _fit_height(ws: Any, row: int, values: list[object]) -> None:
    """A row tall enough for its wrapped text: neither Excel nor LibreOffice grows a row openpyxl wrote."""
    lines = 1
    for value, width in zip(values, _CARD_WIDTHS, strict=False):
        if isinstance(value, str):
            # About one character per unit of column width, less the cell's padding.
            per_line = max(int(width * 1.1) - 2, 1)
            lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in value.split("\n")))
    ws.row_dimensions[row].height = 15 * lines


def render_cards(view: RankView, out: IO[bytes]) -> None:
    """One sheet per unit, in rank order: every criterion, its data, the rule applied and its points."""
    wb = Workbook()
    wb.properties.keywords = REPORT_MARKER
    first = wb.active
    assert first is not None
    wb.remove(first)
    taken: set[str] = set()
    count = len(view.rows)
    for row in (*view.rows, *view.omitted):
        _card(wb.create_sheet(_sheet_name(row.key, taken)), row, view, count)
    if not wb.worksheets:
        wb.create_sheet(ui("rank.col.rank", view.lang))
    wb.save(out)


def _card(ws: Any, row: RankRow, view: RankView, count: int) -> None:
    lang = view.lang
    name = f"{row.name} ({row.key})" if row.name else row.key
    _text(ws, 1, 1, view.title).font = Font(bold=True)
    _text(ws, 2, 1, ui("rank.card_title", lang, name=name)).font = Font(bold=True, size=13)
    result = ui("rank.card_result", lang, total=row.total, most=row.most, index=row.index, grade=row.grade,
                rank=row.rank, count=count)  # fmt: skip
    _text(ws, 3, 1, result)
    if row.note:
        _text(ws, 4, 1, row.note)
    keys = ("rank.col.criterion", "rank.col.pillar", "rank.col.data", "rank.col.rate", "rank.col.rule",
            "rank.col.points", "rank.col.max")  # fmt: skip
    for j, key in enumerate(keys, start=1):
        cell = _text(ws, 6, j, ui(key, lang))
        cell.font, cell.fill, cell.border, cell.alignment = _BOLD, _HEAD, _BOX, _WRAP
    _fit_height(ws, 6, [ui(key, lang) for key in keys])
    r = 7
    for line in row.lines:
        values: list[object] = [f"{line.id}. {line.title}", line.pillar, line.data, line.rate, line.rule]
        values += [rounded_number(line.score.points, POINT_DIGITS) if line.counted else "—"]
        values += [rounded_number(line.score.max, POINT_DIGITS) if line.counted else "—"]
        for j, value in enumerate(values, start=1):
            cell = _text(ws, r, j, value)
            cell.border, cell.alignment = _BOX, _WRAP
            if j >= 6:
                cell.number_format = POINTS_FORMAT
        _fit_height(ws, r, values)
        r += 1
    for j, key in enumerate(view.pillar_keys):
        points, most = row.unit.pillar(key)
        _text(ws, r, 1, view.pillar_titles[j]).font = _BOLD
        _text(ws, r, 6, rounded_number(points, POINT_DIGITS)).number_format = POINTS_FORMAT
        _text(ws, r, 7, rounded_number(most, POINT_DIGITS)).number_format = POINTS_FORMAT
        r += 1
    _text(ws, r, 1, ui("rank.col.total", lang)).font = _BOLD
    for j, value in ((6, row.unit.total), (7, row.unit.most)):
        cell = _text(ws, r, j, rounded_number(value, POINT_DIGITS))
        cell.font, cell.number_format = _BOLD, POINTS_FORMAT
    _text(ws, r + 2, 1, view.rounding).alignment = _WRAP
    ws.merge_cells(start_row=r + 2, start_column=1, end_row=r + 2, end_column=7)
    ws.row_dimensions[r + 2].height = 45
    for j, width in enumerate(_CARD_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    # One unit, one A4 page: portrait, fitted to the page in both directions.
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_area = f"A1:G{r + 2}"
