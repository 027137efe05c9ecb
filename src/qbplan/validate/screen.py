"""The columnar path for large sheets: fastexcel (Rust, to Arrow) and vectorised checks.

The row path (calamine to Python lists, one Pydantic row model per row) costs
about 60 µs a row; a million-row agency sheet would take a minute. Here the
sheet is read once by fastexcel as Arrow string columns, the header and the
rows under it are found with the row path's own functions on the top rows,
and every data cell is checked in bulk with pyarrow compute.

The fast path only ever *accepts* a sheet whose rows are all plainly valid
data: integers written as digits, yes/no and enum values from the known
spellings, text that is already clean, unique keys unique, ``le`` rules
kept. At the first thing it cannot prove equal to the row path's outcome (an
invalid or odd cell, a totals or section row, an Excel error cell, a
date-looking text) it returns None, and the sheet is read by the row path,
which gives every finding exactly. So findings and numbers never depend on
which path ran; a test runs both on the same inputs.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from typing import Any

from qbplan.config.targets import Sheet
from qbplan.layout.header import HEADER_SCAN_ROWS, find_header, start_table
from qbplan.layout.rows import leading_rows
from qbplan.layout.table import Header, SheetTable
from qbplan.read.probe import SheetAudit
from qbplan.textnorm import fold

# Sheets whose XML unpacks to less than this go the row path: for them it is
# as fast, and it does not import pyarrow.
FAST_MIN_BYTES = 16 * 1024 * 1024
# Every character Python's re treats as \s, and the BOM that textnorm.clean()
# deletes. A value with no odd space, no leading, trailing or doubled space,
# already in NFC, is left unchanged by clean().
_ODD = (
    r"\t\n\x{0b}\x{0c}\r\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}"
    r"\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}"
)
_UNCLEAN = rf"^ | $|  |[{_ODD}]"
_DIGITS = r"^[0-9]{1,15}$"  # exact as int64 and as a float Excel saved
_DATE_OR_FLOAT = r"^-?[0-9]+[.][0-9]+$|^-?[0-9.]+[eE]|^[0-9]{4}-[0-9]{2}-[0-9]{2}"
_SECTION_NUMBER = r"^(?:[IVXLC]+|[A-Z])[.)]?$"
_LAYOUT_WORDS = ("tổng", "cộng", "tong")


def is_large(zf: zipfile.ZipFile, member: str) -> bool:
    """Whether an .xlsx sheet is big enough for the columnar path."""
    try:
        return zf.getinfo(member).file_size >= FAST_MIN_BYTES
    except KeyError:
        return False


def available() -> bool:
    """Whether fastexcel and pyarrow are importable."""
    try:
        import fastexcel  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def read_sheet(
    path: str,
    reader: Callable[[], Any],
    name: str,
    spec: Sheet,
    get_audit: Callable[[], SheetAudit],
    hidden: bool,
    header: Header | None,
) -> SheetTable | None:
    """The sheet as a validated table (``frame`` set), or None for the row path.

    ``reader()`` gives the workbook's fastexcel reader, opened once per file
    (opening parses every shared string). ``get_audit`` gives the sheet's
    cell audit (it may still be running).
    Raises the same :class:`~qbplan.errors.InputError` as the row path for a
    sheet without a header or lacking a required column.
    """
    try:
        sheet = reader().load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
        arrow = sheet.to_arrow()
        absolute = [c.absolute_index for c in sheet.available_columns()]
    except Exception:  # noqa: BLE001 - anything fastexcel dislikes, the row path reports exactly
        return None
    audit = get_audit()
    if audit.problems:
        return None  # Excel errors and unsaved formulas: findings, row path
    width = max(absolute, default=-1) + 1
    by_index = {j: arrow.column(k) for k, j in enumerate(absolute)}
    top = [[None] * width for _ in range(min(arrow.num_rows, HEADER_SCAN_ROWS + 4))]
    for j, column in by_index.items():
        for i, value in enumerate(column.slice(0, len(top)).to_pylist()):
            top[i][j] = value
    found = header or find_header(spec, top)
    table, found = start_table(path, name, spec, top, (0, 0), hidden, found)
    first = leading_rows(table, top, found.index + found.span)
    if first >= len(top) and arrow.num_rows > len(top):
        return None  # header rows run past what was looked at
    return _validate(table, spec, by_index, arrow.num_rows, first, audit)


def _validate(
    table: SheetTable,
    spec: Sheet,
    by_index: dict[int, Any],
    num_rows: int,
    first: int,
    audit: SheetAudit,
) -> SheetTable | None:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    n = num_rows - first
    null = pa.nulls(n, pa.string())
    cells: dict[str, Any] = {}
    blank_cells: dict[str, Any] = {}
    for col in spec.columns:
        j = table.col_index.get(col.key)
        values = by_index[j].slice(first) if j is not None and j in by_index else null
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        # Whitespace-only text is blank, as in the row path; such cells are
        # rare, so the (allocating) replacement runs only when there is one.
        spaces = pc.match_substring_regex(values, r"^\s*$")
        if pc.any(spaces).as_py():
            values = pc.if_else(spaces, None, values)
        cells[col.key] = values
        blank_cells[col.key] = pc.is_null(values)
    blank = np.logical_and.reduce([m.to_numpy(zero_copy_only=False) for m in blank_cells.values()])
    frame_rows = np.flatnonzero(~blank)

    every_row = len(frame_rows) == n

    def take(values: Any) -> Any:
        if every_row:
            return values  # no blank row to leave out: no copy
        return values.take(pa.array(frame_rows))

    ident = [c for c in spec.columns if c.unique and c.key in table.col_index]
    if ident:
        has_ident = np.logical_or.reduce([~blank_cells[c.key].to_numpy(zero_copy_only=False) for c in ident])
        if not has_ident[frame_rows].all():
            return None  # rows without a code: sections, totals, sign-off, or errors
        key = take(cells[ident[0].key])
        lowered = pc.utf8_lower(pc.utf8_normalize(pc.utf8_trim_whitespace(key), "NFC"))
        if any(pc.any(pc.starts_with(lowered, word)).as_py() for word in _LAYOUT_WORDS):
            return None  # maybe a totals row keyed by district name
    else:
        return None  # nothing tells data rows from layout rows in bulk
    stt = by_index.get(0)
    if stt is not None and 0 not in set(table.col_index.values()):
        marks = pc.match_substring_regex(take(stt.slice(first)), _SECTION_NUMBER)
        if pc.any(marks).as_py():
            return None  # numbered section rows

    columns: dict[str, Any] = {}
    for col in spec.columns:
        values = take(cells[col.key])
        missing = pc.is_null(values)
        if pc.any(missing).as_py() and (col.required or col.type != "text"):
            return None  # a blank required cell is a finding; optional blanks only for text
        if col.type == "int":
            if not pc.all(pc.match_substring_regex(values, _DIGITS)).as_py():
                return None
            columns[col.key] = pc.cast(values, pa.int64()).to_numpy()
        elif col.type in ("yesno", "enum"):
            mapped = _map_words(col, values, pc)
            if mapped is None:
                return None
            columns[col.key] = mapped
        else:
            if not _already_clean(values, pc):
                return None
            columns[col.key] = pd.array(values, dtype=pd.ArrowDtype(pa.string()))
    frame = pd.DataFrame(columns)
    if not _rules_hold(spec, frame) or not _unique_holds(spec, frame):
        return None
    excel_rows = frame_rows + first + 1
    frame["__row"] = excel_rows.astype("int64")
    table.frame = frame
    table.blank_rows += int(blank.sum())
    if audit.hidden_rows:
        hidden = {r + 1 for r in audit.hidden_rows}
        table.hidden_rows = [int(r) for r in excel_rows if int(r) in hidden]
    return table


def _map_words(col: Any, values: Any, pc: Any) -> Any:
    """yes/no or enum strings to their parsed values, through the row path's parser per distinct value."""
    import numpy as np
    import pandas as pd
    from pydantic_core import PydanticCustomError

    from qbplan.validate.parsers import column_parser

    parse = column_parser(col)
    encoded = pc.dictionary_encode(values)
    words = encoded.dictionary.to_pylist()
    try:
        parsed = [parse(word) for word in words]
    except PydanticCustomError:
        return None
    indices = encoded.indices.to_numpy()
    if col.type == "yesno":
        return np.array(parsed, dtype=bool)[indices]
    # Enum keys as a categorical: a few distinct keys over many rows (a label
    # and its key, "Tỉnh" and "tinh", both map to "tinh").
    categories = list(dict.fromkeys(parsed))
    remap = np.array([categories.index(p) for p in parsed], dtype="int64")
    return pd.Categorical.from_codes(remap[indices], categories=pd.Index(categories))


def _already_clean(values: Any, pc: Any) -> bool:
    """Whether textnorm.clean() and parse_text() leave every value as it is."""
    if pc.any(pc.not_equal(pc.utf8_normalize(values, "NFC"), values)).as_py():
        return False
    if pc.any(pc.match_substring_regex(values, _UNCLEAN)).as_py():
        return False
    # fastexcel writes numbers and dates its own way ("0.0000001", "2025-01-02
    # 00:00:00"); the row path writes str(float) and ISO dates. Leave them to it.
    return not pc.any(pc.match_substring_regex(values, _DATE_OR_FLOAT)).as_py()


def _rules_hold(spec: Sheet, frame: Any) -> bool:
    for col in spec.columns:
        if not col.le:
            continue
        limit = sum(frame[ref] for ref in col.le)
        values = frame[col.key]
        if values.dtype == object or any(frame[ref].dtype == object for ref in col.le):
            return False  # optional int columns with blanks: row path
        if (values > limit).any():
            return False
    return True


def _unique_holds(spec: Sheet, frame: Any) -> bool:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    for col in spec.columns:
        if not col.unique:
            continue
        series = frame[col.key]
        values = pa.array(series) if isinstance(series.dtype, pd.ArrowDtype) else pa.array(series, from_pandas=True)
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        values = values.drop_null()
        if not pa.types.is_string(values.type):
            return False  # unique codes that are not text: the row path decides
        if pc.all(pc.string_is_ascii(values)).as_py():
            # For clean ASCII text, fold() is lower(): no diacritics to strip.
            folded = pc.utf8_lower(values)
            if pc.count_distinct(folded).as_py() != len(folded):
                return False
        elif len({fold(v) for v in values.to_pylist()}) != len(values):
            return False
    return True
