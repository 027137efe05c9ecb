"""Write form data the way Vietnamese offices lay out a report.

Authority and motto rows, a title, a two-row header with merged group cells,
a column-number row, an STT column, section rows, subtotals and a grand
total (with correct sums, computed here from the logical values), and a
sign-off block. The rates must come out as from a clean grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from tests.helpers import sheet_columns

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
SECTION_OF = {"co_quan": "cap", "ho_gia_dinh": "huyen"}
SECTION_TITLES = {"tinh": "CẤP TỈNH", "huyen": "Cấp huyện", "xa": "CẤP XÃ"}


@dataclass(frozen=True)
class Layout:
    """Which administrative features to put in the sheet."""

    title_rows: bool = True
    two_row_header: bool = True
    column_numbers: bool = True
    stt: bool = True
    sections: bool = True
    subtotals: bool = True
    grand_total: str = "bottom"  # "bottom" | "top" | "none"
    signoff: bool = True
    unknown_column: bool = True


def _yes(value: Any) -> bool:
    return (
        value is True
        or (isinstance(value, str) and value.strip().lower() in ("có", "co", "x", "true", "1"))
        or (value == 1 and not isinstance(value, bool))
    )


def _logical_int(value: Any) -> int:
    if isinstance(value, str):
        return int(value.replace(".", "").replace(" ", "").replace("\u00a0", ""))
    return int(value or 0)


def totals_of(sheet_key: str, rows: list[dict[str, Any]]) -> dict[str, int]:
    """What a totals row over ``rows`` states: int sums and counts of yes."""
    out = {}
    for col in sheet_columns(sheet_key):
        if col["type"] == "int":
            out[col["key"]] = sum(_logical_int(r.get(col["key"])) for r in rows)
        elif col["type"] == "yesno":
            out[col["key"]] = sum(1 for r in rows if _yes(r.get(col["key"])))
    return out


def _header_cells(cols: list[dict[str, Any]], two_rows: bool) -> tuple[list[Any], list[Any], list[tuple[int, int]]]:
    """Top and sub header rows, and the column spans to merge across (0-based, inclusive)."""
    labels = [c["label"] for c in cols]
    top: list[Any] = list(labels)
    sub: list[Any] = [None] * len(labels)
    spans: list[tuple[int, int]] = []
    if not two_rows:
        return top, sub, spans
    j = 0
    while j < len(labels) - 1:
        # "Số viên chức" over "Số viên chức được trang bị ...": a group with
        # the shared words on top and the rest underneath.
        a, b = labels[j], labels[j + 1]
        if b.startswith(a + " ") and cols[j]["type"] == "int":
            top[j], top[j + 1] = a, None
            sub[j], sub[j + 1] = None, b[len(a) + 1 :]
            spans.append((j, j + 1))
            j += 2
        else:
            j += 1
    return top, sub, spans


def write_admin(path: Path, data: dict[str, list[dict[str, Any]]], layout: Layout = Layout()) -> Path:
    """Write each form sheet of ``data`` in an administrative layout."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet_key, rows in data.items():
        _write_sheet(wb.create_sheet(sheet_key), sheet_key, rows, layout)
    wb.save(path)
    return path


def _write_sheet(ws: Any, sheet_key: str, rows: list[dict[str, Any]], layout: Layout) -> None:
    cols = sheet_columns(sheet_key)
    lead = 1 if layout.stt else 0
    width = lead + len(cols) + (1 if layout.unknown_column else 0)
    r = 1
    if layout.title_rows:
        ws.cell(r, 1, "UBND TỈNH QUẢNG BÌNH")
        ws.cell(r, max(width - 3, 2), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        ws.cell(r + 1, 1, "SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
        ws.cell(r + 1, max(width - 3, 2), "Độc lập - Tự do - Hạnh phúc")
        ws.cell(r + 3, 1, "BÁO CÁO SỐ LIỆU ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM 2025")
        ws.merge_cells(start_row=r + 3, start_column=1, end_row=r + 3, end_column=width)
        ws.cell(r + 4, 1, "(Kèm theo Báo cáo số 123/BC-STTTT ngày 10/12/2025)")
        r += 6
    top, sub, spans = _header_cells(cols, layout.two_row_header)
    if layout.stt:
        ws.cell(r, 1, "STT")
    for j, text in enumerate(top):
        if text is not None:
            ws.cell(r, lead + j + 1, text.replace(", ", ",\n", 1))  # Alt+Enter in long headers
    if layout.unknown_column:
        ws.cell(r, width, "Ghi chú")
    if layout.two_row_header:
        for j, text in enumerate(sub):
            if text is not None:
                ws.cell(r + 1, lead + j + 1, text)
        grouped = {j for a, b in spans for j in (a, b)}
        for a, b in spans:
            ws.merge_cells(start_row=r, start_column=lead + a + 1, end_row=r, end_column=lead + b + 1)
        for j in range(width):
            if j - lead not in grouped:
                ws.merge_cells(start_row=r, start_column=j + 1, end_row=r + 1, end_column=j + 1)
        r += 2
    else:
        r += 1
    if layout.column_numbers:
        for j in range(width):
            ws.cell(r, j + 1, f"({j + 1})")
        r += 1

    def put_totals(label: str, totals: dict[str, int]) -> None:
        nonlocal r
        label_col = lead + 2 if sheet_key != "doanh_nghiep" else lead + 1
        ws.cell(r, label_col, label)
        for j, col in enumerate(cols):
            if col["key"] in totals:
                ws.cell(r, lead + j + 1, totals[col["key"]])
        r += 1

    def put_row(n: int, row: dict[str, Any]) -> None:
        nonlocal r
        if layout.stt:
            ws.cell(r, 1, n)
        for j, col in enumerate(cols):
            ws.cell(r, lead + j + 1, row.get(col["key"]))
        r += 1

    if layout.grand_total == "top":
        put_totals("Tổng cộng", totals_of(sheet_key, rows))
    section_key = SECTION_OF.get(sheet_key) if layout.sections else None
    if section_key:
        groups: dict[Any, list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(row.get(section_key), []).append(row)
        n = 0
        for g, (value, members) in enumerate(groups.items()):
            title = SECTION_TITLES.get(value, f"Huyện {value}" if value else "Khác")
            if layout.stt:
                ws.cell(r, 1, ROMAN[g % len(ROMAN)])
            ws.cell(r, lead + 2, title)
            r += 1
            for row in members:
                n += 1
                put_row(n, row)
            if layout.subtotals:
                put_totals("Cộng", totals_of(sheet_key, members))
    else:
        for n, row in enumerate(rows, start=1):
            put_row(n, row)
    if layout.grand_total == "bottom":
        put_totals("Tổng cộng", totals_of(sheet_key, rows))
    if layout.signoff:
        r += 1
        ws.cell(r, max(width - 3, 2), "Đồng Hới, ngày 10 tháng 12 năm 2025")
        ws.cell(r + 1, 2, "NGƯỜI LẬP BIỂU")
        ws.cell(r + 1, max(width - 3, 3), "THỦ TRƯỞNG ĐƠN VỊ")
        ws.cell(r + 2, 2, "(Ký, ghi rõ họ tên)")
        ws.cell(r + 2, max(width - 3, 3), "(Ký tên, đóng dấu)")
        ws.cell(r + 6, 2, "Nguyễn Văn An")
        ws.cell(r + 6, max(width - 3, 3), "Trần Thị Bình")
