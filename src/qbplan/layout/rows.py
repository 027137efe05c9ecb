"""Layout: from a sheet's grid to its header and its data rows.

Administrative workbooks are read as people make them: title and motto rows
above the header, two-row headers with merged group cells, a column-number
row, section, total and subtotal rows, and the sign-off block. Layout rows are
never data; each is counted by kind, and totals are kept to be checked.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from typing import Any

from qbplan.config.targets import Sheet
from qbplan.layout.header import header_lookup, header_map, is_blank, start_table
from qbplan.layout.table import Header, SheetTable, TotalsRow
from qbplan.model.audit import SheetAudit
from qbplan.textnorm import NO, YES, clean, fold

# --- layout: header rows, column numbers, sections, totals, sign-off --------

# Text that marks a row as a total. Matched on the lower-cased NFC text, with
# diacritics: "Cộng" is a total, "Công ty" is not. Without diacritics only the
# unambiguous two-word forms are accepted.
_TOTAL_RE = re.compile(
    r"^(?:tổng\s+cộng|tổng\s+số|tong\s+cong|tong\s+so)\b"
    r"|^(?:tổng|cộng)(?:\s*$|\s*[:(]|\s+(?:cấp|khối|toàn|chung|các|[ivxlc]+\b|[a-z]\b|\d"
    r"|huyện|thị xã|thành phố|tỉnh|xã|phường|đặc khu|địa bàn|khu vực))"
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
    r"|^(?:trong do|cap |khoi |nhom |phan |muc |thuoc |huyen |thi xa |thanh pho |tp\.? "
    r"|khu vuc |dia ban |xa |phuong |dac khu |tinh )"
)
# An STT cell numbering a section: "I", "IV.", "B".
_SECTION_NUMBER = re.compile(r"^(?:[IVXLC]+|[A-Z])[.)]?$")
# Cell text that reads as a number or a yes/no answer (data, not a caption).
_NUMBERISH = re.compile(r"^[\s\d.,+-]+$")
_YESNO = YES | NO
# A column-number row under the header: "(1)", "A", "5=3+4".
_COLNUM_RE = re.compile(r"^\(?(?:\d{1,3}|[a-z])\)?(?:[=+*x/:-]\(?(?:\d{1,3}|[a-z])\)?)*$")


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
    cells = [c for c in line if not is_blank(c)]
    return len(cells) >= 2 and all(map(_is_colnum, cells))


def _is_colnum(cell: Any) -> bool:
    """A column number: a whole number below 100, or text such as "(1)", "A", "5=3+4"."""
    if isinstance(cell, str):
        return bool(_COLNUM_RE.match(fold(cell).replace(" ", "")))
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        return False
    return float(cell).is_integer() and 0 < cell < 100


def _nonblank(value: Any) -> Any:
    """The value, or None for a blank cell (empty or only whitespace)."""
    return None if is_blank(value) else value


def _says_total(value: Any) -> bool:
    """Text that marks a row as a total: "Tổng cộng", "Cộng huyện", not "Công ty"."""
    return isinstance(value, str) and bool(_TOTAL_RE.match(clean(value).casefold()))


def _signs_off(texts: list[str]) -> bool:
    """One of the texts opens the sign-off block ("Người lập", "Ngày ... tháng ... năm")."""
    return any(_SIGNOFF_RE.search(fold(t)) for t in texts)


def _one_label(line: list[Any]) -> bool:
    """The row's only content is one label of words: text with a space, not a number, a yes/no or a code."""
    filled = [c for c in line if not is_blank(c)]
    if len(filled) != 1 or not isinstance(filled[0], str):
        return False
    text = clean(filled[0])
    # "DB01" or "19381" alone is a unit's row with its values missing: data, so that its errors are said.
    return " " in text and not _NUMBERISH.match(text) and fold(text) not in _YESNO


def _is_section_text(text: str) -> bool:
    folded = fold(text)
    if _SECTION_RE.match(folded):
        return True
    # A heading typed in capitals: "CẤP TỈNH", "KHỐI SỞ, BAN, NGÀNH".
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and text == text.upper()


def read_table(
    path: str,
    name: str,
    spec: Sheet,
    grid: list[list[Any]],
    start: tuple[int, int],
    audit: SheetAudit,
    hidden: bool,
    header: Header | None = None,
) -> SheetTable:
    """The table of ``spec`` in ``grid``: header, layout rows, data rows (the row path)."""
    table, found = start_table(path, name, spec, grid, start, hidden, header)
    reader = _LayoutReader(table, spec, grid, start, audit, found.columns)
    reader.run(reader.leading(found.index + found.span))
    return table


def read_sparse(table: SheetTable, lines: Mapping[int, list[Any]], plain: Sequence[int], audit: SheetAudit) -> None:
    """Lay out only the rows the bulk screen could not vouch for (see :meth:`_LayoutReader.run_sparse`)."""
    reader = _LayoutReader(table, table.spec, [], (0, 0), audit, dict(table.col_index))
    reader.run_sparse(lines, plain)


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
        present = [i for i, j in enumerate(self.idx) if j is not None]
        # Positions (in ``keys``) of unique columns: a row with one is an
        # agency's row unless the cell itself says total.
        self.ident = [i for i in present if spec.columns[i].unique]
        # Positions of typed columns: layout rows leave them blank.
        self.typed = [i for i in present if spec.columns[i].type != "text"]
        self.mapped = set(columns.values()) & set(self.idx)  # the sheet's columns the form reads
        self.open_total: tuple[int, str, tuple[Any, ...]] | None = None  # a section row carrying totals
        self.group_start: int | None = None  # first Excel row of the current group
        self.last_data: int | None = None

    def _values(self, i: int, line: list[Any]) -> tuple[Any, ...] | None:
        """The row's values in key order (None for blank), or None for a blank row."""
        n = len(line)
        values = tuple(None if j is None or j >= n else _nonblank(line[j]) for j in self.idx)
        if self.problems:
            values = self._with_problems(self.row0 + i, values)
        return None if all(v is None for v in values) else values

    def _with_problems(self, excel_i: int, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """The audit's problem with a cell (an Excel error, an unsaved formula) in place of its value."""
        get, col0 = self.problems.get, self.col0
        return tuple(v if j is None else get((excel_i, col0 + j), v) for j, v in zip(self.idx, values, strict=True))

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
        lookup = header_lookup(self.table.spec)
        while i < len(grid) and i < first + 3:
            if _is_colnum_row(grid[i]):
                self._skip("column-numbers", self.row0 + i + 1)
            elif len(header_map(lookup, grid[i])) >= max(2, len(self.mapped) // 2):
                # The header again, as column keys (qbplan's template keeps a
                # hidden key row) or copied twice: not data.
                self._skip("header", self.row0 + i + 1)
            elif all(is_blank(c) for c in grid[i]):
                table.blank_rows += 1
            else:
                break
            i += 1
        return i

    def run(self, first: int) -> None:
        """Sort every row from ``first`` on."""
        signoff = False
        for i in range(first, len(self.grid)):
            signoff = self._sort(i, self.grid[i], signoff)
        self._close_section_total()

    def run_sparse(self, lines: Mapping[int, list[Any]], plain: Sequence[int]) -> None:
        """Sort only ``lines`` (grid index -> row), knowing the screened data rows ``plain`` between them.

        The bulk screen vouched for the ``plain`` rows as data; the rest are
        sorted here exactly as :meth:`run` would, so subtotals still cover the
        screened rows of their group.
        """
        signoff = False
        done = 0  # plain rows accounted for
        for i in sorted(lines):
            done = self._plain_until(plain, done, i)
            signoff = self._sort(i, lines[i], signoff)
        self._plain_until(plain, done, None)
        self._close_section_total()

    def _plain_until(self, plain: Sequence[int], done: int, stop: int | None) -> int:
        """Note the screened data rows before grid row ``stop`` (all when None); return how many are noted."""
        end = len(plain) if stop is None else bisect.bisect_left(plain, stop, lo=done)
        if end > done:
            if self.group_start is None:
                self.group_start = self.row0 + plain[done] + 1
            self.last_data = self.row0 + plain[end - 1] + 1
        return end

    def _sort(self, i: int, line: list[Any], signoff: bool) -> bool:
        """Sort grid row ``i``; return whether the sign-off block has begun."""
        excel_row = self.row0 + i + 1
        values = self._values(i, line)
        kind = self._blank_kind(line, signoff) if values is None else self._kind(line, values, signoff)
        if kind == "signoff":
            self._skip("signoff", excel_row)
            return True
        if values is None:
            self.table.blank_rows += 1
        elif kind == "data":
            self._data(i, excel_row, values)
        elif kind in ("section", "section-total"):
            self._section(kind, excel_row, line, values)
        else:
            self._total(excel_row, line, values)
        return signoff

    def _data(self, i: int, excel_row: int, values: tuple[Any, ...]) -> None:
        self.table.rows.append((excel_row, values))
        if self.row0 + i in self.hidden:
            self.table.hidden_rows.append(excel_row)
        if self.group_start is None:
            self.group_start = excel_row
        self.last_data = excel_row

    def _section(self, kind: str, excel_row: int, line: list[Any], values: tuple[Any, ...]) -> None:
        self._close_section_total()
        if kind == "section":
            self._skip("section", excel_row)
        else:
            # A section row that carries its group's totals: checked when the group ends.
            self._skip("total", excel_row)
            self.open_total = (excel_row, self._label(line), values)
        self.group_start = None

    def _total(self, excel_row: int, line: list[Any], values: tuple[Any, ...]) -> None:
        self._skip("total", excel_row)
        label = self._label(line)
        if _GRAND_RE.match(fold(label)):
            self.table.totals.append(TotalsRow(excel_row, label, values))
        else:
            self._close_section_total()
            first_row = self.group_start if self.group_start is not None else excel_row
            self.table.totals.append(TotalsRow(excel_row, label, values, first_row, excel_row - 1))
        self.group_start = None

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
            if not isinstance(value, str) or _NUMBERISH.match(value) or fold(value) in _YESNO:
                return False
        return True

    def _numbered_section(self, line: list[Any]) -> bool:
        """The STT cell (left of the form columns) holds "I", "II", "A.": a section row."""
        if not line or 0 in self.mapped:
            return False
        first = line[0]
        return isinstance(first, str) and bool(_SECTION_NUMBER.match(first.strip()))

    @staticmethod
    def _blank_kind(line: list[Any], signoff: bool) -> str:
        """A row with nothing in the form's columns: part of the sign-off block if text elsewhere says so."""
        texts = _texts(line)
        return "signoff" if texts and (signoff or _signs_off(texts)) else "blank"

    def _kind(self, line: list[Any], values: tuple[Any, ...], signoff: bool) -> str:
        ident = next((values[p] for p in self.ident if values[p] is not None), None)
        if _says_total(ident):
            # "Tổng cộng" in the code column: a total, with or without numbers
            # beside it (a list of databases has no number columns to fill).
            return "total"
        if len(self.mapped) > 1 and _one_label(line) and not (signoff or _signs_off(_texts(line))):
            # "Khu vực Quảng Bình cũ" alone, in the code column or any other:
            # a heading over the rows below it, never a row of data. (Where the
            # table has one column, as a register of districts, a label is its data.)
            return "section"
        quiet = self._quiet(values)
        keyed = ident is not None and not self._numbered_section(line)
        if keyed and not quiet:
            return "data"  # an agency's row: the common case, decided first
        texts = _texts(line)
        if quiet and (signoff or _signs_off(texts)):
            return "signoff"
        return "data" if keyed else self._caption_kind(texts, values)

    def _caption_kind(self, texts: list[str], values: tuple[Any, ...]) -> str:
        """A row without a key: a total, a section (carrying its group's totals or not), or data."""
        if any(_TOTAL_RE.match(t.casefold()) for t in texts[:2]):
            return "total"
        if not texts or not _is_section_text(texts[0]):
            return "data"
        if all(values[p] is None for p in self.typed):
            return "section"
        return "section-total" if _SECTION_RE.match(fold(texts[0])) else "data"
