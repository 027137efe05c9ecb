"""``qbplan history --format csv``: one row per indicator and period."""

from __future__ import annotations

import csv
from fractions import Fraction
from typing import TextIO

from qbplan.history.trend import Series
from qbplan.i18n.numbers import exact_text
from qbplan.render.csv import safe
from qbplan.render.history.view import HistoryView

CSV_COLUMNS: tuple[str, ...] = ("kind", "id", "period", "run", "numerator", "denominator", "rate", "rate_exact")
CSV_COLUMNS += ("target", "status", "change_pp", "reach_year", "on_track", "path", "sha256", "size", "command")
CSV_COLUMNS += ("plan_id", "break")


def render_csv(view: HistoryView, out: TextIO, bom: bool = True) -> None:
    """One row per indicator and period, then one per projection; with --runs, one per run and file."""
    if bom:
        out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = _run_rows(view) + [r for row in view.series for r in _point_rows(row.series)]
    for line in rows:
        writer.writerow({k: safe(v) for k, v in line.items()})


def _run_rows(view: HistoryView) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for r in view.runs:
        base = {"kind": "run", "id": r.id, "period": r.period.key, "run": r.id, "command": r.command}
        rows.append(base | {"path": r.targets_file, "sha256": r.targets_sha256, "status": r.exit_code})
        rows += [{"kind": "file", "run": r.id, "path": f.path, "sha256": f.sha256, "size": f.size} for f in r.files]
    return rows


def _six(value: Fraction | None) -> str:
    return "" if value is None else f"{float(value):.6f}"


def _point_rows(s: Series) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {
            "kind": "point",
            "id": s.id,
            "period": p.period.key,
            "run": p.run_id,
            "numerator": p.numerator,
            "denominator": p.denominator,
            "rate": _six(p.rate),
            "rate_exact": exact_text(p.rate) or "",
            "target": _six(p.target),
            "status": p.status,
            "change_pp": _six(s.changes[i]),
            "plan_id": p.plan_id,
            "break": "1" if i in s.breaks else "",
        }
        for i, p in enumerate(s.points)
    ]
    if s.projection is not None:
        pr = s.projection
        rows.append({"kind": "projection", "id": s.id, "reach_year": pr.reach_year, "on_track": pr.on_track})
    return rows


# --- HTML
