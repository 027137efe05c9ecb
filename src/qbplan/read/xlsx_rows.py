"""A few rows of an .xlsx sheet with their types, read from the sheet's XML as calamine gives them.

The bulk screen (qbplan.validate.screen) reads a large sheet as strings and
needs the types of its doubtful rows only: 40.5 is ``not-whole`` where the
text "40.5" is ``not-a-number``. Calamine gives types only by parsing the
whole sheet (1.3 s for 200k rows, 7-9 s for a million); finding the wanted
rows in the unpacked XML costs the unzip (0.2 s for 200k rows).

The values are exactly calamine's (python-calamine's ``iter_rows()``): a
number is a float, a shared or inline string its text, a boolean a bool, an
error or an empty cell "". A cell whose value this module would have to
convert as calamine does (a number in a date, time or duration format, a
string with a phonetic run, an ``_xHHHH_`` escape or a carriage return) is
given to calamine alone, in a workbook in memory that holds only such cells,
the file's styles and its date system: the sheet is still read once. Only
what cannot be cut out exactly (a prefixed element, a row or cell without its
reference) makes :func:`typed_rows` return None, and the caller asks
calamine for the whole sheet. A test compares the two on generated workbooks.
"""

from __future__ import annotations

import bisect
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from qbplan.model.cells import parse_ref
from qbplan.read.inflate import Checkpoint, Member
from qbplan.read.package import Package
from qbplan.read.sheet_xml import element_end, parse_in, root_tag

_STRINGS = "/sharedStrings"
_STYLES = "/styles"
_MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Built-in number formats that are not dates, times or durations (ECMA-376 18.8.30).
_PLAIN_FORMATS = frozenset({*range(0, 14), *range(37, 45), 48, 49})
# A custom format is plain when no letter of a date or time is left outside
# quoted text, escapes (\x, _x), brackets ([Red], [$-42A]; not [h], [mm],
# [ss], durations) and the word General, which LibreOffice writes as a custom
# format. Calamine looks at the same letters (and AM/PM); fewer is only slower.
_NOT_DATE = re.compile(r'"[^"]*"|[\\_].|\[(?![hmsHMS]+\])[^\]]*\]|(?i:general)')
_DATE_LETTERS = re.compile(r"[dmyhsDMYHSaApP]")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
# Text calamine may read otherwise than ElementTree: escapes it undoes
# (_x000D_), phonetic runs it skips, carriage returns XML would normalise.
_ODD_TEXT = (b"_x", b"<rPh", b"\r")
# A formula's text is never a value: "_xlfn." in it is no escape.
_FORMULA = re.compile(rb"<f\b[^>]*/>|<f\b[^>]*>.*?</f>", re.S)
_SST_ROOT = re.compile(rb"<sst\b[^>]*>")
_COUNTS = re.compile(rb'\s(?:count|uniqueCount)="[^"]*"')
_DATE1904 = re.compile(rb'date1904="(?:1|true)"')

# The text the sheet's one string read gave a cell (0-based row and column): a
# shared string's text as calamine reads it (fastexcel is calamine), so the
# doubtful rows need not unpack the shared strings table again.
CellTexts = Callable[[int, int], str]

# Rows of a sheet with their types, by 0-based row index, over the given
# columns (and, when the caller has them, the cells' texts): calamine's lines,
# or this module's when it is sure of them.
TypedLines = Callable[[Sequence[int], range, "CellTexts | None"], Mapping[int, list[Any]]]


class _Unsure(Exception):
    """A cell or row this reader might not read exactly as calamine: calamine reads it."""


_FIRST_ROW = re.compile(rb'<row r="([0-9]+)"')


@dataclass
class RowIndex:
    """Checkpoints in a sheet's XML, each with the number of the first row that starts after it.

    Filled by the cell audit's pass over the XML (:meth:`note`), so that the
    doubtful rows are unpacked from just before them, not from the start.
    """

    root: bytes = b""  # the sheet's root start tag, with its namespaces
    marks: dict[int, tuple[int, Checkpoint]] = field(default_factory=dict)  # unpacked offset -> (row, checkpoint)

    def note(self, mark: Checkpoint | None, chunk: bytes) -> None:
        """Keep ``mark`` with the first row element that starts in ``chunk`` (whole, its number closed)."""
        if mark is None:
            return
        if mark.out == 0:
            self.root = root_tag(chunk) or b""
        first = _FIRST_ROW.search(chunk)
        if first is not None:
            self.marks.setdefault(mark.out, (int(first.group(1)), mark))

    def starts(self, numbers: list[int]) -> dict[Checkpoint | None, list[int]]:
        """The wanted rows (1-based, ascending) grouped by the last checkpoint before each.

        Rows ascend in a sheet, so a row numbered at least a checkpoint's first
        row starts after that checkpoint. None: from the start of the XML.
        """
        ordered = sorted(self.marks.values(), key=lambda pair: pair[1].out)
        firsts = [row for row, _ in ordered]
        groups: dict[Checkpoint | None, list[int]] = {}
        for number in numbers:
            k = bisect.bisect_right(firsts, number) - 1
            groups.setdefault(ordered[k][1] if k >= 0 else None, []).append(number)
        return groups


@dataclass(frozen=True)
class XlsxSheet:
    """Where one sheet's cells, its workbook's shared strings and its styles are in the zip."""

    zf: zipfile.ZipFile
    sheet: str
    strings: str | None
    styles: str | None
    index: RowIndex = field(default_factory=RowIndex)
    workbook: str | None = None  # its date system (1900 or 1904) is calamine's to apply


def xlsx_sheet(zf: zipfile.ZipFile, sheet: str) -> XlsxSheet:
    """The parts :func:`typed_rows` reads for the sheet in zip member ``sheet``."""
    package = Package(zf)
    workbook = package.workbook() or "xl/workbook.xml"
    found: dict[str, str | None] = {_STRINGS: None, _STYLES: None}
    for kind, target in package.relationships(workbook).values():
        for suffix in found:
            if kind.endswith(suffix):
                found[suffix] = package.member(target)
    return XlsxSheet(zf, sheet, found[_STRINGS], found[_STYLES], workbook=package.member(workbook))


def typed_rows(
    parts: XlsxSheet, rows: Sequence[int], columns: range, texts: CellTexts | None = None
) -> dict[int, list[Any]] | None:
    """Rows (0-based) as calamine's lines over ``columns``, or None when calamine must read them.

    Each line is ``[None] * columns.start`` followed by one value per column
    of ``columns`` (the sheet's used range), as the row path's typed lines.
    ``texts`` gives a shared-string cell's text from the sheet's string read;
    without it the shared strings table is unpacked for them.
    """
    try:
        root, fragments = _row_fragments(parts, sorted(set(rows)))
        cells = {row: _cells(root, fragment, row) for row, fragment in fragments.items()}
        if texts is None:
            indices = {i for line in cells.values() for kind, i in line.values() if kind == "s"}
            table = _shared_strings(parts, indices)
            shared: Callable[[int, int, int], str | _Ask] = lambda _row, _col, i: table[i]  # noqa: E731
        else:
            shared = lambda row, col, _i: texts(row, col)  # noqa: E731
        plain = _plain_styles(parts)
        lines = {row: _line(row, line, columns, shared, plain) for row, line in cells.items()}
        return _ask_calamine(parts, root, lines)
    except (_Unsure, ElementTree.ParseError, ValueError, KeyError, IndexError, zipfile.BadZipFile, zlib.error, OSError):
        return None  # calamine reads the sheet, and says what is wrong with it if anything is


def _row_fragments(parts: XlsxSheet, numbers: list[int]) -> tuple[bytes, dict[int, bytes]]:
    """The sheet's root start tag, and each wanted row's ``<row …>…</row>`` element."""
    member = Member(parts.zf, parts.sheet)
    index = parts.index
    root = index.root
    if not root:
        # No pass has gone before (or its root was prefixed): from the start.
        index = RowIndex()
        root = root_tag(next(iter(member.chunks()), (None, b""))[1]) or b""
    if not root:
        raise _Unsure  # a prefixed root (<x:worksheet>): its rows are prefixed too
    out: dict[int, bytes] = {}
    for at, group in index.starts([n + 1 for n in numbers]).items():
        out.update(_find_rows(member.chunks(at), group))
    return root, {number - 1: fragment for number, fragment in out.items()}


def _find_rows(chunks: Iterator[tuple[Checkpoint | None, bytes]], numbers: list[int]) -> dict[int, bytes]:
    """Rows ``numbers`` (1-based, ascending) found in ``chunks``."""
    out: dict[int, bytes] = {}
    buf = b""
    pending = iter(numbers)
    wanted = next(pending, None)
    for _mark, chunk in chunks:
        buf += chunk
        while wanted is not None and (span := _row_span(buf, wanted)) is not None:
            out[wanted] = buf[span[0] : span[1]]
            buf = buf[span[1] :]
            wanted = next(pending, None)
        if wanted is None:
            return out
        # Keep a wanted row cut at the chunk's end, or what may start it.
        start = buf.find(b'<row r="%d"' % wanted)
        buf = buf[start:] if start >= 0 else buf[-64:]
    raise _Unsure  # a wanted row is not where its reference would say


def _row_span(buf: bytes, number: int) -> tuple[int, int] | None:
    """Where row ``number``'s whole element is in ``buf``, if it is there whole."""
    start = buf.find(b'<row r="%d"' % number)
    end = element_end(buf, start, b"row") if start >= 0 else None
    return None if end is None else (start, end)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _cells(root: bytes, fragment: bytes, row: int) -> dict[int, tuple[str, Any]]:
    """Column -> (kind, raw value) of one row element: "n" number text and style, "s" string index, "v" value.

    A cell with odd text in its value ("ask") is left to calamine: its element is cut out as written.
    """
    odd = _odd(fragment)
    element = parse_in(root, fragment)
    cells = [cell for cell in element if _local(cell.tag) == "c"]
    raw = _raw_cells(fragment) if odd else []
    if odd and len(raw) != len(cells):
        raise _Unsure  # a cell not cut out as parsed (a prefixed one)
    out: dict[int, tuple[str, Any]] = {}
    for k, cell in enumerate(cells):
        place = parse_ref(cell.get("r", ""))
        if place is None or place[0] != row or place[1] in out:
            raise _Unsure  # no reference (calamine counts), another row's, or given twice
        out[place[1]] = ("ask", _Ask(_unreferenced(raw[k]))) if odd and _odd(raw[k]) else _cell(cell)
    return out


_CELL = re.compile(rb"<c[\s/>]")
_REF = re.compile(rb'\sr="[^"]*"')


def _odd(xml: bytes) -> bool:
    """Whether a value in ``xml`` holds text calamine may read otherwise than ElementTree."""
    return any(odd in _FORMULA.sub(b"", xml) for odd in _ODD_TEXT)


def _raw_cells(fragment: bytes) -> list[bytes]:
    """Each ``<c>`` element of a row as written (text never holds a raw "<", so the search is exact)."""
    out = []
    for found in _CELL.finditer(fragment):
        end = element_end(fragment, found.start(), b"c")
        if end is None:
            raise _Unsure
        out.append(fragment[found.start() : end])
    return out


def _unreferenced(cell: bytes) -> bytes:
    """A ``<c …>…</c>`` element's attributes but its reference, and its body: what follows ``<c r="…"``."""
    close = cell.index(b">")
    if cell[close - 1 : close] == b"/" or not cell.endswith(b"</c>"):
        raise _Unsure  # an empty cell holds no odd text: a prefixed or odd element
    return _REF.sub(b"", cell[2:close], count=1) + cell[close:-4]


def _cell(cell: ElementTree.Element) -> tuple[str, Any]:
    children = {_local(child.tag): child for child in cell}
    kind = cell.get("t", "n")
    text = _value_text(children.get("v"))
    if "is" in children or kind == "inlineStr":
        return _inline(children, kind, text)
    if kind not in _KINDS:
        raise _Unsure  # an ISO date (t="d"), an unknown type
    if text is None or kind == "e":
        return "v", ""  # empty, a formula never calculated, an error: calamine's ""
    return _KINDS[kind](text, cell.get("s", "0"))


def _value_text(value: ElementTree.Element | None) -> str | None:
    """The text of a cell's ``<v>``: None without one, "" for an empty one."""
    return None if value is None else value.text or ""


def _inline(children: dict[str, ElementTree.Element], kind: str, text: str | None) -> tuple[str, Any]:
    """A cell marked as an inline string holding only its ``<is>``, or nothing."""
    if kind != "inlineStr" or text is not None:
        raise _Unsure  # an inline string not marked as one, or a value where its <is> should be
    return "v", _string(children["is"]) if "is" in children else ""


def _number(text: str, style: str) -> tuple[str, Any]:
    if not _NUMBER.fullmatch(text):
        raise _Unsure
    return "n", (text, int(style))


def _index(text: str, _style: str) -> tuple[str, Any]:
    return "s", int(text)


def _text(text: str, _style: str) -> tuple[str, Any]:
    return "v", text


def _boolean(text: str, _style: str) -> tuple[str, Any]:
    if text not in ("0", "1"):
        raise _Unsure
    return "v", text == "1"


_KINDS = {"n": _number, "s": _index, "str": _text, "b": _boolean, "e": _text}


def _string(element: ElementTree.Element) -> str:
    """The text of an ``<si>`` or ``<is>``: its ``<t>``, or its rich runs' ``<t>`` joined."""
    runs = _children(element, "r")
    texts = [t for run in runs for t in _children(run, "t")] if runs else _children(element, "t")
    if len(texts) > 1 and not runs:
        raise _Unsure  # calamine would keep the first only
    return "".join(_t_text(t) for t in texts)


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _t_text(t: ElementTree.Element) -> str:
    """A ``<t>``'s text as calamine (and Excel) read it: trimmed of ASCII whitespace unless xml:space="preserve"."""
    text = t.text or ""
    return text if t.get(_XML_SPACE) == "preserve" else text.strip(" \t\r\n")


def _children(parent: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [child for child in parent if _local(child.tag) == name]


@dataclass(frozen=True)
class _Ask:
    """A cell left to calamine: its ``<c>`` (referenced later) and, for a shared string, its ``<si>``."""

    cell: bytes  # the cell element's attributes and body, without r=
    item: bytes = b""  # the shared string item, with the string table's root tag before it


def _shared_strings(parts: XlsxSheet, wanted: set[int]) -> dict[int, str | _Ask]:
    if not wanted:
        return {}
    if parts.strings is None:
        raise _Unsure
    data = parts.zf.read(parts.strings)
    if b"<si " in data or b"<si/>" in data or b":si>" in data:
        raise _Unsure  # attributes, empty or prefixed items: counting "<si>" would be wrong
    items = data.split(b"<si>", max(wanted) + 1)
    root = _SST_ROOT.search(items[0])
    if root is None:
        raise _Unsure  # a prefixed string table
    return {index: _shared_item(items[index + 1], root.group()) for index in wanted}


def _shared_item(piece: bytes, root: bytes) -> str | _Ask:
    """The text of the ``<si>`` whose body starts ``piece``; calamine reads one with odd text."""
    body = piece[: piece.index(b"</si>")]
    if any(odd in body for odd in _ODD_TEXT):
        return _Ask(b' t="s"><v>{index}</v>', root + b"<si>" + body + b"</si>")
    return _string(ElementTree.fromstring(b"<si>" + body + b"</si>"))


def _plain_styles(parts: XlsxSheet) -> frozenset[int]:
    """The cell style indices whose number format is certainly not a date, time or duration."""
    if parts.styles is None:
        return frozenset({0})
    root = ElementTree.fromstring(parts.zf.read(parts.styles))
    parts_by_name = {_local(element.tag): element for element in root}
    # The last of each, as a reader that overwrites on each element keeps.
    custom = {int(f.get("numFmtId", "-1")): f.get("formatCode", "") for f in parts_by_name.get("numFmts", ())}
    xfs = [int(xf.get("numFmtId", "0")) for xf in parts_by_name.get("cellXfs", ())]
    return frozenset(i for i, fmt in enumerate(xfs) if _plain_format(fmt, custom))


def _plain_format(fmt: int, custom: dict[int, str]) -> bool:
    if fmt in custom:
        return not _DATE_LETTERS.search(_NOT_DATE.sub("", custom[fmt]))
    return fmt in _PLAIN_FORMATS


def _line(
    row: int,
    cells: dict[int, tuple[str, Any]],
    columns: range,
    shared: Callable[[int, int, int], str | _Ask],
    plain: frozenset[int],
) -> list[Any]:
    line: list[Any] = [None] * columns.start + [""] * len(columns)
    for col, (kind, value) in cells.items():
        if col in columns:
            line[col] = shared(row, col, value) if kind == "s" else _value(kind, value, plain)
        elif kind != "v" or value != "":
            raise _Unsure  # outside the range calamine reads (an empty cell does not widen it)
    return line


def _value(kind: str, value: Any, plain: frozenset[int]) -> Any:
    """A cell's value as calamine gives it (a shared string's is looked up apart): a plain style's number, the value.

    A number in a date, time or duration format is left to calamine (:func:`_ask_calamine`).
    """
    if kind != "n":
        return value  # a value, or an _Ask
    number, style = value
    if style not in plain:
        return _Ask(b' s="%d"><v>%s</v>' % (style, number.encode("ascii")))
    return float(number)


def _ask_calamine(parts: XlsxSheet, root: bytes, lines: dict[int, list[Any]]) -> dict[int, list[Any]]:
    """``lines`` with each cell left to calamine (an :class:`_Ask`) read by it.

    Calamine reads a workbook in memory holding only those cells, one a row,
    with the file's own styles and date system: what it gives is what it would
    give reading the whole sheet, at the cost of a few cells.
    """
    asked = [(row, j) for row, line in lines.items() for j, value in enumerate(line) if isinstance(value, _Ask)]
    if not asked:
        return lines
    import io

    import python_calamine  # deferred: a worker that reads no such cell does not load it

    cells: list[bytes] = []
    items: list[bytes] = []
    for k, (row, j) in enumerate(asked, start=1):
        ask: _Ask = lines[row][j]
        cell = ask.cell.replace(b"{index}", b"%d" % len(items)) if ask.item else ask.cell
        if ask.item:
            items.append(ask.item)
        cells.append(b'<row r="%d"><c r="A%d"%s</c></row>' % (k, k, cell))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for name, data in _memory_book(parts, root, cells, items).items():
            out.writestr(name, data)
    buf.seek(0)
    try:
        read = (
            python_calamine.CalamineWorkbook.from_filelike(buf).get_sheet_by_index(0).to_python(skip_empty_area=False)
        )
    except BaseException as exc:  # a Rust panic is a BaseException: calamine reads the sheet
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise _Unsure from None
    for k, (row, j) in enumerate(asked):
        lines[row][j] = read[k][0]
    return lines


_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/styles.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
_REL = b'<Relationship Id="%s" Type="http://schemas.openxmlformats.org/%s" Target="%s"/>'
_RELS = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>'


def _memory_book(parts: XlsxSheet, root: bytes, cells: list[bytes], items: list[bytes]) -> dict[str, bytes]:
    """A one-sheet workbook's parts: ``cells`` in the sheet's own root tag, the file's styles and date system."""
    date1904 = parts.workbook is not None and _DATE1904.search(parts.zf.read(parts.workbook)) is not None
    office = b"officeDocument/2006/relationships/"
    book = (
        b'<workbook xmlns="%s" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'%s<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ) % (_MAIN_NS, b'<workbookPr date1904="1"/>' if date1904 else b"")
    strings = b"".join(item[item.index(b"<si>") :] for item in items)
    sst_root = _COUNTS.sub(b"", items[0][: items[0].index(b"<si>")]) if items else b'<sst xmlns="%s">' % _MAIN_NS
    book_rels = [
        _REL % (b"rId1", office + b"worksheet", b"worksheets/sheet1.xml"),
        _REL % (b"rId2", office + b"sharedStrings", b"sharedStrings.xml"),
    ]
    out = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _RELS % (_REL % (b"rId1", office + b"officeDocument", b"xl/workbook.xml")),
        "xl/workbook.xml": book,
        # The sheet's own root tag: its namespaces are those the cells were written in.
        "xl/worksheets/sheet1.xml": root + b"<sheetData>%s</sheetData></worksheet>" % b"".join(cells),
        "xl/sharedStrings.xml": sst_root + strings + b"</sst>",
    }
    if parts.styles is not None:
        book_rels.append(_REL % (b"rId3", office + b"styles", b"styles.xml"))
        out["xl/styles.xml"] = parts.zf.read(parts.styles)
    out["xl/_rels/workbook.xml.rels"] = _RELS % b"".join(book_rels)
    return out
