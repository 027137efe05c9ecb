"""``qbplan history --format xlsx``: the series as a sheet."""

from __future__ import annotations

from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font

from qbplan.model.version import REPORT_MARKER
from qbplan.render.history.view import HistoryView
from qbplan.render.view import floor_per_mille


def render_xlsx(view: HistoryView, out: IO[bytes]) -> None:
    """A workbook: one row per indicator and period (rates as numbers), then the projections; with --runs, the runs."""
    wb = Workbook()
    # The marker by which a later `qbplan check` of the same folder knows its own output.
    wb.properties.keywords = REPORT_MARKER
    ws = wb.active
    assert ws is not None
    _series_sheet(ws, view)
    if view.runs:
        runs = wb.create_sheet(view.label("history.runs")[:31])
        runs.append([view.label(k) for k in ("col.run", "col.period", "col.saved", "col.version", "col.command")])
        for r in view.runs:
            runs.append([r.id, r.period.key, r.saved_at, r.qbplan_version, r.command])
        _as_text(runs)
    wb.save(out)


_SHEET_KEYS = ("col.id", "col.period", "col.rate", "col.fraction", "col.target", "col.status", "col.change", "col.run")


def _series_sheet(ws: Any, view: HistoryView) -> None:
    _sheet_head(ws, view)
    row = ws.max_row
    for s in view.series:
        for p, point in zip(s.points, s.series.points, strict=True):
            ws.append(
                [s.id, p.period, floor_per_mille(point.rate), p.fraction, p.target, p.status_text, p.change, p.run]
            )
            # Counted, not ws.max_row: openpyxl scans every cell for it, which made 1,000 periods take a minute.
            row += 1
            ws.cell(row, 3).number_format = "0.0%"
    ws.append([])
    for sid, text in view.projections:
        ws.append([sid, text])
    if view.projected:
        ws.append([view.note])
    _as_text(ws)


def _sheet_head(ws: Any, view: HistoryView) -> None:
    """The title lines and the bold column headings in row 5, frozen above the rows, and the column widths."""
    ws.title = view.label("history.title")[:31]
    for line in (view.title, view.plan, view.label("history.db", db=view.db), ""):
        ws.append([line])
    ws.append([view.label(k) for k in _SHEET_KEYS])
    for cell in ws[5]:
        cell.font = Font(bold=True)
    ws["A1"].font = Font(bold=True, size=14)
    for letter, width in zip("ABCDEFGH", (8, 22, 10, 18, 10, 18, 18, 8), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A6"


def _as_text(ws: Any) -> None:
    """Every text cell written as text: never a formula, whatever a file name or command holds."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
