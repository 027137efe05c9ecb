"""Cell audits: what the fast readers turn into blanks, found another way.

Calamine returns an Excel error value (``#DIV/0!``) and a formula with no saved
value (a file written by a program, never opened in Excel) as empty strings.
Both must be findings, never silent blanks, so for .xlsx the sheet XML is
searched for them (a byte search first, a parse only when a sheet has
formulas, error cells or hidden rows at all); for .xls xlrd keeps the cell
types, and for .ods the content XML says. Hidden rows come along.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from qbplan.read.cells import CellProblem, parse_ref


@dataclass(frozen=True, slots=True)
class SheetAudit:
    """Cell facts the fast reader does not give: problem cells and hidden rows."""

    problems: dict[tuple[int, int], CellProblem] = field(default_factory=dict)
    hidden_rows: frozenset[int] = frozenset()  # 0-based


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_NS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_NS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def xlsx_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML."""
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels_xml = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels_xml:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = os.path.normpath(target).replace(os.sep, "/")
    out = {}
    sheets = wb.find(f"{_NS_MAIN}sheets")
    for sheet in sheets if sheets is not None else []:
        rid = sheet.get(f"{_NS_REL}id")
        if rid in targets and sheet.get("name"):
            out[sheet.get("name", "")] = targets[rid]
    return out


def _member_has(zf: zipfile.ZipFile, member: str, needles: tuple[bytes, ...]) -> bool:
    """Whether the unpacked ``member`` contains any of ``needles``."""
    overlap = max(len(n) for n in needles)
    tail = b""
    with zf.open(member) as fh:
        while chunk := fh.read(1 << 22):
            block = tail + chunk
            if any(n in block for n in needles):
                return True
            tail = block[-overlap:]
    return False


def audit_xlsx_sheet(zf: zipfile.ZipFile, member: str) -> SheetAudit:
    """Cells holding an Excel error or a formula without a saved value; hidden rows."""
    # Every formula element with text ends in </f> (or </x:f> with a prefix),
    # and shared-formula dependents (<f t="shared" si="0"/>) have a master that
    # does: four cheap searches over the unpacked XML, then a parse only if needed.
    if not _member_has(zf, member, (b"</f>", b":f>", b't="e"', b'hidden="')):
        return SheetAudit()
    problems: dict[tuple[int, int], CellProblem] = {}
    hidden: set[int] = set()
    row_i = -1
    col_i = -1
    with zf.open(member) as fh:
        for event, elem in ElementTree.iterparse(fh, events=("start", "end")):
            tag = elem.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    r = elem.get("r")
                    row_i = int(r) - 1 if r and r.isdigit() else row_i + 1
                    col_i = -1
                    if elem.get("hidden") in ("1", "true"):
                        hidden.add(row_i)
                elif tag == "c":
                    pos = parse_ref(elem.get("r", ""))
                    col_i = pos[1] if pos else col_i + 1
                continue
            if tag == "c":
                formula = elem.find(f"{_NS_MAIN}f")
                value = elem.find(f"{_NS_MAIN}v")
                has_value = value is not None and (value.text or "") != ""
                if elem.get("t") == "e":
                    problems[(row_i, col_i)] = CellProblem(
                        "excel-error", value.text if value is not None and value.text else "#ERROR"
                    )
                elif formula is not None and not has_value and elem.find(f"{_NS_MAIN}is") is None:
                    problems[(row_i, col_i)] = CellProblem("formula-no-value", "=" + (formula.text or ""))
                elem.clear()
            elif tag == "row":
                elem.clear()
    return SheetAudit(problems, frozenset(hidden))


# Repeated empty rows and columns in .ods run to the sheet's end; cells past
# these bounds are never data, so the audit does not walk them one by one.
_ODS_MAX_ROWS = 1_048_576
_ODS_MAX_COLS = 16_384


def audit_ods(zf: zipfile.ZipFile) -> dict[str, SheetAudit]:
    """Per sheet: error cells, formulas without a value, and collapsed rows."""
    if not _member_has(zf, "content.xml", (b"table:formula", b'table:visibility="collapse"', b"error")):
        return {}
    out: dict[str, SheetAudit] = {}
    problems: dict[tuple[int, int], CellProblem] = {}
    hidden: set[int] = set()
    name = ""
    row_i = col_i = 0
    with zf.open("content.xml") as fh:
        for event, elem in ElementTree.iterparse(fh, events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if tag == f"{_NS_TABLE}table":
                    name, problems, hidden, row_i = elem.get(f"{_NS_TABLE}name", ""), {}, set(), 0
                elif tag == f"{_NS_TABLE}table-row":
                    col_i = 0
                    if elem.get(f"{_NS_TABLE}visibility") in ("collapse", "filter"):
                        repeat = min(int(elem.get(f"{_NS_TABLE}number-rows-repeated", "1") or 1), 1000)
                        hidden.update(range(row_i, row_i + repeat))
                continue
            if tag in (f"{_NS_TABLE}table-cell", f"{_NS_TABLE}covered-table-cell"):
                repeat = int(elem.get(f"{_NS_TABLE}number-columns-repeated", "1") or 1)
                formula = elem.get(f"{_NS_TABLE}formula")
                if formula is not None and repeat < 1000:
                    problem = _ods_problem(elem, formula)
                    if problem is not None:
                        for j in range(col_i, col_i + repeat):
                            problems[(row_i, j)] = problem
                col_i = min(col_i + repeat, _ODS_MAX_COLS)
                elem.clear()
            elif tag == f"{_NS_TABLE}table-row":
                row_i = min(row_i + int(elem.get(f"{_NS_TABLE}number-rows-repeated", "1") or 1), _ODS_MAX_ROWS)
                elem.clear()
            elif tag == f"{_NS_TABLE}table":
                out[name] = SheetAudit(problems, frozenset(hidden))
                elem.clear()
    return out


def _ods_problem(elem: ElementTree.Element, formula: str) -> CellProblem | None:
    if elem.get(f"{_NS_CALCEXT}value-type") == "error":
        text = "".join(elem.itertext()).strip()
        return CellProblem("excel-error", text or "#ERROR")
    if elem.get(f"{_NS_OFFICE}value-type") is None:
        return CellProblem("formula-no-value", formula.removeprefix("of:"))
    return None


def audit_xls(path: str) -> dict[str, SheetAudit]:
    """Per sheet: Excel error cells and hidden rows, read through xlrd.

    Calamine gives an .xls error cell as an empty string; xlrd keeps its type.
    """
    import xlrd  # deferred: only .xls files need it

    book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
    out: dict[str, SheetAudit] = {}
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            problems = {}
            for r in range(sheet.nrows):
                for c, ctype in enumerate(sheet.row_types(r)):
                    if ctype == xlrd.XL_CELL_ERROR:
                        code = sheet.cell_value(r, c)
                        problems[(r, c)] = CellProblem("excel-error", xlrd.error_text_from_code.get(code, "#ERROR"))
            hidden = frozenset(r for r, info in sheet.rowinfo_map.items() if info.hidden)
            out[sheet.name] = SheetAudit(problems, hidden)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return out
