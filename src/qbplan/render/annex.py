"""``--format annex``: the results as the annex of an official report, as Decree 30/2020/NĐ-CP lays it out.

Above the table, left, the parent authority and the reporting unit; right, the
national motto and slogan, the slogan underlined at its own length. Then
"Phụ lục" on its own line, the title in capitals with the period, and the
reference line "(Kèm theo Báo cáo số … ngày … của …)". The table is STT |
Chỉ tiêu | Đơn vị tính | Mục tiêu | [Thực hiện kỳ trước] | Thực hiện kỳ này |
Tỷ lệ so với mục tiêu | Đánh giá | Ghi chú, its rows under the plan's target
groups (I, II, …). Times New Roman in black at the decree's sizes, on A4
landscape with its margins. Like every renderer it lays out the view and
computes nothing; ``qbplan verify`` reads it back.
"""

from __future__ import annotations

from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from qbplan.i18n import DOCUMENT_LANG, ui
from qbplan.model.report import Report
from qbplan.model.version import REPORT_MARKER
from qbplan.render.options import Annex, RenderOptions
from qbplan.render.view import IndicatorRow, View, build_view

ANNEX_LANG = DOCUMENT_LANG  # an official annex is in Vietnamese
FONT = "Times New Roman"
# The decree's sizes (points): the authority and unit 12–13, the motto 12–13,
# the slogan 13–14, "Phụ lục" and the title 14, the reference line 14; the
# table is set a size smaller so that its nine columns fit across A4.
_SIZE_HEAD, _SIZE_SLOGAN, _SIZE_TITLE, _SIZE_TABLE = 13, 14, 14, 12
# Margins in inches (Excel's unit), inside the decree's ranges: top and bottom 22 mm (20–25),
# left 32 mm (30–35), right 17 mm (15–20).
_MM = 1 / 25.4
MARGINS = {"top": 22 * _MM, "bottom": 22 * _MM, "left": 32 * _MM, "right": 17 * _MM}

# (column key, width in characters); "previous" only with --compare.
_COLUMNS = (
    ("stt", 6),
    ("indicator", 46),
    ("unit", 8),
    ("goal", 11),
    ("previous", 21),
    ("done", 21),
    ("rate", 12),
    ("verdict", 11),
    ("note", 24),
)
# The table's heading row: below the authority and motto (1–2), "Phụ lục", the title and the reference (4–6).
HEADER_ROW = 8


def columns(compared: bool) -> list[str]:
    """The annex's column headings, with "Thực hiện kỳ trước" when compared with a saved period."""
    return [ui(f"annex.col.{key}", ANNEX_LANG) for key, _ in _COLUMNS if compared or key != "previous"]


def render(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    """Write the annex workbook to the binary stream ``out``."""
    view = build_view(report, ANNEX_LANG)
    annex = options.annex or Annex()
    wb = Workbook()
    # The marker by which a later `qbplan check` of the same folder knows its own output.
    wb.properties.keywords = REPORT_MARKER
    wb.properties.creator = "qbplan"
    ws = wb.active
    assert ws is not None
    ws.title = ui("annex.sheet", ANNEX_LANG)
    keys = [(key, width) for key, width in _COLUMNS if view.compared or key != "previous"]
    sheet = _Sheet(ws, [k for k, _ in keys])
    _heading(sheet, view, annex)
    last = _notes(sheet, view, _table(sheet, view))
    if annex.sign_off:
        _sign_off(sheet, last + 2, annex)
    for j, (_, width) in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    _page(ws)
    wb.save(out)


class _Sheet:
    """The worksheet and where each column is, so that cells are put by column key."""

    def __init__(self, ws: Any, keys: list[str]) -> None:
        self.ws, self.keys = ws, keys
        self.last = len(keys)

    def col(self, key: str) -> int:
        return self.keys.index(key) + 1

    def put(self, row: int, col: int, text: object, *, size: int = _SIZE_TABLE, **style: Any) -> Any:
        cell = self.ws.cell(row=row, column=col)
        cell.value = text
        if isinstance(text, str):
            cell.data_type = "s"  # never a formula
        font = {k: style.pop(k) for k in ("bold", "italic", "underline") if k in style}
        cell.font = Font(name=FONT, size=size, color="000000", **font)
        horizontal = style.pop("horizontal", "center")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal=horizontal)
        return cell

    def span(self, row: int, first: int, last: int, text: object, **style: Any) -> Any:
        cell = self.put(row, first, text, **style)
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        return cell


def _heading(sheet: _Sheet, view: View, annex: Annex) -> None:
    """The authority and unit, the motto and slogan, "Phụ lục", the title and the reference line."""
    left = sheet.col("indicator")  # the authority's block: STT and Chỉ tiêu
    right = left + 1
    sheet.span(1, 1, left, (annex.authority or "……………………").upper(), size=_SIZE_HEAD)
    sheet.span(2, 1, left, (annex.unit or "……………………").upper(), size=_SIZE_HEAD, bold=True)
    sheet.span(1, right, sheet.last, ui("doc.republic", ANNEX_LANG), size=_SIZE_HEAD, bold=True)
    # The slogan is underlined at its own length: the decree's rule beneath it.
    slogan = ui("doc.motto", ANNEX_LANG)
    sheet.span(2, right, sheet.last, slogan, size=_SIZE_SLOGAN, bold=True, underline="single")
    sheet.ws.row_dimensions[1].height = sheet.ws.row_dimensions[2].height = 20
    sheet.span(4, 1, sheet.last, ui("annex.heading", ANNEX_LANG), size=_SIZE_TITLE, bold=True)
    title = ui("annex.title", ANNEX_LANG, period=view.period_title, plan=view.plan).upper()
    sheet.span(5, 1, sheet.last, title, size=_SIZE_TITLE, bold=True)
    sheet.ws.row_dimensions[5].height = 40
    reference = ui(
        "annex.reference",
        ANNEX_LANG,
        number=annex.report_number or "……/BC-……",
        date=_date_words(annex.report_date) or ui("annex.blank_date", ANNEX_LANG),
        issuer=annex.unit or "……………………",
    )
    sheet.span(6, 1, sheet.last, reference, size=_SIZE_TITLE, italic=True)
    sheet.ws.row_dimensions[6].height = 20


def _date_words(date: str) -> str:
    """ "15/12/2025" as the reference line writes it: "15 tháng 12 năm 2025"; other text as given."""
    parts = date.strip().split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[0]):02d} tháng {int(parts[1]):02d} năm {parts[2]}"
    return date.strip()


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _table(sheet: _Sheet, view: View) -> int:
    """The heading row, then each section's row and its indicators; the last row used."""
    for j, name in enumerate(columns(view.compared), start=1):
        sheet.put(HEADER_ROW, j, name, bold=True).border = _BORDER
    sheet.ws.row_dimensions[HEADER_ROW].height = 34
    row, number = HEADER_ROW, 0
    for section in view.sections:
        if section.title:
            row += 1
            sheet.put(row, 1, section.numeral, bold=True).border = _BORDER
            sheet.put(row, 2, section.title, bold=True, horizontal="left").border = _BORDER
            for j in range(3, sheet.last + 1):
                sheet.put(row, j, None).border = _BORDER
        for ind in section.indicators:
            row, number = row + 1, number + 1
            _indicator(sheet, row, number, ind, view)
    return row


def _indicator(sheet: _Sheet, row: int, number: int, ind: IndicatorRow, view: View) -> None:
    cells: dict[str, object] = {
        "stt": number,
        "indicator": ind.title,
        "unit": "%",
        "goal": ind.goal,
        "previous": ind.previous_claim,
        "done": ind.claim,
        "rate": ind.of_plan,
        "verdict": ui(f"annex.verdict.{'exceeded' if ind.result.exceeded else ind.status}", ANNEX_LANG),
        "note": ind.note,
    }
    for j, key in enumerate(sheet.keys, start=1):
        left = key in ("indicator", "note")
        sheet.put(row, j, cells[key], horizontal="left" if left else "center").border = _BORDER
    # Room for the wrapped title and note, wrapped by word as a spreadsheet wraps them (a little
    # narrower than the column, so that LibreOffice's wider glyphs never cut the last line).
    lines = max(_wrapped(ind.title, 40), _wrapped(ind.note, 20), 1)
    sheet.ws.row_dimensions[row].height = 16 * lines + 4


def _wrapped(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped by word at ``width`` characters."""
    import textwrap

    return len(textwrap.wrap(text, width, break_long_words=True)) if text else 0


def _notes(sheet: _Sheet, view: View, row: int) -> int:
    """Below the table, the break in the series when the previous period is of an earlier plan."""
    if view.break_note:
        row += 1
        text = f"{ui('annex.note', ANNEX_LANG)}(*) {view.break_note}"
        sheet.span(row, 1, sheet.last, text, italic=True, horizontal="left")
        sheet.ws.row_dimensions[row].height = 32
    return row


def _sign_off(sheet: _Sheet, row: int, annex: Annex) -> None:
    """Who prepared it and who signs, side by side, in one row: a row is never split across pages.

    Written as rows of their own, the block broke at a page's end and left a last page holding
    only the repeated heading and the signer's name. Each side is one cell of lines (rich text:
    the titles bold, the notes italic), so Excel and LibreOffice keep the block whole.
    """
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    def lines(parts: list[tuple[str, str]]) -> CellRichText:
        blocks: list[Any] = []
        for i, (text, style) in enumerate(parts):
            font = InlineFont(rFont=FONT, sz=_SIZE_HEAD, b=style == "bold", i=style == "italic")
            blocks.append(TextBlock(font, text + ("\n" if i < len(parts) - 1 else "")))
        return CellRichText(*blocks)

    right = sheet.col("indicator") + 2
    place = ui("annex.place_date", ANNEX_LANG)
    if annex.place:
        place = f"{annex.place}{place.removeprefix('……')}"
    signing = [(place, "italic"), (ui("doc.head", ANNEX_LANG), "bold"), (ui("doc.head_sign", ANNEX_LANG), "italic")]
    # Room to sign and stamp, then the signer's name.
    signing += [("", ""), ("", ""), ("", ""), (annex.signer, "bold")] if annex.signer else [("", ""), ("", "")]
    preparing = [("", ""), (ui("doc.preparer", ANNEX_LANG), "bold"), (ui("doc.preparer_sign", ANNEX_LANG), "italic")]
    for first, last, parts in ((2, 2, preparing), (right, sheet.last, signing)):
        cell = sheet.span(row, first, last, None, size=_SIZE_HEAD)
        cell.value = lines(parts)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
    sheet.ws.row_dimensions[row].height = 18 * len(signing) + 6


def _page(ws: Any) -> None:
    """A4 landscape at the decree's margins, one page wide, the heading row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
