"""Reading: a workbook file to tables of rows, each row keeping its place.

Values come from python-calamine (Rust), which reads .xlsx, .xlsm, .xls and
.ods and is an order of magnitude faster than openpyxl. Calamine turns two kinds
of .xlsx cells into an empty string: Excel error values (``#DIV/0!``) and
formulas that have no saved value (files written by a program, never opened in
Excel). Both must be findings, never silent blanks, so for .xlsx we scan the
sheet XML for them: a byte search first, and a full parse only when a sheet
has formulas, error cells or hidden rows at all. For .xls the same audit goes
through xlrd, and for .ods through the content XML.

Administrative layouts are read as people make them: title rows above the
header, two-row headers, a column-number row, section, total and subtotal
rows, and the sign-off block. Layout rows are never data; each is counted.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from qbplan.errors import InputError
from qbplan.targets import Sheet, Targets
from qbplan.textnorm import clean, fold

# Rows scanned from the top of a sheet to find its header row.
HEADER_SCAN_ROWS = 40
# Zip members that inflate past this, or at a ratio past MAX_RATIO, are refused
# before any parsing: a zip bomb must not reach the XML parser.
DEFAULT_MAX_UNZIPPED = 1024 * 1024 * 1024
MAX_RATIO = 200
# How far into an XML part a DOCTYPE may hide before its root element.
_PROLOG_LIMIT = 1024 * 1024
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
# Extensions calamine maps to each format we sniff.
_EXTENSIONS = {"xlsx": (".xlsx", ".xlsm", ".xlam"), "xls": (".xls", ".xla"), "ods": (".ods",)}
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
    # Layout rows skipped, by kind ("column-numbers", "section", "total",
    # "signoff") -> Excel row numbers. Totals are also kept in ``totals``.
    layout: dict[str, list[int]] = field(default_factory=dict)
    totals: list[TotalsRow] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # data rows hidden in Excel
    # Set by the columnar path (qbplan.fastpath) for a large sheet it proved
    # valid: the parsed rows as a DataFrame (with "__row"); ``rows`` is then empty.
    frame: Any = None

    @property
    def data_rows(self) -> int:
        """Data rows read (whichever path read them)."""
        return len(self.frame) if self.frame is not None else len(self.rows)


@dataclass(frozen=True, slots=True)
class TotalsRow:
    """A total or subtotal row, and the data rows (Excel numbers, inclusive) it sums.

    ``first``/``last`` are None for a grand total, which covers the whole table.
    """

    row: int
    label: str
    values: tuple[Any, ...]  # in the order of the table's keys
    first: int | None = None
    last: int | None = None


@dataclass(frozen=True, slots=True)
class SheetAudit:
    """Cell facts the fast reader does not give: problem cells and hidden rows."""

    problems: dict[tuple[int, int], CellProblem] = field(default_factory=dict)
    hidden_rows: frozenset[int] = frozenset()  # 0-based


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


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one input file; raise them for known-good giant files."""

    max_unzipped: int = DEFAULT_MAX_UNZIPPED
    max_ratio: int = MAX_RATIO


def sniff(path: str, limits: Limits = Limits()) -> str:
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
        return _sniff_zip(path, limits)
    if head == OLE_MAGIC:
        if _ole_is_encrypted(path):
            raise InputError("input-encrypted", file=path)
        return "xls"
    raise InputError("input-not-workbook", file=path)


def _sniff_zip(path: str, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            total = sum(info.file_size for info in infos)
            if total > limits.max_unzipped:
                raise InputError("input-zip-bomb", file=path, size=total, limit=limits.max_unzipped)
            for info in infos:
                ratio = info.file_size / info.compress_size if info.compress_size else 0
                if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
                    raise InputError("input-zip-bomb", file=path, size=total, limit=limits.max_unzipped)
            if "xl/workbook.xml" in names:
                kind = "xlsx"
            elif "content.xml" in names and "mimetype" in names:
                kind = "ods"
            else:
                raise InputError("input-not-workbook", file=path)
            # Real workbooks never declare a DTD; one that does is an entity
            # expansion (billion laughs) or external-entity attempt.
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _has_doctype(zf, info.filename):
                    raise InputError("input-xml-dtd", file=path, part=info.filename)
    except _ZIP_ERRORS:
        raise InputError("input-corrupt", file=path) from None
    return kind


_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _has_doctype(zf: zipfile.ZipFile, member: str) -> bool:
    """Whether the XML prolog of ``member`` (what comes before its root) holds a DOCTYPE."""
    seen = b""
    with zf.open(member) as fh:
        while len(seen) < _PROLOG_LIMIT:
            chunk = fh.read(64 * 1024)
            if not chunk:
                break
            seen += chunk
            root = _ROOT_START.search(seen)
            if root:
                return b"<!DOCTYPE" in seen[: root.start()] or b"<!ENTITY" in seen[: root.start()]
    return b"<!DOCTYPE" in seen or b"<!ENTITY" in seen


def _ole_is_encrypted(path: str) -> bool:
    # An encrypted .xlsx is an OLE container holding an "EncryptionInfo"
    # stream; its directory entry names are UTF-16LE.
    marker = "EncryptionInfo".encode("utf-16-le")
    with open(path, "rb") as fh:
        return marker in fh.read(8 * 1024 * 1024)


# --- cell audits: what calamine turns into blanks ------------------------------

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_NS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_NS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


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


def _audit_xlsx_sheet(zf: zipfile.ZipFile, member: str) -> SheetAudit:
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
    return SheetAudit(problems, frozenset(hidden))


# Repeated empty rows and columns in .ods run to the sheet's end; cells past
# these bounds are never data, so the audit does not walk them one by one.
_ODS_MAX_ROWS = 1_048_576
_ODS_MAX_COLS = 16_384


def _audit_ods(zf: zipfile.ZipFile) -> dict[str, SheetAudit]:
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


def _audit_xls(path: str) -> dict[str, SheetAudit]:
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


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


# --- layout: header rows, column numbers, sections, totals, sign-off --------

# Text that marks a row as a total. Matched on the lower-cased NFC text, with
# diacritics: "Cộng" is a total, "Công ty" is not. Without diacritics only the
# unambiguous two-word forms are accepted.
_TOTAL_RE = re.compile(
    r"^(?:tổng\s+cộng|tổng\s+số|tong\s+cong|tong\s+so)\b"
    r"|^(?:tổng|cộng)(?:\s*$|\s*[:(]|\s+(?:cấp|khối|toàn|chung|các|[ivxlc]+\b|[a-z]\b|\d))"
)
# A grand total covers the whole table; any other total covers its group.
_GRAND_RE = re.compile(r"^(?:tổng|tong)")
# The sign-off block under a table (matched on folded text).
_SIGNOFF_RE = re.compile(
    r"^(?:nguoi lap|nguoi ky|thu truong|giam doc|pho giam doc|chu tich|pho chu tich|truong phong|ke toan|"
    r"lanh dao|xac nhan|tm\.? |kt\.? |\(ky|ky ten|ky,|noi nhan)"
    r"|\bngay\b.*\bthang\b.*\bnam\b"
)
# Section rows: "I", "II. Cấp huyện", "A.", "1.2", "Trong đó", "Cấp tỉnh".
_SECTION_RE = re.compile(
    r"^(?:[ivxlc]+|[a-z])(?:[.)/:-]|\s*$)|^(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3})\s+\S"
    r"|^(?:trong do|cap |khoi |nhom |phan |muc |thuoc |huyen |thi xa |thanh pho |tp\.? )"
)
# An STT cell numbering a section: "I", "IV.", "B".
_SECTION_NUMBER = re.compile(r"^(?:[IVXLC]+|[A-Z])[.)]?$")
# Cell text that reads as a number or a yes/no answer (data, not a caption).
_NUMBERISH = re.compile(r"^[\s\d.,+-]+$")
_YESNO_WORDS = frozenset({"co", "khong", "x", "true", "false", "yes", "no", "dat", "chua"})
# A column-number row under the header: "(1)", "A", "5=3+4".
_COLNUM_RE = re.compile(r"^\(?(?:\d{1,3}|[a-z])\)?(?:[=+*x/:-]\(?(?:\d{1,3}|[a-z])\)?)*$")
# Header text decorations tried off when the text itself does not match.
_HEADER_UNIT_RE = re.compile(r"\s*\([^()]*\)\s*$")
_HEADER_NUMBER_RE = re.compile(r"^(?:\d+|[ivxlc]+|[a-z])[.)]\s+")


def _header_key(lookup: dict[str, str], text: Any) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    folded = fold(text)
    key = lookup.get(folded)
    if key is None:
        # "Số CBCC (người)", "3. Số CBCC": units and numbering are decoration.
        bare = _HEADER_NUMBER_RE.sub("", _HEADER_UNIT_RE.sub("", folded))
        if bare != folded:
            key = lookup.get(bare)
    return key


def _header_map(lookup: dict[str, str], row: list[Any]) -> dict[str, int]:
    """Column key -> column index for cells of ``row`` naming a form column."""
    found: dict[str, int] = {}
    for j, cell in enumerate(row):
        key = _header_key(lookup, cell)
        if key is not None and key not in found:
            found[key] = j
    return found


def _two_row_map(lookup: dict[str, str], top: list[Any], sub: list[Any]) -> dict[str, int]:
    """Map a two-row header: a group cell (merged across) over its sub-columns.

    Each column is tried by its joined text ("Số CBCC" + "Được trang bị"),
    then by the sub-column text alone, then by the top text (a cell merged
    down over both rows).
    """
    found: dict[str, int] = {}
    group: Any = None
    for j in range(max(len(top), len(sub))):
        t = top[j] if j < len(top) else None
        s = sub[j] if j < len(sub) else None
        if not _is_blank(t):
            group = t
        elif _is_blank(s):
            group = None
        key = None
        if not _is_blank(s) and isinstance(s, str):
            if group is not None and isinstance(group, str):
                key = _header_key(lookup, f"{group} {s}")
            if key is None:
                key = _header_key(lookup, s)
        if key is None and not _is_blank(t):
            key = _header_key(lookup, t)
        if key is not None and key not in found:
            found[key] = j
    return found


@dataclass(frozen=True, slots=True)
class Header:
    """Where a form sheet's header is: its first row (0-based), rows spanned, columns."""

    index: int
    span: int
    columns: dict[str, int]


def _find_header(spec: Sheet, grid: list[list[Any]], lookup: dict[str, str] | None = None) -> Header | None:
    """The header among the top rows: the one naming the most form columns.

    A two-row header wins only when it names more columns than either row
    alone, so a title row or a column-number row never joins the header.
    """
    best: Header | None = None
    lookup = lookup if lookup is not None else _header_lookup(spec)
    top = grid[: HEADER_SCAN_ROWS + 1]
    single = [_header_map(lookup, row) for row in top]
    for i, found in enumerate(single[:HEADER_SCAN_ROWS]):
        if found and (best is None or len(found) > len(best.columns)):
            best = Header(i, 1, found)
        if i + 1 < len(top):
            joined = _two_row_map(lookup, top[i], top[i + 1])
            alone = max(len(found), len(single[i + 1]))
            if len(joined) > alone and (best is None or len(joined) > len(best.columns)):
                best = Header(i, 2, joined)
    if best is None or len(best.columns) < min(2, len(spec.columns)):
        return None
    return best


def _texts(line: list[Any], limit: int = 4) -> list[str]:
    """The first few non-blank text cells of a row, cleaned (NFC, spaces)."""
    out = []
    for cell in line:
        if isinstance(cell, str) and cell.strip():
            out.append(clean(cell))
            if len(out) == limit:
                break
    return out


def _is_colnum_row(line: list[Any]) -> bool:
    cells = [c for c in line if not _is_blank(c)]
    if len(cells) < 2:
        return False
    for cell in cells:
        if isinstance(cell, bool):
            return False
        if isinstance(cell, (int, float)):
            if not (float(cell).is_integer() and 0 < cell < 100):
                return False
        elif not isinstance(cell, str) or not _COLNUM_RE.match(fold(cell).replace(" ", "")):
            return False
    return True


def _is_section_text(text: str) -> bool:
    folded = fold(text)
    if _SECTION_RE.match(folded):
        return True
    # A heading typed in capitals: "CẤP TỈNH", "KHỐI SỞ, BAN, NGÀNH".
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and text == text.upper()


def read_workbook(
    path: str,
    targets: Targets,
    limits: Limits = Limits(),
    password: str | None = None,
) -> Workbook:
    """Read one input file into tables for the form's sheets.

    An encrypted workbook is decrypted with ``password`` (msoffcrypto-tool)
    into a private temporary file, which is removed afterwards.

    Raises :class:`InputError` when the file cannot be read or holds none of
    the form's sheets, or when a sheet lacks a required column.
    """
    try:
        kind = sniff(path, limits)
    except InputError as exc:
        if exc.code != "input-encrypted" or not password:
            raise
        return _read_encrypted(path, targets, limits, password)
    return _read_plain(path, kind, targets)


def _read_encrypted(path: str, targets: Targets, limits: Limits, password: str) -> Workbook:
    import tempfile

    import msoffcrypto  # deferred: only encrypted files need it

    with tempfile.TemporaryDirectory(prefix="qbplan-") as tmp:
        clear = os.path.join(tmp, "decrypted" + os.path.splitext(path)[1])
        try:
            with open(path, "rb") as fh, open(clear, "wb") as out:
                office = msoffcrypto.OfficeFile(fh)
                office.load_key(password=password)
                office.decrypt(out)
        except msoffcrypto.exceptions.InvalidKeyError:
            raise InputError("input-password-wrong", file=path) from None
        except Exception as exc:  # noqa: BLE001 - msoffcrypto raises many types for damaged containers
            raise InputError("input-corrupt", file=path, detail=_short(exc)) from None
        try:
            workbook = _read_plain(clear, sniff(clear, limits), targets)
        except InputError as exc:
            # Name the file the user gave, never the temporary copy.
            exc.file = path
            exc.params["file"] = path
            raise
    workbook.file = path
    for table in workbook.tables:
        table.file = path
    return workbook


def _read_plain(path: str, kind: str, targets: Targets) -> Workbook:
    import python_calamine  # deferred: keeps `qbplan --help` fast

    try:
        if os.path.splitext(path)[1].lower() in _EXTENSIONS[kind]:
            book = python_calamine.CalamineWorkbook.from_path(path)
        else:
            # Calamine picks its parser by extension when given a path; a
            # file object makes it go by content, as our sniff did.
            with open(path, "rb") as fh:
                book = python_calamine.CalamineWorkbook.from_filelike(fh)
        metadata = list(book.sheets_metadata)
    except python_calamine.PasswordError:
        raise InputError("input-encrypted", file=path) from None
    except BaseException as exc:  # noqa: BLE001 - see _unreadable: panics are BaseException
        raise _unreadable(path, exc) from None

    audit_zip: zipfile.ZipFile | None = None
    parts: dict[str, str] = {}
    audits: Callable[[str], SheetAudit]
    try:
        if kind == "xlsx":
            audit_zip = zipfile.ZipFile(path)
            parts = _xlsx_sheet_parts(audit_zip)
            zf = audit_zip

            def audits(name: str) -> SheetAudit:
                return _audit_xlsx_sheet(zf, parts[name]) if name in parts else SheetAudit()

        elif kind == "ods":
            with zipfile.ZipFile(path) as ods_zip:
                ods = _audit_ods(ods_zip)

            def audits(name: str) -> SheetAudit:
                return ods.get(name, SheetAudit())

        else:
            xls = _audit_xls(path)

            def audits(name: str) -> SheetAudit:
                return xls.get(name, SheetAudit())

    except _ZIP_ERRORS:
        raise InputError("input-corrupt", file=path) from None
    except Exception as exc:  # noqa: BLE001 - xlrd has its own error types for damaged .xls
        raise _unreadable(path, exc) from None

    def large(name: str) -> bool:
        from qbplan import fastpath

        return (
            audit_zip is not None
            and name in parts
            and fastpath.is_large(audit_zip, parts[name])
            and fastpath.available()
        )

    try:
        return _read_sheets(path, targets, book, metadata, audits, large)
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
    audits: Callable[[str], SheetAudit],
    large: Callable[[str], bool] = lambda _name: False,
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
        if spec is not None and large(name):
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            fast = _read_fast(path, name, spec, audits, hidden)
            if fast is not None:
                taken[spec.key] = name
                _add_table(fast, notes, tables)
                continue
        try:
            sheet = book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=True)
            start = sheet.start or (0, 0)
        except BaseException as exc:  # noqa: BLE001 - see _unreadable
            raise _unreadable(path, exc) from None
        header: Header | None = None
        if spec is None:
            # Agencies rename sheets; recognise a form sheet by its header too.
            # Sheets already taken are excluded, so this is never a duplicate.
            matched = _match_by_header(targets, grid, exclude=set(taken))
            if matched is None:
                other.append(name)
                continue
            spec, header = matched
        taken[spec.key] = name
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        try:
            audit = audits(name)
        except _ZIP_ERRORS:
            raise InputError("input-corrupt", file=path) from None
        _add_table(_table(path, name, spec, grid, start, audit, hidden, header), notes, tables)
    if not tables:
        raise InputError(
            "input-no-form-sheet",
            file=path,
            expected=", ".join(f"{s.key} ({s.label})" for s in targets.form.sheets),
            found=", ".join(m.name for m in metadata) or "-",
        )
    return Workbook(file=path, tables=tables, other_sheets=other, notes=notes)


def _add_table(table: SheetTable, notes: list[tuple[str, str, dict[str, Any]]], tables: list[SheetTable]) -> None:
    if table.hidden:
        notes.append(("sheet-hidden", table.sheet, {}))
    if table.hidden_rows:
        rows = table.hidden_rows
        notes.append(("rows-hidden", table.sheet, {"count": len(rows), "rows": _row_list(rows)}))
    tables.append(table)


def _read_fast(
    path: str, name: str, spec: Sheet, audits: Callable[[str], SheetAudit], hidden: bool
) -> SheetTable | None:
    from concurrent.futures import ThreadPoolExecutor

    from qbplan import fastpath

    # The audit (unzip and search the sheet XML in Python) runs beside
    # fastexcel's read, which releases the GIL: on a 1M-row sheet it hides ~1.5 s.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(audits, name)

        def audit() -> SheetAudit:
            try:
                return pending.result()
            except _ZIP_ERRORS:
                raise InputError("input-corrupt", file=path) from None

        return fastpath.read_sheet(path, name, spec, audit, hidden, None)


def _row_list(rows: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (", …" if len(rows) > limit else "")


def _match_by_header(targets: Targets, grid: list[list[Any]], exclude: set[str]) -> tuple[Sheet, Header] | None:
    best: tuple[float, Sheet, Header] | None = None
    for spec in targets.form.sheets:
        if spec.key in exclude:
            continue
        found = _find_header(spec, grid)
        if found is None:
            continue
        required = [c.key for c in spec.columns if c.required]
        if not all(k in found.columns for k in required):
            continue
        score = len(found.columns) / len(spec.columns)
        if best is None or score > best[0]:
            best = (score, spec, found)
    return (best[1], best[2]) if best else None


def _table(
    path: str,
    name: str,
    spec: Sheet,
    grid: list[list[Any]],
    start: tuple[int, int],
    audit: SheetAudit,
    hidden: bool,
    header: Header | None = None,
) -> SheetTable:
    table, found = start_table(path, name, spec, grid, start, hidden, header)
    reader = _LayoutReader(table, spec, grid, start, audit, found.columns)
    reader.run(reader.leading(found.index + found.span))
    return table


def start_table(
    path: str,
    name: str,
    spec: Sheet,
    grid: list[list[Any]],
    start: tuple[int, int],
    hidden: bool,
    header: Header | None = None,
) -> tuple[SheetTable, Header]:
    """An empty table for ``spec`` with its header found in ``grid``, or the refusal."""
    row0, col0 = start
    found = header or _find_header(spec, grid)
    if found is None:
        raise InputError(
            "input-no-header",
            file=path,
            sheet=name,
            expected=", ".join(c.label for c in spec.columns[:4]) + ", …",
        )
    columns = found.columns
    missing = [c for c in spec.columns if c.required and c.key not in columns]
    if missing:
        seen = [str(c).replace("\n", " ") for c in grid[found.index] if not _is_blank(c)]
        raise InputError(
            "input-missing-columns",
            file=path,
            sheet=name,
            row=row0 + found.index + 1,
            missing=", ".join(f"{c.key} ({c.label})" for c in missing),
            found=", ".join(seen) or "-",
        )
    table = SheetTable(
        file=path,
        sheet=name,
        spec=spec,
        header_row=row0 + found.index + 1,
        keys=[c.key for c in spec.columns],
        col_index={k: col0 + j for k, j in columns.items()},
        hidden=hidden,
    )
    return table, found


def leading_rows(table: SheetTable, grid: list[list[Any]], first: int) -> int:
    """Skip the column-number and repeated-header rows under the header; return the next row."""
    columns = {k: j for k, j in table.col_index.items()}
    return _LayoutReader(table, table.spec, grid, (0, 0), SheetAudit(), columns).leading(first)


class _LayoutReader:
    """Sorts the rows under a header into data, blank and layout rows."""

    def __init__(
        self,
        table: SheetTable,
        spec: Sheet,
        grid: list[list[Any]],
        start: tuple[int, int],
        audit: SheetAudit,
        columns: dict[str, int],
    ) -> None:
        self.table = table
        self.grid = grid
        self.row0, self.col0 = start
        self.problems = audit.problems
        self.hidden = audit.hidden_rows
        self.idx = [columns.get(k) for k in table.keys]
        # Positions (in ``keys``) of unique columns: a row with one is an
        # agency's row unless the cell itself says total.
        self.ident = [i for i, c in enumerate(spec.columns) if c.unique and self.idx[i] is not None]
        # Positions of typed columns: layout rows leave them blank.
        self.typed = [i for i, c in enumerate(spec.columns) if c.type != "text" and self.idx[i] is not None]
        self.mapped = {j for j in self.idx if j is not None}
        self.open_total: tuple[int, str, tuple[Any, ...]] | None = None  # a section row carrying totals
        self.group_start: int | None = None  # first Excel row of the current group
        self.last_data: int | None = None

    def _values(self, i: int, line: list[Any]) -> tuple[Any, ...] | None:
        excel_i = self.row0 + i
        values: list[Any] = []
        blank = True
        for j in self.idx:
            if j is None:
                values.append(None)
                continue
            value = line[j] if j < len(line) else None
            problem = self.problems.get((excel_i, self.col0 + j)) if self.problems else None
            if problem is not None:
                value = problem
            elif _is_blank(value):
                value = None
            if value is not None:
                blank = False
            values.append(value)
        return None if blank else tuple(values)

    def _skip(self, kind: str, row: int) -> None:
        self.table.layout.setdefault(kind, []).append(row)

    def _close_section_total(self) -> None:
        if self.open_total is not None:
            row, label, values = self.open_total
            last = self.last_data if self.last_data is not None and self.last_data > row else None
            self.table.totals.append(TotalsRow(row, label, values, row + 1, last if last is not None else row))
            self.open_total = None

    def leading(self, first: int) -> int:
        """Skip the rows right under the header that are not data; return the next row."""
        table, grid = self.table, self.grid
        i = first
        # A column-number row ("(1) (2) (3)", "A B 1 2") or a repeat of the
        # header under it, possibly below the blank second row of a merged header.
        lookup = _header_lookup(self.table.spec)
        while i < len(grid) and i < first + 3:
            if _is_colnum_row(grid[i]):
                self._skip("column-numbers", self.row0 + i + 1)
            elif len(_header_map(lookup, grid[i])) >= max(2, len(self.mapped) // 2):
                # The header again, as column keys (qbplan's template keeps a
                # hidden key row) or copied twice: not data.
                self._skip("header", self.row0 + i + 1)
            elif all(_is_blank(c) for c in grid[i]):
                table.blank_rows += 1
            else:
                break
            i += 1
        return i

    def run(self, first: int) -> None:
        """Sort every row from ``first`` on."""
        table, grid = self.table, self.grid
        signoff = False
        for i in range(first, len(grid)):
            line = grid[i]
            excel_row = self.row0 + i + 1
            values = self._values(i, line)
            if values is None:
                texts = _texts(line)
                if texts and (signoff or any(_SIGNOFF_RE.search(fold(t)) for t in texts)):
                    signoff = True
                    self._skip("signoff", excel_row)
                else:
                    table.blank_rows += 1
                continue
            kind = self._kind(line, values, signoff)
            if kind == "signoff":
                signoff = True
                self._skip("signoff", excel_row)
            elif kind == "data":
                table.rows.append((excel_row, values))
                if self.row0 + i in self.hidden:
                    table.hidden_rows.append(excel_row)
                if self.group_start is None:
                    self.group_start = excel_row
                self.last_data = excel_row
            elif kind == "section":
                self._close_section_total()
                self._skip("section", excel_row)
                self.group_start = None
            elif kind == "section-total":
                self._close_section_total()
                self._skip("total", excel_row)
                self.open_total = (excel_row, self._label(line), values)
                self.group_start = None
            else:  # total
                self._skip("total", excel_row)
                label = self._label(line)
                if _GRAND_RE.match(fold(label)):
                    table.totals.append(TotalsRow(excel_row, label, values))
                else:
                    self._close_section_total()
                    first_row = self.group_start if self.group_start is not None else excel_row
                    table.totals.append(TotalsRow(excel_row, label, values, first_row, excel_row - 1))
                self.group_start = None
        self._close_section_total()

    def _label(self, line: list[Any]) -> str:
        for text in _texts(line):
            if _TOTAL_RE.match(text.casefold()) or _is_section_text(text):
                return text
        texts = _texts(line, 1)
        return texts[0] if texts else ""

    def _quiet(self, values: tuple[Any, ...]) -> bool:
        """No typed column holds anything that reads as a number or a yes/no.

        Sign-off lines are laid across the sheet, so their text may sit in a
        number column; a data row always has numbers or yes/no answers.
        """
        for p in self.typed:
            value = values[p]
            if value is None:
                continue
            if not isinstance(value, str) or _NUMBERISH.match(value) or fold(value) in _YESNO_WORDS:
                return False
        return True

    def _numbered_section(self, line: list[Any]) -> bool:
        """The STT cell (left of the form columns) holds "I", "II", "A.": a section row."""
        if not line or 0 in self.mapped:
            return False
        first = line[0]
        return isinstance(first, str) and bool(_SECTION_NUMBER.match(first.strip()))

    def _kind(self, line: list[Any], values: tuple[Any, ...], signoff: bool) -> str:
        quiet = self._quiet(values)
        ident = [values[p] for p in self.ident if values[p] is not None]
        numbered = self._numbered_section(line)
        if ident and not quiet and not numbered:
            # Fast path for agency rows: only the key cell itself can make
            # this a layout row (a totals row keyed by district name).
            cell = ident[0]
            if isinstance(cell, str) and _TOTAL_RE.match(clean(cell).casefold()):
                return "total"
            return "data"
        texts = _texts(line)
        if quiet and (signoff or any(_SIGNOFF_RE.search(fold(t)) for t in texts)):
            return "signoff"
        if ident and not numbered:
            return "data"
        if any(_TOTAL_RE.match(t.casefold()) for t in texts[:2]):
            return "total"
        typed_blank = all(values[p] is None for p in self.typed)
        if texts and _is_section_text(texts[0]):
            if typed_blank:
                return "section"
            if _SECTION_RE.match(fold(texts[0])):
                return "section-total"
        return "data"
