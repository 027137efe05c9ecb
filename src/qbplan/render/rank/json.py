"""``qbplan rank -f json``: every unit with its exact points ("n/d") and the rounded ones people read."""

from __future__ import annotations

import json
from math import gcd
from typing import Any

from qbplan.i18n.numbers import exact_text, rounded_number
from qbplan.render.json import finding_dict
from qbplan.render.rank.view import INDEX_DIGITS, POINT_DIGITS, RankRow, RankView


def _ratio(num: int, den: int) -> str | None:
    """num/den in lowest terms as "n/d", without building a Fraction (thousands of criteria)."""
    if not den:
        return None
    common = gcd(num, den)
    return f"{num // common}/{den // common}"


def _unit(row: RankRow, view: RankView) -> dict[str, Any]:
    unit = row.unit
    return {
        "rank": unit.rank,
        "key": unit.key,
        "name": unit.name,
        "missing": unit.missing,
        "missing_units": unit.missing_units,
        "pillars": {
            key: {
                "points": rounded_number(p, 2),
                "points_exact": exact_text(p),
                "max": rounded_number(m, 2),
                "max_exact": exact_text(m),
            }
            for key in view.pillar_keys
            for p, m in [unit.pillar(key)]
        },
        "total": rounded_number(unit.total, POINT_DIGITS),
        "total_exact": exact_text(unit.total),
        "most": rounded_number(unit.most, POINT_DIGITS),
        "most_exact": exact_text(unit.most),
        "index": rounded_number(unit.index, INDEX_DIGITS),
        "index_exact": exact_text(unit.index),
        "grade": row.grade,
        "criteria": [
            {
                "id": c.id,
                "pillar": c.pillar,
                "applies": c.applies,
                "counted": c.counted,
                "numerator": c.numerator,
                "denominator": c.denominator,
                "rate_exact": _ratio(c.numerator, c.denominator),
                "method": c.method,
                # Exact values only, per criterion: the scorecards (-f cards) word the rule applied.
                "target_exact": exact_text(c.target) if c.method == "capped" else None,
                "points_exact": exact_text(c.points),
                "max_exact": exact_text(c.max),
            }
            for c in unit.criteria
        ],
    }


def render_json(view: RankView, out: Any) -> None:
    """Write the ranking as one JSON document to ``out``."""
    doc = {
        "title": view.title,
        "source": view.source,
        "by": view.ranking.grouping.key if view.ranking.grouping else None,
        "missing": view.ranking.missing_policy,
        "pillars": [{"key": k, "title": t} for k, t in zip(view.pillar_keys, view.pillar_titles, strict=True)],
        "grades": [{"min_exact": exact_text(g.min), "vi": g.label_vi, "en": g.label_en} for g in view.ranking.grades],
        "units": [_unit(r, view) for r in view.rows],
        "omitted": [_unit(r, view) for r in view.omitted],
        "self_assessment": [{**finding_dict(f, view.lang), "severity": f.severity} for f in view.ranking.self_findings],
        "rounding": view.rounding,
    }
    # One line, by the C encoder: an indented document of 3,000 units took longer than scoring them.
    out.write(json.dumps(doc, ensure_ascii=False))
    out.write("\n")
