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
from itertools import pairwise
from typing import Any

from qbplan.config.targets import Sheet
from qbplan.layout.header import header_lookup, header_map, is_blank, start_table
from qbplan.layout.table import Header, LayoutNote, SheetTable, TotalsRow
from qbplan.model.audit import SheetAudit
from qbplan.model.cells import CellProblem
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
# A cell that opens or belongs to the sign-off block, matched on the whole
# folded cell: a title ("Người lập biểu", "KT. GIÁM ĐỐC"), "(Ký, ghi rõ họ
# tên)", "Nơi nhận:" or the place and date line ("Đồng Hới, ngày 10 tháng 12
# năm 2025"). A whole-cell match, never a word inside a longer text: "Kế toán
# - Tài chính", "Lãnh đạo tỉnh qua các thời kỳ" or "Đã nâng cấp ngày 12 tháng 5
# năm 2024" are answers, not a signature block.
_SIGNOFF_CELL = re.compile(
    r"^(?:(?:tm|kt|tl|tuq|q)\.\s*\S.*"
    r"|\(\s*ky\b.*"
    r"|noi nhan\s*:?"
    r"|(?:nguoi lap(?: bieu| bang| phieu)?|nguoi ky|nguoi tong hop|nguoi kiem tra|can bo tong hop"
    r"|(?:pho )?thu truong(?: don vi| co quan)?|(?:pho )?giam doc|(?:pho )?chu tich|(?:pho )?truong phong"
    r"|ke toan(?: truong)?|lanh dao(?: don vi| co quan)?|xac nhan(?: cua [^,;]{1,40})?)\s*[:.]?"
    r"|(?:[^\d,;()]{1,40},\s*)?ngay\b[^()]{0,16}\bthang\b[^()]{0,16}\bnam\b\s*(?:\d{4}|[.…\s]*)\.?"
    r")\s*$",
    re.S,
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
_DIGITS_RE = re.compile(r"\d+")
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


def _is_colnum(cell: Any) -> bool:
    """A column number: a whole number below 100, or text such as "(1)", "A", "5=3+4"."""
    if isinstance(cell, str):
        return bool(_COLNUM_RE.match(fold(cell).replace(" ", "")))
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        return False
    return float(cell).is_integer() and 0 < cell < 100


def _first_number(cell: Any) -> int | None:
    """The first whole number of a column-number cell: 3 for "(3)=(2)x100", None for "A"."""
    if isinstance(cell, str):
        found = _DIGITS_RE.search(cell)
        return int(found.group()) if found else None
    return int(cell)


def _nonblank(value: Any) -> Any:
    """The value, or None for a blank cell (empty or only whitespace)."""
    return None if is_blank(value) else value


def _says_total(value: Any) -> bool:
    """Text that marks a row as a total: "Tổng cộng", "Cộng huyện", not "Công ty"."""
    return isinstance(value, str) and bool(_TOTAL_RE.match(clean(value).casefold()))


def _is_signoff_cell(value: Any) -> bool:
    """A cell that is, as a whole, a line of the sign-off block (see :data:`_SIGNOFF_CELL`)."""
    return isinstance(value, str) and bool(_SIGNOFF_CELL.match(fold(value)))


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
    """Sorts the rows under a header into data, blank and layout rows, failing closed.

    The rules, in order of trust:

    - A row with a key in the key column is data, unless that key cell is
      itself a total ("Tổng cộng") or a section title numbered in the STT
      column with units under it. It is never a sign-off or column-number row.
    - The sign-off block is what follows the last data row: rows from the
      first sign-off line on are held back, and any row with a number or a
      yes/no in the form's columns after them proves they were not one (they
      are read again as ordinary rows).
    - A heading or a total with no data row under it is read as data.
    - A keyed title, and what is left as sign-off holding a key under no
      title of the block, are said (a :class:`LayoutNote`), never dropped
      without a word.
    """

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
        # Rows from a presumed sign-off line on: (grid index, row, values or None).
        self.pending: list[tuple[int, list[Any], tuple[Any, ...] | None]] = []
        # A keyed section title waiting for a data row under it: (grid index, row, values, kind).
        self.heading: tuple[int, list[Any], tuple[Any, ...], str] | None = None

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
            if self._is_colnum_row(grid[i]):
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

    def _is_colnum_row(self, line: list[Any]) -> bool:
        """Column numbers: every form column numbered, nothing else, the numbers rising left to right.

        A unit's row with a blank ("1 | | x") or a count out of order
        ("1 | 115 | 1") is data, so that its figures are counted or said.
        """
        cells = [c for c in line if not is_blank(c)]
        if len(cells) < 2 or not all(map(_is_colnum, cells)):
            return False
        if any(j >= len(line) or is_blank(line[j]) for j in self.mapped):
            return False
        numbers = [n for n in map(_first_number, cells) if n is not None]
        return all(a < b for a, b in pairwise(numbers))

    def run(self, first: int) -> None:
        """Sort every row from ``first`` on."""
        for i in range(first, len(self.grid)):
            self._sort(i, self.grid[i])
        self._finish()

    def run_sparse(self, lines: Mapping[int, list[Any]], plain: Sequence[int]) -> None:
        """Sort only ``lines`` (grid index -> row), knowing the screened data rows ``plain`` between them.

        The bulk screen vouched for the ``plain`` rows as data; the rest are
        sorted here exactly as :meth:`run` would, so subtotals still cover the
        screened rows of their group.
        """
        done = 0  # plain rows accounted for
        for i in sorted(lines):
            done = self._plain_until(plain, done, i)
            self._sort(i, lines[i])
        self._plain_until(plain, done, None)
        self._finish()

    def _plain_until(self, plain: Sequence[int], done: int, stop: int | None) -> int:
        """Note the screened data rows before grid row ``stop`` (all when None); return how many are noted."""
        end = len(plain) if stop is None else bisect.bisect_left(plain, stop, lo=done)
        if end > done:
            # A keyed data row: what was held back as sign-off was not one,
            # and a keyed title waiting for its units has them.
            self._flush_pending()
            self._confirm_heading()
            if self.group_start is None:
                self.group_start = self.row0 + plain[done] + 1
            self.last_data = self.row0 + plain[end - 1] + 1
        return end

    def _finish(self) -> None:
        """The end of the table: an open title with nothing under it is data; what is held back is sign-off."""
        self._drop_heading()
        self._close_section_total()
        self._sign_off()

    def _sort(self, i: int, line: list[Any]) -> None:
        """Sort grid row ``i``, holding it back while a sign-off block may have begun."""
        values = self._values(i, line)
        if values is None and not _texts(line, 1):
            self.table.blank_rows += 1
            return
        quiet = self._quiet(values)
        if self.pending:
            if quiet:
                self.pending.append((i, line, values))
                return
            self._flush_pending()  # a row with figures after it: that was no sign-off
        elif quiet and self._opens_signoff(line, values):
            self.pending.append((i, line, values))
            return
        self._place(i, line, values)

    def _opens_signoff(self, line: list[Any], values: tuple[Any, ...] | None) -> bool:
        """A sign-off line: a whole cell of the block, and no key but such a cell."""
        key = self._key(values)
        if key is not None and not _is_signoff_cell(key):
            return False
        return any(map(_is_signoff_cell, line))

    def _flush_pending(self) -> None:
        """Read the rows held back as sign-off again as ordinary rows."""
        held, self.pending = self.pending, []
        for i, line, values in held:
            self._place(i, line, values)

    def _sign_off(self) -> None:
        """The rows held back at the end are the sign-off block; a key under no title of it is said."""
        lines = sum(_is_signoff_cell(cell) for _, line, _ in self.pending for cell in line)
        titled: set[int] = set()  # columns holding a title of the block in an earlier row
        for i, line, values in self.pending:
            excel_row = self.row0 + i + 1
            self._skip("signoff", excel_row)
            key_at = self._key_position(values)
            # A key under a title of the block (the signer's name), or a title itself in a block of
            # two lines or more ("Người lập biểu" over "(Ký, ghi rõ họ tên)"), is the sign-off's.
            signed = key_at is not None and (
                self.idx[key_at] in titled or (values is not None and _is_signoff_cell(values[key_at]) and lines > 1)
            )
            titled.update(j for j, cell in enumerate(line) if _is_signoff_cell(cell))
            if key_at is not None and not signed:
                self._note(excel_row, "signoff", values)
        self.pending = []

    def _place(self, i: int, line: list[Any], values: tuple[Any, ...] | None) -> None:
        """Put a row that is not sign-off where it belongs."""
        excel_row = self.row0 + i + 1
        if values is None:
            self.table.blank_rows += 1
            return
        kind = self._kind(line, values)
        if kind == "data":
            self._confirm_heading()
            self._data(i, excel_row, values)
            return
        self._drop_heading()
        if kind in ("keyed-section", "keyed-section-total"):
            self.heading = (i, line, values, kind.removeprefix("keyed-"))
        elif kind in ("section", "section-total"):
            self._section(kind, excel_row, line, values)
        else:
            self._total(excel_row, line, values)

    def _confirm_heading(self) -> None:
        """A data row under a keyed title: the title heads a section, and is said at its key cell."""
        if self.heading is not None:
            i, line, values, kind = self.heading
            self.heading = None
            excel_row = self.row0 + i + 1
            self._section(kind, excel_row, line, values)
            self._note(excel_row, "section" if kind == "section" else "total", values)

    def _drop_heading(self) -> None:
        """No data row under a keyed title: it is a unit's own row, numbered "I" or "A"."""
        if self.heading is not None:
            i, _, values, _ = self.heading
            self.heading = None
            self._data(i, self.row0 + i + 1, values)

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

    def _typed(self, values: tuple[Any, ...]) -> set[str]:
        """What the filled typed cells hold: "count" (a number, or a cell problem the totals check
        names), "answer" (a yes/no), "text", or "other" (a date, ...); empty when they are all blank.

        Sign-off lines are laid across the sheet, so their text may sit in a
        number column; a data row has counts or answers; a totals row, counts only.
        """
        kinds = set()
        for p in self.typed:
            value = values[p]
            if value is None:
                continue
            if isinstance(value, bool):
                kinds.add("answer")
            elif isinstance(value, (int, float, CellProblem)):
                kinds.add("count")
            elif not isinstance(value, str):
                kinds.add("other")
            elif _NUMBERISH.match(value):
                kinds.add("count")
            else:
                kinds.add("answer" if fold(value) in _YESNO else "text")
        return kinds

    def _quiet(self, values: tuple[Any, ...] | None) -> bool:
        """Nothing in the form's typed columns reads as a count or an answer (a blank row is quiet)."""
        return values is None or self._typed(values) <= {"text"}

    def _note(self, excel_row: int, read_as: str, values: tuple[Any, ...] | None) -> None:
        """Say a keyed row read as layout (``read_as``) at its key cell."""
        key_at = self._key_position(values)
        assert key_at is not None and values is not None  # only keyed rows are said
        self.table.notes.append(LayoutNote(excel_row, read_as, self.table.keys[key_at], values[key_at]))

    def _key_position(self, values: tuple[Any, ...] | None) -> int | None:
        if values is None:
            return None
        return next((p for p in self.ident if values[p] is not None), None)

    def _key(self, values: tuple[Any, ...] | None) -> Any:
        p = self._key_position(values)
        return None if p is None or values is None else values[p]

    def _numbered_section(self, line: list[Any]) -> bool:
        """The STT cell (left of the form columns) holds "I", "II", "A.": a section row."""
        if not line or 0 in self.mapped:
            return False
        first = line[0]
        return isinstance(first, str) and bool(_SECTION_NUMBER.match(first.strip()))

    def _kind(self, line: list[Any], values: tuple[Any, ...]) -> str:
        key = self._key(values)
        if key is not None:
            return self._keyed_kind(line, values, key)
        texts = _texts(line)
        if any(_TOTAL_RE.match(t.casefold()) for t in texts[:2]):
            # "Cộng" beside counts; beside an answer ("Có") it is a unit whose code is missing.
            return "total" if self._typed(values) <= {"count"} else "data"
        if not texts or not _is_section_text(texts[0]):
            # "Kế toán" alone, with no key: a unit whose code is missing, said at its cells.
            return "data"
        if len(self.mapped) > 1 and _one_label(line):
            # "Khu vực Quảng Bình cũ" alone, with no key: a heading over the
            # rows below it. (Where the table has one column, as a register
            # of districts, a label is its data.)
            return "section"
        typed = self._typed(values)
        if not typed:
            return "section"
        if typed <= {"count"} and _SECTION_RE.match(fold(texts[0])):
            return "section-total"
        return "data"

    def _keyed_kind(self, line: list[Any], values: tuple[Any, ...], key: Any) -> str:
        """A row with a key: data, unless the key cell says total or is a title numbered in the STT column."""
        if _says_total(key):
            # "Tổng cộng" in the code column: a total, with or without numbers
            # beside it (a list of databases has no number columns to fill).
            return "total"
        typed = self._typed(values)
        if (
            isinstance(key, str)
            and self._numbered_section(line)
            and _is_section_text(clean(key))
            and typed <= {"count"}
        ):
            # "II | CẤP XÃ" where the key column is a name: a title only if
            # data rows follow it (decided by the next row).
            return "keyed-section-total" if typed else "keyed-section"
        return "data"
