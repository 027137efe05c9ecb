"""Counts far from the units like them in the same period: the modified z-score on the median, judged exactly.

For the counts ``x`` of one group (the units sharing the ``by`` columns' values), with
``m`` their median and ``MAD`` the median of ``|x − m|``, a unit's score is
``0.6745 × |x − m| / MAD`` (Iglewicz and Hoaglin). It is an outlier when the score passes
the column's threshold: ``6745 × |x − m| > threshold × 10000 × MAD``, in fractions, never floats.
A group smaller than ``min_units``, or whose MAD is 0, is not judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from qbplan.config.targets import Column, Sheet
from qbplan.model.findings import Finding, Place, finding

# 0.6745: the normal distribution's quartile, which makes the MAD comparable to a standard deviation.
_K = Fraction(6745, 10000)


def median(values: Sequence[Fraction]) -> Fraction:
    """The exact median of at least one value."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def far(values: Sequence[int], threshold: Fraction) -> list[bool]:
    """Whether each value is an outlier of the group, by the modified z-score (exactly)."""
    xs = [Fraction(v) for v in values]
    m = median(xs)
    mad = median([abs(x - m) for x in xs])
    if mad == 0:
        return [False] * len(xs)
    return [_K * abs(x - m) > threshold * mad for x in xs]


def outlier_findings(
    spec: Sheet, rows: Iterable[Mapping[Any, Any]], places: Mapping[tuple[str, str], Mapping[str, int]]
) -> list[Finding]:
    """A warning at each count of ``spec``'s rows (with their file, sheet and Excel row) far from its group's.

    ``rows`` are the counted rows (the pipeline's merged frame as records: ``__file``,
    ``__sheet``, ``__row`` and the columns); ``places`` each (file, sheet)'s column positions.
    """
    from qbplan.model.columns import FILE, ROW, SHEET

    out: list[Finding] = []
    records = list(rows)
    for column in spec.columns:
        rule = column.outlier
        if rule is None:
            continue
        groups: dict[tuple[Any, ...], list[Mapping[Any, Any]]] = {}
        for record in records:
            value = _count(record.get(column.key))
            if value is None:
                continue
            groups.setdefault(tuple(record.get(b) for b in rule.by), []).append({**record, column.key: value})
        for group, members in sorted(groups.items(), key=lambda item: str(item[0])):
            if len(members) < rule.min_units:
                continue
            values = [int(r[column.key]) for r in members]
            m = median([Fraction(v) for v in values])
            for record, is_far in zip(members, far(values, rule.threshold), strict=True):
                if not is_far:
                    continue
                index = places.get((record[FILE], record[SHEET]), {}).get(column.key)
                place = Place(record[FILE], record[SHEET], int(record[ROW]), column.key, index)
                params = {"label": column.label, "group": _group_text(spec, rule.by, group), "count": len(members),
                          "median": _median_text(m)}  # fmt: skip
                out.append(finding("outlier", place, params, record[column.key]))
    return out


def _count(value: Any) -> int | None:
    """A count as the merged rows hold it (an int, or a whole float where the column has blanks); None if blank."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return int(value) if value == value and value.is_integer() else None
    return int(value) if isinstance(value, int) else None


def _group_text(spec: Sheet, by: Sequence[str], group: tuple[Any, ...]) -> str:
    """The group as people read it: each by-column's label of its value ("Cấp tỉnh · Sở, ngành")."""
    if not by:
        return "—"
    words = []
    for key, value in zip(by, group, strict=True):
        column: Column | None = spec.column(key)
        label = (column.values or {}).get(value, value) if column is not None else value
        words.append(str(label) if label is not None else "—")
    return " · ".join(words)


def _median_text(m: Fraction) -> int | str:
    """A median of counts: a whole number, or one and a half (kept exact, shown as x.5 / x,5 alike)."""
    return int(m) if m.denominator == 1 else f"{m.numerator // m.denominator}½"
