"""Reading: a workbook file to tables of rows, each row keeping its place.

Values come from python-calamine (Rust), which reads .xlsx, .xlsm, .xls and
.ods and is an order of magnitude faster than openpyxl. Calamine turns two kinds
of .xlsx cells into an empty string: Excel error values (``#DIV/0!``) and
formulas that have no saved value (files written by a program, never opened in
Excel). Both must be findings, never silent blanks, so for .xlsx we scan the
sheet XML for them: a byte search first, and a full parse only when a sheet
has formulas or error cells at all.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from qbplan.errors import InputError
from qbplan.targets import Sheet, Targets
from qbplan.textnorm import fold

# Rows scanned from the top of a sheet to find its header row.
HEADER_SCAN_ROWS = 40
# Zip members that inflate past this, or at a ratio past MAX_RATIO, are refused
# before any parsing: a zip bomb must not reach the XML parser.
DEFAULT_MAX_UNZIPPED = 1024 * 1024 * 1024
MAX_RATIO = 200
# Everything zipfile, zlib and the XML parser raise on a damaged archive: a
# flipped byte can surface as any of these (NotImplementedError for an unknown
# zip version, RuntimeError for an encrypted member, zlib.error, EOFError ...).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    ElementTree.ParseError,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell whose value cannot be used: an Excel error or an unsaved formula."""

    code: str  # "excel-error" | "formula-no-value"
    detail: str


@dataclass
class SheetTable:
    """The rows of one workbook sheet that matched one form sheet.

    ``rows`` holds (Excel row number, values in the order of ``keys``); a value
    is None when blank, a :class:`CellProblem`, or what the cell holds.
    """

    file: str
    sheet: str  # the name as it is in the workbook
    spec: Sheet
    header_row: int
    keys: list[str]
    col_index: dict[str, int]  # column key -> 0-based Excel column
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    blank_rows: int = 0
    hidden: bool = False


@dataclass
class Workbook:
    """What one input file holds for the form."""

    file: str
    tables: list[SheetTable]
    other_sheets: list[str]
    # (code, sheet, params) for things worth a warning, e.g. hidden sheets
    notes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def _parse_ref(ref: str) -> tuple[int, int] | None:
    """``D12`` -> (11, 3), 0-based (row, column)."""
    m = _CELL_REF.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def sniff(path: str) -> str:
    """Check the file is a workbook by its content; return 'xlsx', 'ods' or 'xls'."""
    try:
        if os.path.isdir(path):
            raise InputError("input-is-directory", file=path)
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise InputError("input-missing", file=path) from None
    except PermissionError:
        raise InputError("input-permission", file=path) from None
    except OSError as exc:
        raise InputError("input-unreadable", file=path, detail=exc.strerror or str(exc)) from None
    if os.path.basename(path).startswith("~$"):
        raise InputError("input-lock-file", file=path)
    if not head:
        raise InputError("input-empty", file=path)
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path)
    if head == OLE_MAGIC:
        if _ole_is_encrypted(path):
            raise InputError("input-encrypted", file=path)
        return "xls"
    raise InputError("input-not-workbook", file=path)


def _sniff_zip(path: str) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except _ZIP_ERRORS:
        raise InputError("input-corrupt", file=path) from None
    names = {info.filename for info in infos}
    total = sum(info.file_size for info in infos)
    if total > DEFAULT_MAX_UNZIPPED:
        raise InputError("input-zip-bomb", file=path, size=total, limit=DEFAULT_MAX_UNZIPPED)
    for info in infos:
        if info.compress_size and info.file_size > 1024 * 1024 and info.file_size / info.compress_size > MAX_RATIO:
            raise InputError("input-zip-bomb", file=path, size=total, limit=DEFAULT_MAX_UNZIPPED)
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    raise InputError("input-not-workbook", file=path)


def _ole_is_encrypted(path: str) -> bool:
    # An encrypted .xlsx is an OLE container holding an "EncryptionInfo"
    # stream; its directory entry names are UTF-16LE.
    marker = "EncryptionInfo".encode("utf-16-le")
    with open(path, "rb") as fh:
        return marker in fh.read(8 * 1024 * 1024)


# --- .xlsx cell audit ---------------------------------------------------------

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _xlsx_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
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
    overlap = max(len(n) for n in needles)
    tail = b""
    with zf.open(member) as fh:
        while chunk := fh.read(1 << 20):
            block = tail + chunk
            if any(n in block for n in needles):
                return True
            tail = block[-overlap:]
    return False


def _audit_xlsx_sheet(zf: zipfile.ZipFile, member: str) -> dict[tuple[int, int], CellProblem]:
    """Cells holding an Excel error or a formula without a saved value."""
    if not _member_has(zf, member, (b"<f", b't="e"', b":f")):
        return {}
    problems: dict[tuple[int, int], CellProblem] = {}
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
                elif tag == "c":
                    pos = _parse_ref(elem.get("r", ""))
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
    return problems


# --- sheets and headers -------------------------------------------------------


def _names(key: str, label: str, aliases: list[str]) -> set[str]:
    return {fold(key), fold(label), *(fold(a) for a in aliases)}


def _match_sheet(targets: Targets, name: str) -> Sheet | None:
    folded = fold(name)
    for spec in targets.form.sheets:
        if folded in _names(spec.key, spec.label, spec.aliases):
            return spec
    return None


def _header_lookup(spec: Sheet) -> dict[str, str]:
    """Folded header text -> column key, for every name a column may go by."""
    lookup: dict[str, str] = {}
    for col in spec.columns:
        for name in _names(col.key, col.label, col.aliases):
            lookup.setdefault(name, col.key)
    return lookup


def _header_map(lookup: dict[str, str], row: list[Any]) -> dict[str, int]:
    """Column key -> column index for cells of ``row`` naming a form column."""
    found: dict[str, int] = {}
    for j, cell in enumerate(row):
        if isinstance(cell, str) and cell:
            key = lookup.get(fold(cell))
            if key is not None and key not in found:
                found[key] = j
    return found


def _find_header(spec: Sheet, grid: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """The first row, among the top rows, naming the most form columns."""
    best: tuple[int, dict[str, int]] | None = None
    lookup = _header_lookup(spec)
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        found = _header_map(lookup, row)
        if found and (best is None or len(found) > len(best[1])):
            best = (i, found)
    if best is None or len(best[1]) < min(2, len(spec.columns)):
        return None
    return best


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def read_workbook(path: str, targets: Targets) -> Workbook:
    """Read one input file into tables for the form's sheets.

    Raises :class:`InputError` when the file cannot be read or holds none of
    the form's sheets, or when a sheet lacks a required column.
    """
    kind = sniff(path)
    import python_calamine  # deferred: keeps `qbplan --help` fast

    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
        metadata = list(book.sheets_metadata)
    except python_calamine.PasswordError:
        raise InputError("input-encrypted", file=path) from None
    except BaseException as exc:  # noqa: BLE001 - see _unreadable: panics are BaseException
        raise _unreadable(path, exc) from None

    audit_zip: zipfile.ZipFile | None = None
    parts: dict[str, str] = {}
    if kind == "xlsx":
        try:
            audit_zip = zipfile.ZipFile(path)
            parts = _xlsx_sheet_parts(audit_zip)
        except _ZIP_ERRORS:
            raise InputError("input-corrupt", file=path) from None

    try:
        return _read_sheets(path, targets, book, metadata, audit_zip, parts)
    finally:
        if audit_zip is not None:
            audit_zip.close()


def _unreadable(path: str, exc: BaseException) -> BaseException:
    """The error to raise when calamine fails on ``path``.

    Calamine raises several unrelated exception types, and a Rust panic arrives
    as pyo3's PanicException, a BaseException: all of them mean "damaged".
    Interrupts and exits pass through unchanged.
    """
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        return exc
    return InputError("input-corrupt", file=path, detail=_short(exc))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _read_sheets(
    path: str,
    targets: Targets,
    book: Any,
    metadata: list[Any],
    audit_zip: zipfile.ZipFile | None,
    parts: dict[str, str],
) -> Workbook:
    import python_calamine

    tables: list[SheetTable] = []
    other: list[str] = []
    notes: list[tuple[str, str, dict[str, Any]]] = []
    taken: dict[str, str] = {}
    for meta in metadata:
        name = meta.name
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            other.append(name)
            continue
        spec = _match_sheet(targets, name)
        if spec is not None and spec.key in taken:
            # Decided by name alone: no need to load a sheet that is skipped.
            notes.append(("sheet-duplicate", name, {"form_sheet": spec.key, "first": taken[spec.key]}))
            continue
        try:
            sheet = book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
        except BaseException as exc:  # noqa: BLE001 - see _unreadable
            raise _unreadable(path, exc) from None
        if spec is None:
            # Agencies rename sheets; recognise a form sheet by its header too.
            # Sheets already taken are excluded, so this is never a duplicate.
            spec = _match_by_header(targets, grid, exclude=set(taken))
            if spec is None:
                other.append(name)
                continue
        taken[spec.key] = name
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        if hidden:
            notes.append(("sheet-hidden", name, {}))
        problems = {}
        if audit_zip is not None and name in parts:
            try:
                problems = _audit_xlsx_sheet(audit_zip, parts[name])
            except _ZIP_ERRORS:
                raise InputError("input-corrupt", file=path) from None
        tables.append(_table(path, name, spec, grid, start, problems, hidden))
    if not tables:
        raise InputError(
            "input-no-form-sheet",
            file=path,
            expected=", ".join(f"{s.key} ({s.label})" for s in targets.form.sheets),
            found=", ".join(m.name for m in metadata) or "-",
        )
    return Workbook(file=path, tables=tables, other_sheets=other, notes=notes)


def _match_by_header(targets: Targets, grid: list[list[Any]], exclude: set[str]) -> Sheet | None:
    best: tuple[float, Sheet] | None = None
    for spec in targets.form.sheets:
        if spec.key in exclude:
            continue
        found = _find_header(spec, grid)
        if found is None:
            continue
        required = [c.key for c in spec.columns if c.required]
        if not all(k in found[1] for k in required):
            continue
        score = len(found[1]) / len(spec.columns)
        if best is None or score > best[0]:
            best = (score, spec)
    return best[1] if best else None


def _table(
    path: str,
    name: str,
    spec: Sheet,
    grid: list[list[Any]],
    start: tuple[int, int],
    problems: dict[tuple[int, int], CellProblem],
    hidden: bool,
) -> SheetTable:
    row0, col0 = start
    found = _find_header(spec, grid)
    if found is None:
        raise InputError(
            "input-no-header",
            file=path,
            sheet=name,
            expected=", ".join(c.label for c in spec.columns[:4]) + ", …",
        )
    header_i, header = found
    missing = [c for c in spec.columns if c.required and c.key not in header]
    if missing:
        seen = [str(c).replace("\n", " ") for c in grid[header_i] if not _is_blank(c)]
        raise InputError(
            "input-missing-columns",
            file=path,
            sheet=name,
            row=row0 + header_i + 1,
            missing=", ".join(f"{c.key} ({c.label})" for c in missing),
            found=", ".join(seen) or "-",
        )
    keys = [c.key for c in spec.columns]
    idx = [header.get(k) for k in keys]
    table = SheetTable(
        file=path,
        sheet=name,
        spec=spec,
        header_row=row0 + header_i + 1,
        keys=keys,
        col_index={k: col0 + j for k, j in header.items()},
        hidden=hidden,
    )
    for i in range(header_i + 1, len(grid)):
        line = grid[i]
        excel_row = row0 + i
        values: list[Any] = []
        blank = True
        for j in idx:
            if j is None:
                values.append(None)
                continue
            value = line[j] if j < len(line) else None
            problem = problems.get((excel_row, col0 + j)) if problems else None
            if problem is not None:
                value = problem
            elif _is_blank(value):
                value = None
            if value is not None:
                blank = False
            values.append(value)
        if blank:
            table.blank_rows += 1
            continue
        table.rows.append((excel_row + 1, tuple(values)))
    return table
