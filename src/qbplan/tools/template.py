"""``qbplan template``: the blank survey form, generated from targets.yaml.

One sheet per form sheet, named by its label, laid out so that qbplan reads it
back exactly:

- rows 1–2 the authority (left, to fill in) and the national motto (right);
- row 4 the title and form version, row 5 how to fill it in;
- row 7 the header (the Vietnamese labels);
- row 8, hidden, the column keys: the way back from a header someone edited;
- row 9 the column numbers (1), (2) … that the "Hướng dẫn" sheet refers to;
- data from row 10, with Excel data validation on every column: dropdowns
  for enums and yes/no, whole numbers ≥ 0, and an input message on each;
- the sign-off block (place and date, the preparer, the head of the unit)
  under room for :data:`BLANK_ROWS` rows; rows are inserted above it as needed.

Each sheet prints on A4 landscape, one page wide, its header repeated.

A hidden "DanhMuc" sheet holds the dropdown lists (an inline list is capped
at 255 characters by Excel), and "Hướng dẫn" explains each column and each
indicator.

With a register, each sheet it lists comes prefilled: one row per unit, its
identifying cells (code, name, level, type, district) written and locked, the
rest open to fill in. The sheet is protected without a password: a guard
against a slip of the mouse, not a security measure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import copy
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from qbplan.config.targets import Column, Indicator, Sheet, Targets
from qbplan.errors import QbplanError
from qbplan.files.output import RunInputs, atomic_write, refuse_overwrite, refuse_writing_over
from qbplan.i18n import DOCUMENT_LANG, ui
from qbplan.i18n.numbers import format_percent
from qbplan.register.load import Register
from qbplan.render.xlsx import landscape_a4
from qbplan.textnorm import strip_diacritics

AUTHORITY_ROW, MOTTO_ROW = 1, 2
TITLE_ROW, NOTE_ROW, HEADER_ROW, KEY_ROW, NUMBER_ROW, FIRST_DATA_ROW = 4, 5, 7, 8, 9, 10
# Rows left for data above the sign-off block.
BLANK_ROWS = 30
# Rows that get data validation; an agency list is far shorter.
VALIDATED_ROWS = 2000
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "DanhMuc"
YES_NO = ("Có", "Không")
# qbplan reads the form's Vietnamese labels back, whatever --lang said when it was made.
FORM_LANG = DOCUMENT_LANG


def _t(key: str, **params: object) -> str:
    """The form's words for ``key`` (``form.*`` in the catalogue)."""
    return ui(f"form.{key}", FORM_LANG, **params)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def _help(spec: Sheet, col: Column) -> str:
    """The input message of a column: whole sentences, naming other columns by their labels."""

    parts = [_sentence(col.help_vi or col.label), *_type_help(col)]
    if col.le:  # only int columns have one (the targets check says so)
        parts.append(_t("help.le", columns=" + ".join(_quoted(spec, k) for k in col.le)))
    if not col.required:
        parts.append(_t("help.optional"))
    # Excel caps an input message at 255 characters.
    return " ".join(parts)[:255]


def _type_help(col: Column) -> list[str]:
    """What a value of the column's type looks like: a whole number, Có/Không, or one of the enum's labels."""
    if col.type == "enum" and col.values:
        return [_t("help.enum", choices=", ".join(col.values.values()))]
    return [_t(f"help.{col.type}")] if col.type in ("int", "yesno") else []


def _quoted(spec: Sheet, key: str) -> str:
    """Another column by its label, quoted (its key if the sheet has none such)."""
    other = spec.column(key)
    return f"'{other.label}'" if other else key


# Prefilled units: form sheet key -> one {column key: parsed value} per unit.
Units = dict[str, list[dict[str, Any]]]


def write_template(
    targets: Targets,
    out: IO[bytes] | str,
    units: Units | None = None,
    sheets: set[str] | None = None,
    reporting_unit: str | None = None,
) -> None:
    """Write the form of ``targets`` as an .xlsx to ``out`` (a path or binary stream).

    ``units`` prefills the sheets of a register (see the module's docstring);
    ``sheets`` keeps only these form sheets (all when None); ``reporting_unit``
    names, in each sheet's heading, the unit the form is for (else a line to fill in).
    """
    version = targets.form.version
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"qbplan form {version}"
    wb.properties.keywords = f"qbplan; form {version}; {targets.plan.id}"

    lists = _Lists(wb.create_sheet(LISTS_SHEET))
    for spec in targets.form.sheets:
        if sheets is None or spec.key in sheets:
            sheet = wb.create_sheet(spec.label[:31])
            _form_sheet(sheet, spec, version, lists, (units or {}).get(spec.key), reporting_unit)
    _guide(wb, targets)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.active = 0
    wb.save(out)


def _letter(j: int) -> str:
    letter: str = get_column_letter(j)
    return letter


class _Lists:
    """The hidden sheet of dropdown lists: yes/no, then each enum column's labels, one column each."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        ws.sheet_state = "hidden"
        self.ranges: dict[tuple[str, str], str] = {}
        self._add(("", "yesno"), "yesno", YES_NO)

    def range_of(self, spec: Sheet, col: Column) -> str:
        """The cells listing ``col``'s choices (yes/no, or its enum labels, added on first use)."""
        if col.type == "yesno":
            return self.ranges[("", "yesno")]
        key = (spec.key, col.key)
        if key not in self.ranges:
            self._add(key, f"{spec.key}.{col.key}", list((col.values or {}).values()))
        return self.ranges[key]

    def _add(self, key: tuple[str, str], heading: str, labels: Sequence[str]) -> None:
        column = 1 if not self.ranges else self.ws.max_column + 1
        self.ws.cell(1, column, heading)
        for i, label in enumerate(labels, start=2):
            self.ws.cell(i, column, label)
        c = _letter(column)
        self.ranges[key] = f"{LISTS_SHEET}!${c}$2:${c}${1 + len(labels)}"


def _form_sheet(
    ws: Any,
    spec: Sheet,
    version: str,
    lists: _Lists,
    prefilled: list[dict[str, Any]] | None,
    reporting_unit: str | None = None,
) -> None:
    """One form sheet: title, note, header with its hidden key row and column numbers, prefilled units, sign-off."""
    width = len(spec.columns)
    title = ui("template.title", "vi", sheet=spec.label.upper(), version=version)
    ws.cell(TITLE_ROW, 1, title).font = Font(bold=True, size=13)
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=max(width, 2))
    rows = spec.row_vi or _t("one_row", label=spec.label.lower())
    ws.cell(NOTE_ROW, 1, ui("template.note", "vi", rows=rows, first=FIRST_DATA_ROW)).font = Font(italic=True)
    ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=max(width, 2))
    for j, col in enumerate(spec.columns, start=1):
        _column_head(ws, j, col)
        _validate(ws, spec, col, _letter(j), lists)
    ws.row_dimensions[HEADER_ROW].height = 60
    ws.row_dimensions[KEY_ROW].hidden = True
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    if prefilled is not None:
        _prefill(ws, spec, prefilled)
    room = max(BLANK_ROWS, len(prefilled or ()))
    _authority_and_sign_off(ws, width, room, reporting_unit)
    _print_setup(ws, width, room)


def _column_head(ws: Any, j: int, col: Column) -> None:
    """Column ``j``'s label (bold, shaded, bordered), its key in the hidden row, its number, its width."""
    thin = Side(style="thin", color="999999")
    head = ws.cell(HEADER_ROW, j, col.label)
    head.font = Font(bold=True)
    head.fill = PatternFill("solid", fgColor="DDEBF7")
    head.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.cell(KEY_ROW, j, col.key)
    number = ws.cell(NUMBER_ROW, j, f"({j})")
    number.alignment = Alignment(horizontal="center")
    number.font = Font(italic=True, color="666666")
    ws.column_dimensions[_letter(j)].width = 22 if col.type == "text" else min(max(len(col.label) * 0.6, 12), 28)


def _prefill(ws: Any, spec: Sheet, units: list[dict[str, Any]]) -> None:
    """One row per unit: its identifying cells written and locked, the others open; the sheet protected."""
    given_style, open_style = _cell_styles(ws)
    for i, unit in enumerate(units, start=FIRST_DATA_ROW):
        for j, col in enumerate(spec.columns, start=1):
            cell = ws.cell(i, j)
            if col.key in unit:
                value = unit[col.key]
                # An enum is written by its label, as the dropdown offers it.
                cell.value = (col.values or {}).get(value, value) if value is not None else None
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
                cell._style = copy(given_style)
            else:
                cell._style = copy(open_style)
    ws.protection.sheet = True
    # Filtering and widening columns stay allowed; inserting or deleting rows does not.
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False


def _cell_styles(ws: Any) -> tuple[Any, Any]:
    """The style of a written, locked cell (shaded) and of an open one, made once.

    Setting ``fill`` or ``protection`` looks the style up in the workbook's
    list by comparing it with every one there; copying the made style array
    to each cell does not, which halves the time of a form for 200k units.
    """
    scratch = ws.cell(ws.max_row + 1000, 1)
    scratch.fill = PatternFill("solid", fgColor="F2F2F2")
    given = copy(scratch._style)
    scratch.fill = PatternFill()
    scratch.protection = Protection(locked=False)
    unlocked = copy(scratch._style)
    ws._cells.pop((scratch.row, scratch.column))
    return given, unlocked


def _authority_and_sign_off(ws: Any, width: int, rows: int = BLANK_ROWS, unit: str | None = None) -> None:
    """The reporting unit (named, or to fill in) and the motto above the title; the sign-off under the data."""
    right = max(width - 2, 3)
    authority = _t("authority_named", unit=unit) if unit else _t("authority")
    ws.cell(AUTHORITY_ROW, 1, authority).font = Font(bold=True)
    ws.cell(AUTHORITY_ROW, right, ui("doc.republic", FORM_LANG)).font = Font(bold=True)
    ws.cell(MOTTO_ROW, right, ui("doc.motto", FORM_LANG)).font = Font(bold=True, underline="single")
    sign = FIRST_DATA_ROW + rows + 1
    ws.cell(sign, right, _t("place_date")).font = Font(italic=True)
    ws.cell(sign + 1, 2, ui("doc.preparer", FORM_LANG)).font = Font(bold=True)
    ws.cell(sign + 1, right, ui("doc.head", FORM_LANG)).font = Font(bold=True)
    ws.cell(sign + 2, 2, ui("doc.preparer_sign", FORM_LANG)).font = Font(italic=True)
    ws.cell(sign + 2, right, ui("doc.head_sign", FORM_LANG)).font = Font(italic=True)


def _print_setup(ws: Any, width: int, rows: int = BLANK_ROWS) -> None:
    """A4 landscape, one page wide, the header rows repeated; the form and its sign-off only."""
    landscape_a4(ws, f"{HEADER_ROW}:{NUMBER_ROW}", one_page=False)
    ws.print_area = f"A1:{get_column_letter(max(width, 3))}{FIRST_DATA_ROW + rows + 5}"


def register_units(register: Register) -> Units:
    """The register's units as :func:`write_template` prefills them."""
    return {key: [dict(u.values) for u in sheet.units] for key, sheet in register.sheets.items()}


def write_unit_forms(
    targets: Targets, register: Register, folder: Path, *, force: bool = False, reads: RunInputs | None = None
) -> list[Path]:
    """One form per unit of the register's first sheet (the agencies), each with its own row only.

    Refuses before writing anything: ``folder`` that is a file, two units
    whose codes give one file name, a form that would land on one of ``reads``
    (the register, the targets), or (without ``force``) a form already there.
    Returns the files written.
    """
    sheet = next(iter(register.sheets.values()))
    if folder.exists() and not folder.is_dir():
        raise QbplanError("usage-output-not-folder", file=str(folder))
    paths = [folder / unit_file_name(str(u.values[sheet.key])) for u in sheet.units]
    seen: set[Path] = set()
    for path in paths:
        if path in seen:
            raise QbplanError("usage-unit-names-clash", file=path.name)
        seen.add(path)
        refuse_writing_over(path, reads or RunInputs())
        refuse_overwrite(path, force)
    folder.mkdir(parents=True, exist_ok=True)
    for unit, path in zip(sheet.units, paths, strict=True):
        with atomic_write(path, binary=True) as out:
            write_template(targets, out, {sheet.form_sheet: [dict(unit.values)]}, sheets={sheet.form_sheet})
    return paths


def unit_file_name(key: str) -> str:
    """A file name for one unit's form, from its code: letters, digits, dot, dash and underscore only."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", strip_diacritics(key)).strip(".-") or "don-vi"
    return f"{safe[:80]}.xlsx"


def _validate(ws: Any, spec: Sheet, col: Column, letter: str, lists: _Lists) -> None:
    """The column's data validation over its data rows, with the column's help as prompt and error."""
    dv = _validation(spec, col, lists)
    dv.promptTitle = col.label[:32]
    dv.prompt = _help(spec, col)
    dv.showInputMessage = True
    dv.errorTitle = _t("invalid")
    dv.error = _help(spec, col)
    dv.showErrorMessage = True
    dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + VALIDATED_ROWS - 1}")
    ws.add_data_validation(dv)


def _validation(spec: Sheet, col: Column, lists: _Lists) -> Any:
    """A dropdown for yes/no and enum columns, a whole number from 0, or text up to 255 characters."""
    if col.type == "yesno" or (col.type == "enum" and col.values):
        # A yes/no answer is never left blank: "Không" is an answer.
        blank = col.type != "yesno" and not col.required
        return DataValidation(type="list", formula1=f"={lists.range_of(spec, col)}", allow_blank=blank)
    if col.type == "int":
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=not col.required)
    return DataValidation(type="textLength", operator="lessThanOrEqual", formula1="255", allow_blank=True)


_INDICATOR_HEADINGS = ("id", "indicator", "target", "form", "how", "source")
_COLUMN_HEADINGS = ("col", "col_label", "type", "required", "help")


def _indicator_rows(targets: Targets) -> list[tuple[Any, ...]]:
    """The guide's indicator table, in labels: how each rate is computed, from which sheet."""
    years = sorted({ind.deadline for ind in targets.indicators})
    rows: list[tuple[Any, ...]] = [(_t("guide.indicators", years=", ".join(str(y) for y in years)),)]
    rows.append(tuple(_t(f"guide.{k}") for k in _INDICATOR_HEADINGS))
    for ind in targets.indicators:
        spec = targets.sheet(ind.sheet)
        assert spec is not None  # checked when the targets were loaded
        goal = ind.goal or format_percent(ind.target.pass_, "vi", digits=0)
        rows.append((ind.id, ind.title_vi, goal, spec.label, _how(ind, spec), ind.source))
    return rows


def _how(ind: Indicator, spec: Sheet) -> str:
    """How an indicator is computed, in the column labels people see."""

    column = _label(spec, ind.numerator)
    if ind.mode == "count":
        how = _t("how.count", column=column)
    else:
        how = _t("how.sum", column=column, columns=" + ".join(_quoted(spec, d) for d in ind.denominator))
    if ind.scope:
        scope = "; ".join(
            f"{_label(spec, k)}: {', '.join(_value_label(spec, k, v) for v in vs)}" for k, vs in ind.scope.items()
        )
        how += _t("how.scope", scope=scope)
    return how


def _label(spec: Sheet, key: str) -> str:
    col = spec.column(key)
    return col.label if col else key


def _value_label(spec: Sheet, key: str, value: str) -> str:
    col = spec.column(key)
    return (col.values or {}).get(value, value) if col else value


def _column_rows(spec: Sheet) -> list[tuple[Any, ...]]:
    """The guide's lines for one form sheet: a heading, then each column's number, label, type and help."""
    headings = tuple(_t(f"guide.{k}") for k in _COLUMN_HEADINGS)
    rows: list[tuple[Any, ...]] = [(_t("guide.sheet", label=spec.label),), headings]
    for j, col in enumerate(spec.columns, start=1):
        required = _t("required.yes" if col.required else "required.no")
        rows.append((f"({j})", col.label, _t(f"type.{col.type}"), required, _help(spec, col)))
    return [*rows, ()]


def _guide(wb: Any, targets: Targets) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    bold = Font(bold=True)
    rows: list[tuple[Any, ...]] = [
        (_t("guide.title", version=targets.form.version),),
        (targets.plan.title_vi,),
        (targets.plan.source,),
        (),
        (_t("guide.rows", first=FIRST_DATA_ROW),),
        (_t("guide.numbers", row=NUMBER_ROW),),
        (),
    ]
    for spec in targets.form.sheets:
        rows += _column_rows(spec)
    rows += _indicator_rows(targets)
    for row in rows:
        ws.append(list(row))
        if len(row) == 1 or row[:1] in ((_t("guide.col"),), (_t("guide.id"),)):
            for cell in ws[ws.max_row]:
                cell.font = bold
    for letter, width in zip("ABCDEF", (8, 50, 16, 22, 60, 30), strict=True):
        ws.column_dimensions[letter].width = width
