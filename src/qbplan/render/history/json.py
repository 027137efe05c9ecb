"""``qbplan history --format json``: exact rates as fractions beside the figures."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any, TextIO

from qbplan.i18n.numbers import exact_text
from qbplan.model.version import __version__
from qbplan.render.history.view import HistoryView, SeriesRow
from qbplan.render.json import coverage_fields


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def as_dict(view: HistoryView) -> dict[str, Any]:
    """The history as plain JSON-ready data (every hash in full with --runs)."""
    if view.runs:
        return {
            "qbplan": __version__,
            "db": view.db,
            "runs": [
                {
                    "id": r.id,
                    "period": r.period.key,
                    "saved_at": r.saved_at,
                    "qbplan": r.qbplan_version,
                    "plan_id": r.plan_id,
                    "targets": r.targets_file,
                    "targets_sha256": r.targets_sha256,
                    "command": r.command,
                    "exit_code": r.exit_code,
                    "current": r.current,
                    "files": [{"path": f.path, "sha256": f.sha256, "size": f.size} for f in r.files],
                }
                for r in view.runs
            ],
        }
    return {
        "qbplan": __version__,
        "db": view.db,
        "plan": view.plan,
        "indicators": [_series(s) for s in view.series],
        "projection_note": view.note,
        "break_note": view.break_note,
    }


def _series(row: SeriesRow) -> dict[str, Any]:
    s = row.series
    p = s.projection
    return {
        "id": s.id,
        "title": row.title,
        "target": float(s.target),
        "deadline": s.deadline,
        "points": [
            {
                "period": pt.period.key,
                "run": pt.run_id,
                "numerator": pt.numerator,
                "denominator": pt.denominator,
                "rate": _float(pt.rate),
                "rate_exact": exact_text(pt.rate),
                "target": float(pt.target),
                "status": pt.status,
                "exceeded": pt.exceeded,
                "change_pp": _float(s.changes[i]),
                "change_pp_exact": exact_text(s.changes[i]),
                "plan_id": pt.plan_id,
                # Saved under another plan than the period before: the structure changed here.
                "break": i in s.breaks,
                # Units were missing: the rate above is over those that reported; the bounds are check's own.
                "partial": pt.partial,
                **coverage_fields(pt),
            }
            for i, pt in enumerate(s.points)
        ],
        "projection": None
        if p is None
        else {
            "points": p.points,
            "slope_pp_per_year": float(p.slope * 100),
            "met": p.met,
            "reach_year": p.reach_year,
            "on_track": p.on_track,
            "text": row.projection,
        },
    }


def render_json(view: HistoryView, out: TextIO) -> None:
    """One indented JSON document."""
    json.dump(as_dict(view), out, ensure_ascii=False, indent=2)
    out.write("\n")
