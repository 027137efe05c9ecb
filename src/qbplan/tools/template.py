"""``qbplan template``: the blank survey form, generated from targets.yaml.

One sheet per form sheet, named by its label, laid out so that qbplan reads it
back exactly:

- row 1 the title and form version, row 2 how to fill it in;
- row 4 the header (the Vietnamese labels);
- row 5, hidden, the column keys: the way back from a header someone edited;
- row 6 the column numbers (1), (2) … that the "Hướng dẫn" sheet refers to;
- data from row 7, with Excel data validation on every column: dropdowns
  for enums and yes/no, whole numbers ≥ 0, and an input message on each.

A hidden "DanhMuc" sheet holds the dropdown lists (an inline list is capped
at 255 characters by Excel), and "Hướng dẫn" explains each column and each
indicator.
"""

from __future__ import annotations

from typing import IO, Any

from qbplan.config.targets import Column, Indicator, Sheet, Targets
from qbplan.i18n import format_percent, ui

TITLE_ROW, NOTE_ROW, HEADER_ROW, KEY_ROW, NUMBER_ROW, FIRST_DATA_ROW = 1, 2, 4, 5, 6, 7
# Rows that get data validation; an agency list is far shorter.
VALIDATED_ROWS = 2000
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "DanhMuc"
YES_NO = ("Có", "Không")
_TYPE_VI = {"text": "chữ", "int": "số nguyên ≥ 0", "yesno": "Có/Không", "enum": "chọn trong danh sách"}


def _help(col: Column) -> str:
    parts = [col.help_vi or col.label]
    if col.type == "int":
        parts.append("Số nguyên, không âm.")
    if col.le:
        parts.append("Không lớn hơn: " + " + ".join(col.le) + ".")
    if col.type == "enum" and col.values:
        parts.append("Chọn: " + ", ".join(col.values.values()) + ".")
    if col.type == "yesno":
        parts.append("Chọn Có hoặc Không.")
    if not col.required:
        parts.append("Có thể để trống.")
    # Excel caps an input message at 255 characters.
    return " ".join(parts)[:255]


def write_template(targets: Targets, out: IO[bytes] | str) -> None:
    """Write the blank form of ``targets`` as an .xlsx to ``out`` (a path or binary stream)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    version = targets.form.version
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"qbplan form {version}"
    wb.properties.keywords = f"qbplan; form {version}; {targets.plan.id}"

    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_ranges: dict[tuple[str, str], str] = {}
    list_col = 1
    lists.cell(1, list_col, "yesno")
    for i, word in enumerate(YES_NO, start=2):
        lists.cell(i, list_col, word)
    list_ranges[("", "yesno")] = f"{LISTS_SHEET}!$A$2:$A${1 + len(YES_NO)}"

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for spec in targets.form.sheets:
        ws = wb.create_sheet(spec.label[:31])
        width = len(spec.columns)
        ws.cell(TITLE_ROW, 1, ui("template.title", "vi", sheet=spec.label.upper(), version=version)).font = Font(
            bold=True, size=13
        )
        ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=max(width, 2))
        ws.cell(NOTE_ROW, 1, ui("template.note", "vi", first=FIRST_DATA_ROW)).font = Font(italic=True)
        ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=max(width, 2))
        for j, col in enumerate(spec.columns, start=1):
            letter = get_column_letter(j)
            head = ws.cell(HEADER_ROW, j, col.label)
            head.font = Font(bold=True)
            head.fill = header_fill
            head.border = border
            head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            ws.cell(KEY_ROW, j, col.key)
            number = ws.cell(NUMBER_ROW, j, f"({j})")
            number.alignment = Alignment(horizontal="center")
            number.font = Font(italic=True, color="666666")
            ws.column_dimensions[letter].width = 30 if col.type == "text" else min(max(len(col.label) * 0.6, 12), 28)
            _validate(ws, spec, col, letter, list_ranges, lists, DataValidation)
        ws.row_dimensions[HEADER_ROW].height = 60
        ws.row_dimensions[KEY_ROW].hidden = True
        ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    _guide(wb, targets, Font)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.active = 0
    wb.save(out)


def _validate(
    ws: Any,
    spec: Sheet,
    col: Column,
    letter: str,
    list_ranges: dict[tuple[str, str], str],
    lists: Any,
    data_validation: Any,
) -> None:
    cells = f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + VALIDATED_ROWS - 1}"
    if col.type == "enum" and col.values:
        key = (spec.key, col.key)
        if key not in list_ranges:
            column = lists.max_column + 1
            lists.cell(1, column, f"{spec.key}.{col.key}")
            for i, label in enumerate(col.values.values(), start=2):
                lists.cell(i, column, label)
            from openpyxl.utils import get_column_letter

            c = get_column_letter(column)
            list_ranges[key] = f"{LISTS_SHEET}!${c}$2:${c}${1 + len(col.values)}"
        dv = data_validation(type="list", formula1=f"={list_ranges[key]}", allow_blank=not col.required)
    elif col.type == "yesno":
        dv = data_validation(type="list", formula1=f"={list_ranges[('', 'yesno')]}", allow_blank=False)
    elif col.type == "int":
        dv = data_validation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=not col.required)
    else:
        dv = data_validation(type="textLength", operator="lessThanOrEqual", formula1="255", allow_blank=True)
    dv.promptTitle = col.label[:32]
    dv.prompt = _help(col)
    dv.showInputMessage = True
    dv.errorTitle = "Giá trị không hợp lệ"
    dv.error = _help(col)
    dv.showErrorMessage = True
    dv.add(cells)
    ws.add_data_validation(dv)


def _indicator_rows(targets: Targets) -> list[tuple[Any, ...]]:
    """The guide's indicator table, in labels: how each rate is computed, from which sheet."""
    years = sorted({ind.deadline for ind in targets.indicators})
    rows: list[tuple[Any, ...]] = [(f"Chỉ tiêu năm {', '.join(str(y) for y in years)}",)]
    rows.append(("Mã", "Chỉ tiêu", "Mục tiêu", "Biểu", "Cách tính", "Nguồn"))
    for ind in targets.indicators:
        spec = targets.sheet(ind.sheet)
        assert spec is not None  # checked when the targets were loaded
        goal = ind.goal or format_percent(ind.target.pass_, "vi", digits=0)
        rows.append((ind.id, ind.title_vi, goal, spec.label, _how(ind, spec), ind.source))
    return rows


def _how(ind: Indicator, spec: Sheet) -> str:
    """How an indicator is computed, in the column labels people see."""

    def label(key: str) -> str:
        col = spec.column(key)
        return col.label if col else key

    if ind.mode == "count":
        how = f"số dòng có '{label(ind.numerator)}' = Có / số dòng"
    else:
        how = f"tổng '{label(ind.numerator)}' / tổng " + " + ".join(f"'{label(d)}'" for d in ind.denominator)
    if ind.scope:
        how += "; chỉ tính dòng có " + "; ".join(
            f"{label(k)}: {', '.join(_value_label(spec, k, v) for v in vs)}" for k, vs in ind.scope.items()
        )
    return how


def _value_label(spec: Sheet, key: str, value: str) -> str:
    col = spec.column(key)
    return (col.values or {}).get(value, value) if col else value


def _guide(wb: Any, targets: Targets, font: Any) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    bold = font(bold=True)
    rows: list[tuple[Any, ...]] = [
        (f"HƯỚNG DẪN ĐIỀN BIỂU SỐ LIỆU (mẫu {targets.form.version})",),
        (targets.plan.title_vi,),
        (targets.plan.source,),
        (),
        ("Mỗi trang là một biểu. Điền mỗi đơn vị một dòng, từ dòng 7; giữ nguyên các dòng tiêu đề.",),
        ("Cột (n) là số thứ tự cột in ở dòng 6 của mỗi biểu.",),
        (),
    ]
    for spec in targets.form.sheets:
        rows.append((f"Biểu: {spec.label}",))
        rows.append(("Cột", "Mã cột", "Tên cột", "Kiểu", "Bắt buộc", "Ghi chú"))
        for j, col in enumerate(spec.columns, start=1):
            rows.append(
                (f"({j})", col.key, col.label, _TYPE_VI[col.type], "có" if col.required else "không", _help(col))
            )
        rows.append(())
    rows += _indicator_rows(targets)
    for row in rows:
        ws.append(list(row))
        if len(row) == 1 or row[:1] in (("Cột",), ("Mã",)):
            for cell in ws[ws.max_row]:
                cell.font = bold
    for letter, width in zip("ABCDEF", (8, 24, 60, 16, 50, 30), strict=True):
        ws.column_dimensions[letter].width = width
