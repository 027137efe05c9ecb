"""The bulk screen for large sheets: fastexcel (Rust, to Arrow) and vectorised checks, row by row.

The row path (calamine to Python lists, one Pydantic row model per row) costs
about 60 µs a row; a million-row agency sheet would take a minute. Here the
sheet comes read once by fastexcel as Arrow string columns
(qbplan.read.large), the header and the rows under it are found with the
layout stage's own functions on the top rows, and every data cell is
screened in bulk with pyarrow compute, two columns at a time.

The screen only ever says "certainly valid": a row is *plain* when every cell
is plainly valid data (integers written as digits, yes/no and enum values
that the row model's own parser accepts, text that is already clean), its key
is present and not repeated, and its ``le`` rules hold. Every other row (an
invalid or odd cell, an Excel error, a totals, section or sign-off row, a
repeated key) is *doubtful*: it is read again with its types (from the sheet
XML for those rows alone, qbplan.read.xlsx_rows, else by calamine) and goes
through the layout stage and the one row model, which give every finding
exactly. So a bad cell costs its row, not its sheet, and findings and numbers
never depend on the screen; tests run every sheet both ways.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic_core import PydanticCustomError

from qbplan.config.targets import Column, Sheet
from qbplan.layout.header import HEADER_SCAN_ROWS, find_header, start_table
from qbplan.layout.rows import leading_rows, read_sparse
from qbplan.layout.table import Header, SheetTable
from qbplan.model.audit import SheetAudit
from qbplan.model.valid import ValidRows
from qbplan.read.large import StringGrid
from qbplan.read.xlsx_rows import TypedLines
from qbplan.textnorm import fold
from qbplan.validate.parsers import column_parser

# Every character Python's re treats as \s, and the BOM that textnorm.clean()
# deletes. A value with no odd space, no leading, trailing or doubled space,
# already in NFC, is left unchanged by clean().
_ODD = (
    r"\t\n\x{0b}\x{0c}\r\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}"
    r"\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}"
)
_UNCLEAN = rf"^ | $|  |[{_ODD}]"
_DIGITS = r"^[0-9]{1,15}$"  # exact as int64 and as a float Excel saved
# fastexcel writes numbers and dates its own way ("0.0000001", "2025-01-02
# 00:00:00"); the row path writes str(float) and ISO dates. Leave them to it.
_DATE_OR_FLOAT = r"^-?[0-9]+[.][0-9]+$|^-?[0-9.]+[eE]|^[0-9]{4}-[0-9]{2}-[0-9]{2}"
_SECTION_NUMBER = r"^(?:[IVXLC]+|[A-Z])[.)]?$"
_LAYOUT_WORDS = ("tổng", "cộng", "tong")

# Typed rows (qbplan.read.xlsx_rows.TypedLines) over the sheet's own columns.
_Lines = Callable[[Sequence[int]], Mapping[int, list[Any]]]


def read_sheet(
    path: str,
    grid: StringGrid,
    name: str,
    spec: Sheet,
    get_audit: Callable[[], SheetAudit],
    hidden: bool,
    typed_lines: TypedLines,
) -> SheetTable | None:
    """The sheet as a table: plain rows screened into ``screened``, doubtful rows laid out in ``rows``.

    ``grid`` is the sheet read as strings. ``get_audit`` gives the sheet's
    cell probe (it may still be running). ``typed_lines`` reads rows with
    their types, for the doubtful ones. Returns None when the header rows run
    past the top: the row path reads the sheet. Raises the same
    :class:`~qbplan.errors.InputError` as the row path for a sheet without a
    header or lacking a required column.
    """
    # Room under a header found on the last row scanned: its second row, a row of column numbers.
    top = grid.top(HEADER_SCAN_ROWS + 4)
    found: Header | None = find_header(spec, top)
    table, found = start_table(path, name, spec, top, (0, 0), hidden, found)
    first = leading_rows(table, top, found.index + found.span)
    if first >= len(top) and grid.num_rows > len(top):
        return None  # header rows run past what was looked at
    audit = get_audit()
    screened = _Screen(table, grid, first, audit).run()
    # The doubtful rows' shared strings come from this one read, not from unpacking the strings table again.
    return screened.finish(table, lambda rows: typed_lines(rows, grid.used, grid.text), audit)


@dataclass
class _Screened:
    """Which rows under the header are plain (with their parsed values), blank or doubtful."""

    first: int  # grid index of the first row screened
    plain: Any  # bool mask over the screened rows
    blank: Any  # bool mask
    parsed: dict[str, Any]  # column key -> parsed values over all screened rows
    keys: dict[str, Any]  # unique column key -> folded key text over all screened rows

    def finish(self, table: SheetTable, typed_lines: _Lines, audit: SheetAudit) -> SheetTable:
        """A new table: the layout stage's, with the doubtful rows laid out, and the plain rows in ``screened``."""
        lines = self._doubtful(table, typed_lines)
        plain = np.flatnonzero(self.plain)
        excel_rows = (plain + self.first + 1).astype("int64")
        if lines:
            # The layout stage reads the doubtful rows into its own table, as it reads any sheet.
            read_sparse(table, lines, [int(i) + self.first for i in plain], audit)
        hidden = {r + 1 for r in audit.hidden_rows}
        screened_hidden = [int(r) for r in excel_rows if int(r) in hidden] if hidden else []
        return dataclasses.replace(
            table,
            screened=ValidRows({key: _take(values, plain) for key, values in self.parsed.items()}, excel_rows),
            blank_rows=table.blank_rows + int(self.blank.sum()),
            hidden_rows=sorted([*table.hidden_rows, *screened_hidden]),
        )

    def _doubtful(self, table: SheetTable, typed_lines: _Lines) -> dict[int, list[Any]]:
        """The typed lines of the rows the screen could not vouch for, and of plain rows repeating their keys."""
        doubtful = np.flatnonzero(~self.plain & ~self.blank)
        if not len(doubtful):
            return {}
        lines = dict(typed_lines([int(i) + self.first for i in doubtful]))
        self._demote_repeats(table, lines, typed_lines)
        return lines

    def _demote_repeats(self, table: SheetTable, lines: dict[int, list[Any]], typed_lines: _Lines) -> None:
        """A plain row whose key a doubtful row also gives is doubtful too: the row model decides who is first."""
        for key, folded in self.keys.items():
            taken = _taken(table, key, lines)
            clash = self.plain & np.isin(folded, np.array(sorted(taken), dtype=object))
            rows = [int(i) + self.first for i in np.flatnonzero(clash)]
            if rows:
                lines.update(typed_lines(rows))
                self.plain &= ~clash


def _taken(table: SheetTable, key: str, lines: dict[int, list[Any]]) -> set[Any]:
    """The folded keys of unique column ``key`` that the doubtful ``lines`` give."""
    parse = column_parser(table.spec.column(key))  # type: ignore[arg-type]
    j = table.col_index[key]
    return {_folded(parse, line[j] if j < len(line) else None) for line in lines.values()} - {None}


def _folded(parse: Callable[[Any], Any], value: Any) -> Any:
    try:
        parsed = parse(value)
    except PydanticCustomError:
        return None
    return fold(parsed) if isinstance(parsed, str) else parsed


def _take(values: Any, rows: Any) -> Any:
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return pd.array(values.take(pa.array(rows)), dtype=pd.ArrowDtype(pa.string()))
    if isinstance(values, pd.Categorical):
        return values.take(rows)
    return values[rows]


class _Screen:
    """The bulk checks of one sheet, each a boolean mask over the rows under the header."""

    def __init__(self, table: SheetTable, grid: StringGrid, first: int, audit: SheetAudit) -> None:
        self.table = table
        self.spec = table.spec
        self.first = first
        self.n = max(0, grid.num_rows - first)
        self.grid = grid
        self.audit = audit
        null = pa.nulls(self.n, pa.string())
        sliced = {}
        for col in self.spec.columns:
            j = table.col_index.get(col.key)
            sliced[col.key] = grid.columns[j].slice(first) if j is not None and j in grid.columns else null
        blanked = _each(lambda values: _blank_spaces(_chunk(values)), sliced.values())
        self.cells: dict[str, Any] = dict(zip(sliced, blanked, strict=True))
        self.missing = {key: pc.is_null(values).to_numpy(zero_copy_only=False) for key, values in self.cells.items()}

    def run(self) -> _Screened:
        """Screen every row."""
        blank = np.logical_and.reduce(list(self.missing.values())) if self.missing else np.ones(self.n, bool)
        # A row blank in the form's columns but with text elsewhere may be a
        # sign-off line: the layout stage decides, so it is not blank here.
        blank &= ~self._text_elsewhere()
        plain = ~blank & self._layout_free() & self._no_problem_cells()
        parsed: dict[str, Any] = {}
        for col, (ok, values) in zip(self.spec.columns, _each(self._column, self.spec.columns), strict=True):
            plain &= ok
            parsed[col.key] = values
        plain &= self._rules_hold(parsed) & self._consistent(parsed)
        keys = self._keys(blank)
        for folded in keys.values():
            plain &= ~_repeated(folded, blank)
        return _Screened(self.first, plain, blank, parsed, keys)

    def _text_elsewhere(self) -> Any:
        mapped = set(self.table.col_index.values())
        found = np.zeros(self.n, bool)
        for j, column in self.grid.columns.items():
            if j not in mapped:
                found |= ~pc.is_null(_blank_spaces(_chunk(column.slice(self.first)))).to_numpy(zero_copy_only=False)
        return found

    def _layout_free(self) -> Any:
        """Rows that are certainly not layout: a key is given, not "Tổng …", and no section number in the STT."""
        ident = [c for c in self.spec.columns if c.unique and c.key in self.table.col_index]
        if not ident:
            return np.zeros(self.n, bool)  # nothing tells data rows from layout rows in bulk
        ok = ~self.missing[ident[0].key]
        for col in ident[1:]:
            ok |= ~self.missing[col.key]
        lowered = pc.utf8_lower(pc.utf8_normalize(pc.utf8_trim_whitespace(self.cells[ident[0].key]), "NFC"))
        for word in _LAYOUT_WORDS:
            ok &= ~_mask(pc.starts_with(lowered, word))
        return ok & ~self._numbered()

    def _numbered(self) -> Any:
        """Rows whose STT cell, left of the form's columns, numbers a section ("I", "B.")."""
        stt = self.grid.columns.get(0)
        if stt is None or 0 in set(self.table.col_index.values()):
            return np.zeros(self.n, bool)
        return _mask(pc.match_substring_regex(_chunk(stt.slice(self.first)), _SECTION_NUMBER))

    def _no_problem_cells(self) -> Any:
        """Rows with no Excel error or unsaved formula in a form column."""
        ok = np.ones(self.n, bool)
        mapped = set(self.table.col_index.values())
        for row, col in self.audit.problems:
            if col in mapped and 0 <= row - self.first < self.n:
                ok[row - self.first] = False
        return ok

    def _column(self, col: Column) -> tuple[Any, Any]:
        """(plainly valid mask, parsed values) of one column."""
        values = self.cells[col.key]
        missing = self.missing[col.key]
        if col.type == "int":
            ok = _mask(pc.match_substring_regex(values, _DIGITS))
            digits = pc.if_else(pa.array(ok), values, pa.scalar("0"))
            return ok, pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
        if col.type in ("yesno", "enum"):
            return _words(col, values)
        # Optional text may be blank; the row path gives None, as the frame does.
        clean = ~_mask(pc.match_substring_regex(values, _UNCLEAN))
        clean &= _mask(pc.equal(pc.utf8_normalize(values, "NFC"), values))
        clean &= ~_mask(pc.match_substring_regex(values, _DATE_OR_FLOAT))
        return (clean | (missing & (not col.required))), values

    def _rules_hold(self, parsed: dict[str, Any]) -> Any:
        """The ``le`` rule on parsed integers (rows whose cells are not plain are doubtful anyway)."""
        ok = np.ones(self.n, bool)
        for col in self.spec.columns:
            if col.le:
                # At most 15 digits a cell: a sum of a few stays exact in int64.
                limit = np.sum([parsed[ref] for ref in col.le], axis=0)
                ok &= parsed[col.key] <= limit
        return ok

    def _consistent(self, parsed: dict[str, Any]) -> Any:
        """Rows that keep targets.yaml's consistency rules (the row model reports the others)."""
        ok = np.ones(self.n, bool)
        for rule in self.spec.rules:
            applies = np.logical_and.reduce([_isin(parsed[k], allowed) for k, allowed in rule.when.items()])
            kept = np.logical_and.reduce([_isin(parsed[k], allowed) for k, allowed in rule.require.items()])
            ok &= ~applies | kept
        return ok

    def _keys(self, blank: Any) -> dict[str, Any]:
        """Each unique column's keys, folded as the row model compares them (None where blank)."""
        out = {}
        for col in self.spec.columns:
            if not col.unique:
                continue
            values = self.cells[col.key]
            if pc.all(pc.string_is_ascii(values)).as_py() in (True, None):
                # For clean ASCII text fold() is lower(); trimming keeps "T001 " next to "T001".
                folded = pc.utf8_lower(pc.utf8_trim_whitespace(values)).to_numpy(zero_copy_only=False)
            else:
                folded = np.array([None if v is None else fold(v) for v in values.to_pylist()], dtype=object)
            out[col.key] = folded
        return out


def _each(func: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
    """``func`` over ``items`` on two threads: Arrow's kernels release the GIL, so columns screen side by side."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(func, items))


def _isin(values: Any, allowed: list[str]) -> Any:
    return pd.Series(values).isin(allowed).to_numpy()


def _chunk(values: Any) -> Any:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _blank_spaces(values: Any) -> Any:
    # Whitespace-only text is blank, as in the row path; such cells are rare,
    # so the (allocating) replacement runs only when there is one.
    spaces = pc.match_substring_regex(values, r"^\s*$")
    return pc.if_else(spaces, None, values) if pc.any(spaces).as_py() else values


def _mask(result: Any) -> Any:
    """A pyarrow boolean result as a numpy mask, null as False."""
    return pc.fill_null(result, False).to_numpy(zero_copy_only=False)


def _repeated(folded: Any, blank: Any) -> Any:
    """Rows whose key another non-blank row also gives (all of them: the row model picks the first)."""
    series = pd.Series(folded, dtype=object)
    present = series.notna().to_numpy() & ~blank
    return series.duplicated(keep=False).to_numpy() & present


def _words(col: Column, values: Any) -> tuple[Any, Any]:
    """yes/no or enum cells through the row model's own parser, once per distinct spelling."""
    encoded = pc.dictionary_encode(values)
    words = encoded.dictionary.to_pylist()
    parsed, good = _parse_words(column_parser(col), words)
    indices = pc.fill_null(encoded.indices, len(words)).to_numpy(zero_copy_only=False)
    ok = good[indices]
    if col.type == "yesno":
        return ok, np.array([bool(p) for p in parsed] + [False], dtype=bool)[indices]
    return ok, _categorical(parsed, indices)


def _parse_words(parse: Callable[[Any], Any], words: list[Any]) -> tuple[list[Any], Any]:
    """Each distinct spelling parsed (None when refused), and a mask of those that parsed plus a blank slot."""
    parsed: list[Any] = []
    good = np.zeros(len(words) + 1, bool)  # the last slot stands for a blank cell
    for k, word in enumerate(words):
        try:
            parsed.append(parse(word))
            good[k] = True
        except PydanticCustomError:
            parsed.append(None)
    return parsed, good


def _categorical(parsed: list[Any], indices: Any) -> Any:
    """Enum keys as a categorical: a few distinct keys over many rows.

    A label and its key ("Tỉnh" and "tinh") both map to "tinh".
    """
    categories = list(dict.fromkeys(p for p in parsed if p is not None)) or ["?"]
    remap = np.array([categories.index(p) if p is not None else 0 for p in parsed] + [0], dtype="int64")
    return pd.Categorical.from_codes(remap[indices], categories=pd.Index(categories))
