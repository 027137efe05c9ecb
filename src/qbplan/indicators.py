"""Indicators: achievement rates over the valid rows, exactly, with pandas.

Every sum is an exact Python ``int``; statuses are decided by integer
cross-multiplication in :func:`qbplan.report.status_for`, so a rate exactly at
its target passes and no float ever decides a status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from qbplan.report import GroupResult, IndicatorResult, status_for
from qbplan.targets import Indicator, Sheet

_INT64_MAX = 2**63 - 1


@dataclass
class SheetData:
    """All valid rows of one form sheet, across input files."""

    spec: Sheet
    frame: pd.DataFrame
    # Parsed values of the rows left out for errors (to count them per indicator).
    invalid: list[dict[str, Any]] = field(default_factory=list)


def build_sheet_data(spec: Sheet, records: Iterable[dict[str, Any]], invalid: list[dict[str, Any]]) -> SheetData:
    """A DataFrame with one column per form column, typed for exact sums."""
    rows = list(records)
    columns: dict[str, Any] = {}
    for col in spec.columns:
        values = [r.get(col.key) for r in rows]
        if col.type == "int" and all(v is not None and v <= _INT64_MAX for v in values):
            columns[col.key] = pd.array(values, dtype="int64") if values else pd.array([], dtype="int64")
        elif col.type == "yesno" and all(v is not None for v in values):
            columns[col.key] = pd.array(values, dtype="bool") if values else pd.array([], dtype="bool")
        else:
            columns[col.key] = pd.Series(values, dtype="object")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))
    return SheetData(spec=spec, frame=frame, invalid=invalid)


def exact_sum(series: pd.Series) -> int:
    """Sum as an exact int: numpy when it cannot overflow, else Python ints."""
    if len(series) == 0:
        return 0
    if series.dtype == "int64":
        top = int(series.max())
        if top * len(series) <= _INT64_MAX:
            return int(series.sum())
    return sum(int(v) for v in series.tolist() if v is not None)


def scope_mask(frame: pd.DataFrame, scope: dict[str, list[str]]) -> pd.Series:
    """Rows in scope: every scope column holds one of its allowed values."""
    mask = pd.Series(True, index=frame.index)
    for column, allowed in scope.items():
        mask &= frame[column].isin(allowed)
    return mask  # type: ignore[no-any-return]


def _in_scope(values: dict[str, Any], scope: dict[str, list[str]]) -> bool:
    # A row whose scope cell did not parse might belong in scope: count it.
    return all(values.get(col) is None or values.get(col) in allowed for col, allowed in scope.items())


def numerator_denominator(ind: Indicator, frame: pd.DataFrame, mask: pd.Series) -> tuple[int, int]:
    """(numerator, denominator) of ``ind`` over the rows of ``frame`` in ``mask``."""
    if ind.mode == "count":
        return int((mask & frame[ind.numerator].eq(True)).sum()), int(mask.sum())
    numerator = exact_sum(frame.loc[mask, ind.numerator])
    denominator = sum(exact_sum(frame.loc[mask, col]) for col in ind.denominator)
    return numerator, denominator


def _breakdown(ind: Indicator, data: SheetData, mask: pd.Series, by: str) -> tuple[GroupResult, ...]:
    frame = data.frame
    groups: dict[Any, None] = dict.fromkeys(frame.loc[mask, by].tolist())
    out = []
    key_col = frame[by]
    for group in sorted(groups, key=lambda g: (g is None, str(g))):
        gmask = mask & (key_col.isna() if group is None else key_col.eq(group))
        num, den = numerator_denominator(ind, frame, gmask)
        out.append(
            GroupResult(
                group=group,
                numerator=num,
                denominator=den,
                status=status_for(num, den, ind.target.pass_, ind.target.warn),
            )
        )
    return tuple(out)


def evaluate(ind: Indicator, data: SheetData | None, by: str | None, title: str, goal: str) -> IndicatorResult:
    """Compute one indicator; ``data`` is None when no input has its sheet."""
    if data is None:
        num = den = excluded = 0
        breakdown = None
    else:
        mask = scope_mask(data.frame, ind.scope)
        num, den = numerator_denominator(ind, data.frame, mask)
        excluded = sum(1 for values in data.invalid if _in_scope(values, ind.scope))
        breakdown = _breakdown(ind, data, mask, by) if by and data.spec.column(by) else None
    return IndicatorResult(
        id=ind.id,
        title=title,
        sheet=ind.sheet,
        mode=ind.mode,
        numerator=num,
        denominator=den,
        target=ind.target.pass_,
        warn=ind.target.warn,
        goal=goal,
        status=status_for(num, den, ind.target.pass_, ind.target.warn),
        excluded_rows=excluded,
        deadline=ind.deadline,
        source=ind.source,
        breakdown=breakdown,
    )
