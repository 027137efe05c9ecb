"""Cell audits: what the fast readers turn into blanks, found another way.

Calamine returns an Excel error value (``#DIV/0!``) and a formula with no saved
value (a file written by a program, never opened in Excel) as empty strings.
Both must be findings, never silent blanks, so for .xlsx the sheet XML is
searched for them (a byte search first, a parse only when a sheet has
formulas, error cells or hidden rows at all); for .xls xlrd keeps the cell
types, and for .ods the content XML says. Hidden rows come along.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any
from xml.etree import ElementTree

from qbplan.model.audit import SheetAudit
from qbplan.model.cells import CellProblem, parse_ref
from qbplan.read.inflate import Checkpoint, Member
from qbplan.read.package import Package
from qbplan.read.sheet_xml import element_end, parse_in, root_tag

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_NS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_NS_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def xlsx_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML, found through the package's relationships."""
    package = Package(zf)
    workbook = package.workbook() or "xl/workbook.xml"
    wb = ElementTree.fromstring(package.read(workbook))
    targets = {rid: target for rid, (_kind, target) in package.relationships(workbook).items()}
    out = {}
    sheets = wb.find(f"{_NS_MAIN}sheets")
    for sheet in sheets if sheets is not None else []:
        rid = sheet.get(f"{_NS_REL}id")
        member = package.member(targets[rid]) if rid in targets else None
        if member is not None and sheet.get("name"):
            out[sheet.get("name", "")] = member
    return out


# What a caller may want of each chunk the audit unpacks (qbplan.read.xlsx_rows keeps checkpoints).
Seen = Callable[[Checkpoint | None, bytes], None]


def _chunks_have(
    chunks: Iterator[tuple[Checkpoint | None, bytes]], needles: tuple[bytes, ...], seen: Seen | None
) -> bool:
    overlap = max(len(n) for n in needles)
    tail = b""
    for mark, chunk in chunks:
        if seen is not None:
            seen(mark, chunk)
        block = tail + chunk
        if any(n in block for n in needles):
            return True
        tail = block[-overlap:]
    return False


# A hidden row says hidden="1" or "true"; LibreOffice writes hidden="false" on
# every row, which must not send each sheet it saved to the parse (50 s for 200k rows).
_HIDDEN = (b'hidden="1"', b'hidden="true"', b"hidden='1'", b"hidden='true'")
# Every formula element with text ends in </f> (or </x:f> with a prefix), and
# shared-formula dependents (<f t="shared" si="0"/>) have a master that does.
_XLSX_NEEDLES = (b"</f>", b":f>", b't="e"', *_HIDDEN)


def audit_xlsx_sheet(zf: zipfile.ZipFile, member: str, seen: Seen | None = None) -> SheetAudit:
    """Cells holding an Excel error or a formula without a saved value; hidden rows.

    ``seen`` gets every chunk of the sheet XML as it is unpacked, with the
    checkpoint before it, the whole sheet at least once.
    """
    # One pass that parses only the cells and rows it finds; what it cannot
    # place (a prefixed sheet, a cell without its reference) gets the whole
    # parse, after cheap searches say there is something to find at all.
    stream = Member(zf, member)
    try:
        return _Fragments(seen).audit(stream)
    except _NeedsParse:
        pass
    if not _chunks_have(stream.chunks(), _XLSX_NEEDLES, seen):
        return SheetAudit()
    walk = _XlsxWalk()
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("start", "end"))
    for mark, chunk in stream.chunks():
        if seen is not None:
            seen(mark, chunk)
        parser.feed(chunk)
        _walk_events(walk, parser)
    parser.close()
    _walk_events(walk, parser)
    return SheetAudit(walk.problems, frozenset(walk.hidden))


class _NeedsParse(Exception):
    """Something the fragment search cannot place (a prefix, a cell or row without its reference)."""


# A formula element (also a shared formula's <f .../>), or an error cell's
# type; a hidden row's flag. Literal searches: a regex over every chunk is slower.
_FORMULA, _FORMULA_NEXT, _ERROR = b"<f", frozenset(b">/ \t\n\r"), b't="e"'
_ROW_NUMBER = re.compile(rb'\sr="([0-9]+)"')
_OVERLAP = 1 << 14  # kept from one chunk to the next: a row's start tag, a cell begun before it


class _Fragments:
    """The audit by fragments: each cell with a formula or an error, and each hidden row, parsed alone.

    A whole-sheet parse in Python costs ~250 µs a row (50 s for 200k rows);
    a sheet whose subtotals are formulas would pay it for a few cells.
    """

    def __init__(self, seen: Seen | None) -> None:
        self.seen = seen
        self.problems: dict[tuple[int, int], CellProblem] = {}
        self.hidden: set[int] = set()
        self.root = b""

    def audit(self, stream: Member) -> SheetAudit:
        carry, done = b"", 0
        for mark, chunk in stream.chunks():
            if self.seen is not None:
                self.seen(mark, chunk)
            carry, done = self._chunk(carry + chunk, done)
        if _problems(carry, done):
            raise _NeedsParse  # a cell left open at the end
        return SheetAudit(self.problems, frozenset(self.hidden))

    def _chunk(self, buf: bytes, done: int) -> tuple[bytes, int]:
        """Handle what ``buf`` holds whole, its cells from ``done`` on; return what to read the next chunk after.

        That is the cell the chunk ended in, none of it handled, or else the
        chunk's last bytes (for a row's start tag cut there, or the start of a
        cell whose formula comes next), all of their cells handled.
        """
        if not self.root and not self._found_root(buf):
            return buf, 0  # the root's start tag is not all here yet
        self.hidden.update(n - 1 for pos in _positions(buf, _HIDDEN, 0) if (n := _row_number(buf, pos)) is not None)
        for pos in _problems(buf, done):
            if pos < done:
                continue  # in a cell already read
            span = _cell_span(buf, pos)
            if span is None:
                return buf[_cell_start(buf, pos) :], 0  # the cell ends in the next chunk
            self._cell(buf[span[0] : span[1]])
            done = span[1]
        keep = min(len(buf), _OVERLAP)
        # Every match in the kept bytes is handled, but for one cut at the very end.
        return buf[-keep:], max(0, keep - 8)

    def _found_root(self, buf: bytes) -> bool:
        """Keep the root's start tag if ``buf`` holds it whole; False while it may yet come."""
        found = root_tag(buf)
        if found is None and len(buf) >= _OVERLAP:
            raise _NeedsParse  # a prefixed root (<x:worksheet>): its cells are prefixed too
        self.root = found or b""
        return found is not None

    def _cell(self, fragment: bytes) -> None:
        cell = parse_in(self.root, fragment)
        place = parse_ref(cell.get("r", ""))
        if place is None:
            raise _NeedsParse  # a cell placed by counting: the whole parse counts
        problem = _xlsx_problem(cell)
        if problem is not None:
            self.problems[place] = problem


def _positions(buf: bytes, needles: tuple[bytes, ...], start: int) -> list[int]:
    """Where any of ``needles`` occurs in ``buf`` from ``start`` on, in order."""
    out = []
    for needle in needles:
        pos = buf.find(needle, start)
        while pos >= 0:
            out.append(pos)
            pos = buf.find(needle, pos + 1)
    return sorted(out)


def _problems(buf: bytes, start: int) -> list[int]:
    """Where a formula element (<f>, <f …>, <f/>) or an error cell's type starts, from ``start`` on, in order."""
    formulas = [p for p in _positions(buf, (_FORMULA,), start) if buf[p + 2 : p + 3] and buf[p + 2] in _FORMULA_NEXT]
    return sorted(formulas + _positions(buf, (_ERROR,), start))


def _row_number(buf: bytes, pos: int) -> int | None:
    """The number of the row whose start tag holds ``pos``; None when ``pos`` is in no row's start tag here.

    That is a hidden column (<col hidden="1">), text that reads hidden="1",
    or a row's tag cut at this buffer's start or end: whole in the buffer
    before (handled there) or the next (handled then).
    """
    start = buf.rfind(b"<row", max(0, pos - _OVERLAP), pos)
    end = buf.find(b">", pos)
    if start < 0 or end < 0 or buf.find(b">", start, pos) >= 0:
        return None
    number = _ROW_NUMBER.search(buf, start, end)
    if number is None:
        raise _NeedsParse  # a row placed by counting: the whole parse counts
    return int(number.group(1))


def _cell_start(buf: bytes, pos: int) -> int:
    # A cell longer than the overlap (a long inline text) is left to the whole parse.
    low = max(0, pos - _OVERLAP)
    start = max(buf.rfind(b"<c ", low, pos), buf.rfind(b"<c>", low, pos))
    if start < 0 or buf.find(b"</c>", start, pos) >= 0:
        raise _NeedsParse  # not inside a cell this search can see
    return start


def _cell_span(buf: bytes, pos: int) -> tuple[int, int] | None:
    """The whole ``<c …>…</c>`` around ``pos``; None when it ends past ``buf``."""
    start = _cell_start(buf, pos)
    end = element_end(buf, start, b"c")
    return None if end is None else (start, end)


def _walk_events(walk: _XlsxWalk, parser: ElementTree.XMLPullParser[ElementTree.Element]) -> None:
    events: Iterator[Any] = parser.read_events()  # ("start" | "end", element): the events asked for
    for event, elem in events:
        tag = elem.tag.rsplit("}", 1)[-1]
        if event == "start":
            walk.start(tag, elem)
        elif tag in ("c", "row"):
            if tag == "c":
                walk.cell(elem)
            elem.clear()


class _XlsxWalk:
    """Where the streaming parse is in a sheet, and what it found."""

    def __init__(self) -> None:
        self.problems: dict[tuple[int, int], CellProblem] = {}
        self.hidden: set[int] = set()
        self.row = -1
        self.col = -1

    def start(self, tag: str, elem: Any) -> None:
        if tag == "row":
            r = elem.get("r")
            self.row = int(r) - 1 if r and r.isdigit() else self.row + 1
            self.col = -1
            if elem.get("hidden") in ("1", "true"):
                self.hidden.add(self.row)
        elif tag == "c":
            pos = parse_ref(elem.get("r", ""))
            self.col = pos[1] if pos else self.col + 1

    def cell(self, elem: Any) -> None:
        problem = _xlsx_problem(elem)
        if problem is not None:
            self.problems[(self.row, self.col)] = problem


def _xlsx_problem(elem: Any) -> CellProblem | None:
    """An error cell, or a formula with no saved value (and no inline string)."""
    value = elem.find(f"{_NS_MAIN}v")
    text = value.text if value is not None else None
    if elem.get("t") == "e":
        return CellProblem("excel-error", text or "#ERROR")
    formula = elem.find(f"{_NS_MAIN}f")
    if formula is None or text or elem.find(f"{_NS_MAIN}is") is not None:
        return None
    return CellProblem("formula-no-value", "=" + (formula.text or ""))


# Repeated empty rows and columns in .ods run to the sheet's end; cells past
# these bounds are never data, so the audit does not walk them one by one.
_ODS_MAX_ROWS = 1_048_576
_ODS_MAX_COLS = 16_384


def audit_ods(zf: zipfile.ZipFile) -> dict[str, SheetAudit]:
    """Per sheet: error cells, formulas without a value, and collapsed rows."""
    needles = (b"table:formula", b'table:visibility="collapse"', b"error")
    if not _chunks_have(Member(zf, "content.xml").chunks(), needles, None):
        return {}
    walk = _OdsWalk()
    with zf.open("content.xml") as fh:
        for event, elem in ElementTree.iterparse(fh, events=("start", "end")):
            if event == "start":
                walk.start(elem)
            else:
                walk.end(elem)
    return walk.out


_TABLE = f"{_NS_TABLE}table"
_ROW = f"{_NS_TABLE}table-row"
_CELLS = (f"{_NS_TABLE}table-cell", f"{_NS_TABLE}covered-table-cell")


def _repeat(elem: Any, attribute: str) -> int:
    return int(elem.get(f"{_NS_TABLE}{attribute}", "1") or 1)


class _OdsWalk:
    """Where the streaming parse is in content.xml (sheet, row, column), and what it found per sheet."""

    def __init__(self) -> None:
        self.out: dict[str, SheetAudit] = {}
        self.problems: dict[tuple[int, int], CellProblem] = {}
        self.hidden: set[int] = set()
        self.name = ""
        self.row = self.col = 0

    def start(self, elem: Any) -> None:
        if elem.tag == _TABLE:
            self.name, self.problems, self.hidden, self.row = elem.get(f"{_NS_TABLE}name", ""), {}, set(), 0
        elif elem.tag == _ROW:
            self.col = 0
            if elem.get(f"{_NS_TABLE}visibility") in ("collapse", "filter"):
                repeat = min(_repeat(elem, "number-rows-repeated"), 1000)
                self.hidden.update(range(self.row, self.row + repeat))

    def end(self, elem: Any) -> None:
        if elem.tag in _CELLS:
            self._cell(elem)
        elif elem.tag == _ROW:
            self.row = min(self.row + _repeat(elem, "number-rows-repeated"), _ODS_MAX_ROWS)
        elif elem.tag == _TABLE:
            self.out[self.name] = SheetAudit(self.problems, frozenset(self.hidden))
        else:
            return
        elem.clear()

    def _cell(self, elem: Any) -> None:
        repeat = _repeat(elem, "number-columns-repeated")
        formula = elem.get(f"{_NS_TABLE}formula")
        problem = _ods_problem(elem, formula) if formula is not None and repeat < 1000 else None
        if problem is not None:
            for j in range(self.col, self.col + repeat):
                self.problems[(self.row, j)] = problem
        self.col = min(self.col + repeat, _ODS_MAX_COLS)


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

    # xlrd prints its diagnostics ("WARNING *** file size ...") to a log file,
    # stdout by default; they are not findings, and stdout is the report's.
    book = xlrd.open_workbook(path, formatting_info=True, on_demand=True, logfile=io.StringIO())
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
