"""Headers: which form sheet a workbook sheet is, and where its header and columns are."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from qbplan.config.targets import Sheet, Targets
from qbplan.errors import InputError
from qbplan.layout.table import Header, SheetTable
from qbplan.textnorm import fold

# Rows scanned from the top of a sheet to find its header row.
HEADER_SCAN_ROWS = 40


def _names(key: str, label: str, aliases: list[str]) -> set[str]:
    return {fold(key), fold(label), *(fold(a) for a in aliases)}


def match_sheet(targets: Targets, name: str) -> Sheet | None:
    """The form sheet a workbook sheet is named after (key, label or alias, folded), if any."""
    folded = fold(name)
    for spec in targets.form.sheets:
        if folded in _names(spec.key, spec.label, spec.aliases):
            return spec
    return None


def header_lookup(spec: Sheet) -> dict[str, str]:
    """Folded header text -> column key, for every name a column may go by."""
    lookup: dict[str, str] = {}
    for col in spec.columns:
        for name in _names(col.key, col.label, col.aliases):
            lookup.setdefault(name, col.key)
    return lookup


def is_blank(value: Any) -> bool:
    """Whether a cell is empty: None, an empty string or only whitespace."""
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


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


def header_map(lookup: dict[str, str], row: list[Any]) -> dict[str, int]:
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
        t, s = _at(top, j), _at(sub, j)
        if not is_blank(t):
            group = t
        elif is_blank(s):
            group = None
        key = _sub_key(lookup, group, s) or _header_key(lookup, t)
        if key is not None:
            found.setdefault(key, j)
    return found


def _at(row: list[Any], j: int) -> Any:
    return row[j] if j < len(row) else None


def _sub_key(lookup: dict[str, str], group: Any, sub: Any) -> str | None:
    """A sub-column under its group cell: by the joined text, then by its own."""
    if is_blank(sub) or not isinstance(sub, str):
        return None
    if isinstance(group, str):
        key = _header_key(lookup, f"{group} {sub}")
        if key is not None:
            return key
    return _header_key(lookup, sub)


def find_header(spec: Sheet, grid: list[list[Any]], lookup: dict[str, str] | None = None) -> Header | None:
    """The header among the top rows: the one naming the most form columns.

    A two-row header wins only when it names more columns than either row
    alone, so a title row or a column-number row never joins the header.
    """
    lookup = lookup if lookup is not None else header_lookup(spec)
    top = grid[: HEADER_SCAN_ROWS + 1]
    single = [header_map(lookup, row) for row in top]
    candidates = [c for i in range(min(len(single), HEADER_SCAN_ROWS)) for c in _candidates(lookup, top, single, i)]
    # The first of the widest: a header above its copy wins.
    best = max(candidates, key=lambda h: len(h.columns), default=None)
    return best if best is not None and len(best.columns) >= min(2, len(spec.columns)) else None


def _candidates(lookup: dict[str, str], top: list[list[Any]], single: list[dict[str, int]], i: int) -> list[Header]:
    """Row ``i`` as a one-row header, and rows ``i`` and ``i + 1`` as a two-row one when that names more."""
    out = [Header(i, 1, single[i])] if single[i] else []
    if i + 1 < len(top):
        joined = _two_row_map(lookup, top[i], top[i + 1])
        if len(joined) > max(len(single[i]), len(single[i + 1])):
            out.append(Header(i, 2, joined))
    return out


def match_by_header(targets: Targets, grid: list[list[Any]], exclude: set[str]) -> tuple[Sheet, Header] | None:
    """The form sheet whose header ``grid`` holds (all required columns), for a renamed sheet."""
    fits = [(spec, found) for spec in targets.form.sheets if spec.key not in exclude if (found := _fit(spec, grid))]
    # The first of the best-covered: sheets are tried in the form's order.
    return max(fits, key=lambda fit: Fraction(len(fit[1].columns), len(fit[0].columns)), default=None)


def _fit(spec: Sheet, grid: list[list[Any]]) -> Header | None:
    """The header of ``spec`` in ``grid`` if it names every required column."""
    found = find_header(spec, grid)
    if found is None or any(c.required and c.key not in found.columns for c in spec.columns):
        return None
    return found


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
    found = header or find_header(spec, grid)
    if found is None:
        expected = ", ".join(c.label for c in spec.columns[:4]) + ", …"
        raise InputError("input-no-header", file=path, sheet=name, expected=expected)
    _refuse_missing_columns(path, name, spec, grid, found, row0)
    table = SheetTable(
        file=path,
        sheet=name,
        spec=spec,
        header_row=row0 + found.index + 1,
        keys=[c.key for c in spec.columns],
        col_index={k: col0 + j for k, j in found.columns.items()},
        hidden=hidden,
    )
    return table, found


def _refuse_missing_columns(path: str, name: str, spec: Sheet, grid: list[list[Any]], found: Header, row0: int) -> None:
    missing = [c for c in spec.columns if c.required and c.key not in found.columns]
    if not missing:
        return
    raise InputError(
        "input-missing-columns",
        file=path,
        sheet=name,
        row=row0 + found.index + 1,
        missing=", ".join(f"{c.key} ({c.label})" for c in missing),
        found=_header_text(grid[found.index]),
    )


def _header_text(row: list[Any]) -> str:
    """The header cells as they are written, one line ("-" when there are none)."""
    return ", ".join(str(c).replace("\n", " ") for c in row if not is_blank(c)) or "-"
