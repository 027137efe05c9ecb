"""``qbplan rank -f json``: every unit with its exact points ("n/d") and the rounded ones people read."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from qbplan.i18n.numbers import rounded
from qbplan.render.rank.view import INDEX_DIGITS, RankRow, RankView


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _number(value: Fraction, digits: int) -> float:
    # The rounded value as a JSON number (what a spreadsheet would show); the exact one beside it.
    return float(rounded(value, digits) / 10**digits)


def _unit(row: RankRow, view: RankView) -> dict[str, Any]:
    unit = row.unit
    return {
        "rank": unit.rank,
        "key": unit.key,
        "name": unit.name,
        "missing": unit.missing,
        "missing_units": unit.missing_units,
        "pillars": {
            key: {"points": _number(p, 2), "points_exact": _exact(p), "max": _number(m, 2), "max_exact": _exact(m)}
            for key in view.pillar_keys
            for p, m in [unit.pillar(key)]
        },
        "total": _number(unit.total, 2),
        "total_exact": _exact(unit.total),
        "most": _number(unit.most, 2),
        "most_exact": _exact(unit.most),
        "index": _number(unit.index, INDEX_DIGITS),
        "index_exact": _exact(unit.index),
        "grade": row.grade,
        "criteria": [
            {
                "id": line.id,
                "pillar": line.score.pillar,
                "applies": line.score.applies,
                "counted": line.score.counted,
                "numerator": line.score.numerator,
                "denominator": line.score.denominator,
                "rate_exact": _exact(line.score.rate),
                "method": line.score.method,
                "rule": line.rule,
                "points": _number(line.score.points, 2),
                "points_exact": _exact(line.score.points),
                "max_exact": _exact(line.score.max),
            }
            for line in row.lines
        ],
    }


def render_json(view: RankView, out: Any) -> None:
    """Write the ranking as one JSON document to ``out``."""
    doc = {
        "title": view.title,
        "source": view.source,
        "by": view.ranking.by,
        "missing": view.ranking.missing_policy,
        "pillars": [{"key": k, "title": t} for k, t in zip(view.pillar_keys, view.pillar_titles, strict=True)],
        "grades": [{"min_exact": _exact(g.min), "vi": g.label_vi, "en": g.label_en} for g in view.ranking.grades],
        "units": [_unit(r, view) for r in view.rows],
        "omitted": [_unit(r, view) for r in view.omitted],
        "self_assessment": [
            {
                "code": f.code,
                "severity": f.severity,
                "file": f.file,
                "sheet": f.sheet,
                "row": f.row,
                "column": f.column,
                "cell": f.cell,
                "value": f.value,
                "params": dict(f.params),
                "message": text,
            }
            for f, (_, text) in zip(view.ranking.self_findings, view.self_lines, strict=True)
        ],
        "rounding": view.rounding,
    }
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")
