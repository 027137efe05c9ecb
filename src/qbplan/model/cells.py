"""Cell addresses, and cells whose value cannot be used."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell whose value cannot be used: an Excel error or an unsaved formula."""

    code: str  # "excel-error" | "formula-no-value"
    detail: str


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def parse_ref(ref: str) -> tuple[int, int] | None:
    """``D12`` -> (11, 3), 0-based (row, column)."""
    m = _CELL_REF.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1
