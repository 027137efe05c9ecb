"""Each unit's figures of a check, kept per period so that the next period can be read against them."""

from __future__ import annotations

from dataclasses import dataclass

from qbplan.model.findings import Place


@dataclass(frozen=True, slots=True)
class UnitFigure:
    """One figure a unit reported: its form sheet, its key (folded as the register matches it), a column, a value.

    ``value`` is an int (a count) or a bool (a yes/no), as validated; ``place``
    is its cell in this check (None when read back from the history).
    """

    sheet: str
    unit: str
    column: str
    value: int | bool
    place: Place | None = None
