"""``qbplan rank -f csv``: one row per unit, the numbers as shown, for a spreadsheet."""

from __future__ import annotations

import csv
from typing import Any

from qbplan.render.csv import safe
from qbplan.render.rank.view import RankView


def render_csv(view: RankView, out: Any) -> None:
    """Write the ranking as CSV (rank, code, name, each pillar, total, index, grade, note).

    Text a spreadsheet would run as a formula is quoted, as in the check's CSV.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(view.headers)
    for row in (*view.rows, *view.omitted):
        cells = (row.rank, row.key, row.name, *row.pillars, row.total, row.index, row.grade, row.note)
        writer.writerow([safe(c) for c in cells])
