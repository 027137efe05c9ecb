"""``--format annex``: the results as the annex of an official report, as a province files it.

The authority and the national motto, the title ("Phụ lục: Kết quả thực hiện
chỉ tiêu … năm 2025", "Kèm theo Báo cáo số …"), the table STT | Chỉ tiêu |
Đơn vị tính | Kế hoạch | Thực hiện | Tỷ lệ | Đánh giá in the Đạt / Vượt / Chưa
đạt words, and the sign-off block, on A4 landscape. Like every renderer it
lays out the view and computes nothing.
"""

from __future__ import annotations

from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from qbplan.i18n import DOCUMENT_LANG, ui
from qbplan.model.report import Report
from qbplan.render.options import Annex, RenderOptions
from qbplan.render.view import View, build_view
from qbplan.render.xlsx import landscape_a4

ANNEX_LANG = DOCUMENT_LANG  # an official annex is in Vietnamese
COLUMNS = tuple(
    ui(f"annex.col.{k}", ANNEX_LANG) for k in ("stt", "indicator", "unit", "plan", "done", "rate", "verdict")
)
# Thực hiện and Tỷ lệ hold a range ("92,8–100,0 %") when registered units did not report.
_WIDTHS = (6, 58, 9, 12, 15, 15, 15)
# The table starts below the authority, motto, title and reference lines.
HEADER_ROW = 7


def render(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    """Write the annex workbook to the binary stream ``out``."""
    view = build_view(report, ANNEX_LANG)
    annex = options.annex or Annex()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = ui("annex.sheet", ANNEX_LANG)
    _heading(ws, view, annex)
    last = _notes(ws, view, _table(ws, view))
    _sign_off(ws, last + 2, annex)
    for j, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[chr(64 + j)].width = width
    landscape_a4(ws, f"{HEADER_ROW}:{HEADER_ROW}", one_page=True)
    wb.save(out)


def _put(ws: Any, row: int, col: int, text: object, bold: bool = False, italic: bool = False) -> Any:
    cell = ws.cell(row=row, column=col)
    cell.value = text
    if isinstance(text, str):
        cell.data_type = "s"  # never a formula
    cell.font = Font(bold=bold, italic=italic)
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center" if col != 2 else "left")
    return cell


def _heading(ws: Any, view: View, annex: Annex) -> None:
    years = sorted({ind.result.deadline for ind in view.indicators})
    year = ", ".join(str(y) for y in years)
    _put(ws, 1, 1, (annex.unit or "……………………").upper(), bold=True)
    ws.merge_cells("A1:B1")
    _put(ws, 1, 4, ui("doc.republic", ANNEX_LANG), bold=True)
    ws.merge_cells("D1:G1")
    _put(ws, 2, 4, ui("doc.motto", ANNEX_LANG), bold=True)
    ws.merge_cells("D2:G2")
    _put(ws, 4, 1, ui("annex.title", ANNEX_LANG, year=year, plan=view.plan), bold=True)
    ws.merge_cells("A4:G4")
    ws.row_dimensions[4].height = 32
    number = annex.report_number or "……/BC-……"
    _put(ws, 5, 1, ui("annex.reference", ANNEX_LANG, number=number), italic=True)
    ws.merge_cells("A5:G5")


def _table(ws: Any, view: View) -> int:
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for j, name in enumerate(COLUMNS, start=1):
        _put(ws, HEADER_ROW, j, name, bold=True).border = border
    row = HEADER_ROW
    for number, ind in enumerate(view.indicators, start=1):
        row += 1
        word = ui(f"annex.verdict.{'exceeded' if ind.result.exceeded else ind.status}", ANNEX_LANG)
        cells = (number, ind.title, "%", ind.goal, ind.rate, ind.of_plan, word)
        for j, value in enumerate(cells, start=1):
            _put(ws, row, j, value).border = border
        ws.row_dimensions[row].height = 15 * max(1, -(-len(ind.title) // 60))
    return row


def _notes(ws: Any, view: View, row: int) -> int:
    """Below the table, a note per indicator whose registered units did not all report; the last row used."""
    for i, note in enumerate(view.notes):
        row += 1
        _put(ws, row, 1, f"{ui('annex.note', ANNEX_LANG) if i == 0 else ''}{note}", italic=True)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, horizontal="left")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
    return row


def _sign_off(ws: Any, row: int, annex: Annex) -> None:
    _put(ws, row, 4, ui("annex.place_date", ANNEX_LANG), italic=True)
    ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=7)
    _put(ws, row + 1, 2, ui("doc.preparer", ANNEX_LANG), bold=True)
    _put(ws, row + 1, 4, ui("doc.head", ANNEX_LANG), bold=True)
    ws.merge_cells(start_row=row + 1, start_column=4, end_row=row + 1, end_column=7)
    _put(ws, row + 2, 2, ui("doc.preparer_sign", ANNEX_LANG), italic=True)
    _put(ws, row + 2, 4, ui("doc.head_sign", ANNEX_LANG), italic=True)
    ws.merge_cells(start_row=row + 2, start_column=4, end_row=row + 2, end_column=7)
    if annex.signer:
        _put(ws, row + 6, 4, annex.signer, bold=True)
        ws.merge_cells(start_row=row + 6, start_column=4, end_row=row + 6, end_column=7)
