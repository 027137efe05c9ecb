"""What the probe of a sheet's XML found that the fast readers do not give."""

from __future__ import annotations

from dataclasses import dataclass, field

from qbplan.model.cells import CellProblem


@dataclass(frozen=True, slots=True)
class SheetAudit:
    """Cell facts the fast reader does not give: problem cells and hidden rows."""

    problems: dict[tuple[int, int], CellProblem] = field(default_factory=dict)
    hidden_rows: frozenset[int] = frozenset()  # 0-based
