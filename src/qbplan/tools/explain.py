"""``qbplan explain``: which agencies pull an indicator down, and by how much.

For one indicator, every row in its scope (an agency, a commune, a district,
a database) gets its own rate and its *gap*: the fewest numerator units it
must add, with its denominator unchanged, to reach the target on its own. The
whole indicator, and each district, get the same. Gaps are exact integers:
``ceil(target × denominator) − numerator``, never below zero.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import pandas as pd

from qbplan.config.targets import Indicator, Sheet, Targets
from qbplan.errors import QbplanError
from qbplan.indicators import scope_mask
from qbplan.model.columns import FILE, ROW, SHEET
from qbplan.model.explain import Explanation, GroupGap, RowGap
from qbplan.model.report import IndicatorResult, UnitRef, exceeds, status_for
from qbplan.register.load import RegisterSheet
from qbplan.register.match import REPORTED
from qbplan.run.pipeline import CheckOptions, check_matched, grouping_key, indicator_named
from qbplan.textnorm import canonical_names


def gap(numerator: int, denominator: int, target: Fraction) -> int:
    """Numerator units to add (denominator fixed) for numerator/denominator ≥ target."""
    if denominator == 0:
        return 0
    # ceil(target * denominator) with integers only
    needed = -((-target.numerator * denominator) // target.denominator)
    return max(0, needed - numerator)


def _name_column(spec: Sheet) -> str | None:
    for col in spec.columns:
        if col.type == "text" and not col.unique:
            return col.key
    return None


def _key_column(spec: Sheet) -> str | None:
    return next((c.key for c in spec.columns if c.unique), None)


def explain(
    indicator_id: str,
    paths: Sequence[str | os.PathLike[str]],
    targets: Targets,
    *,
    by: str | None = None,
    options: CheckOptions | None = None,
) -> Explanation:
    """Explain indicator ``indicator_id`` over the submissions in ``paths``.

    ``by`` groups the rows, by a column's key or label (default: by district
    when the sheet has ``huyen``); a column the indicator's sheet lacks is a
    usage error, as in ``check``. ``options`` are those of
    :func:`qbplan.run.pipeline.check`, its register too: the units in scope
    that gave no valid row are listed in ``missing``.
    """
    options = options or CheckOptions()
    ind = indicator_named(targets, indicator_id)
    spec = targets.sheet(ind.sheet)
    assert spec is not None  # checked when the targets were loaded
    by = _grouping(targets, spec, by)
    # The rates as the plan's end judges them: fail_on and the period's milestone are check's business.
    checked = check_matched(paths, targets, dataclasses.replace(options, by=by, fail_on="fail", period=None))
    report, matched, register = checked.report, checked.matched, checked.register
    result = next(r for r in report.indicators if r.id == ind.id)

    row_gaps = _row_gaps(ind, spec, matched.frames.get(ind.sheet, pd.DataFrame()), by)
    groups = _group_gaps(ind, row_gaps) if by else []
    reg = register.sheets.get(ind.sheet) if register else None
    return Explanation(
        indicator=result,
        spec=ind,
        gap=_indicator_gap(result, ind),
        rows=row_gaps,
        groups=groups,
        by=by,
        report=report,
        missing=_missing(ind, reg, matched.units.get(ind.sheet), by),
    )


def _indicator_gap(result: IndicatorResult, ind: Indicator) -> int:
    """Rows short of the target; with missing units (count mode), against all the units expected, each a "no"."""
    return gap(result.numerator, result.bounds[2] if result.bounds else result.denominator, ind.target.pass_)


def _missing(ind: Indicator, reg: RegisterSheet | None, units: Any, by: str | None) -> list[UnitRef]:
    """The register's units in the indicator's scope with no valid row, in register order."""
    if reg is None or units is None:
        return []
    lost = units[scope_mask(units, ind.scope) & ~units[REPORTED]]
    group = by if by in units else reg.group
    return [
        UnitRef(
            key=str(record[reg.key]),
            name=_text(record.get(reg.name)) if reg.name else None,
            group=_text(record.get(group)) if group else None,
        )
        for record in lost.to_dict("records")
    ]


def _row_gap(
    record: dict[str, Any], num: int, den: int, ind: Indicator, columns: tuple[str | None, str | None, str | None]
) -> RowGap:
    """One row's part of the indicator; ``columns`` are the key, name and group columns it has."""
    key_col, name_col, by = columns
    return RowGap(
        key=_text(record.get(key_col)) if key_col else None,
        name=_text(record.get(name_col)) if name_col else None,
        group=_text(record.get(by)) if by else None,
        file=record[FILE],
        sheet=record[SHEET],
        row=int(record[ROW]),
        numerator=num,
        denominator=den,
        status=status_for(num, den, ind.target.pass_, ind.target.warn),
        gap=gap(num, den, ind.target.pass_),
        exceeded=beyond(num, den, ind),
    )


def _row_gaps(ind: Indicator, spec: Sheet, frame: Any, by: str | None) -> list[RowGap]:
    if frame.empty:
        return []
    frame = frame[scope_mask(frame, ind.scope)]
    numerators, denominators = _per_row(ind, frame)
    if by:
        # Group spellings of one place together, as the check's breakdown does.
        values = frame[by].tolist()
        names = canonical_names(values)
        frame[by] = pd.Series([names[v] for v in values], index=frame.index, dtype=object)
    columns = (_key_column(spec), _name_column(spec), by)
    records = zip(frame.to_dict("records"), numerators, denominators, strict=True)
    out = [_row_gap(record, num, den, ind, columns) for record, num, den in records]
    # Biggest shortfall first; then the lowest rate; then where it is, for a stable order.
    out.sort(key=lambda r: (-r.gap, r.rate if r.rate is not None else Fraction(2), r.file, r.row))
    return out


# What explain groups by when asked for nothing: the district, where the sheet has one.
DEFAULT_GROUPING = "huyen"


def _grouping(targets: Targets, spec: Sheet, by: str | None) -> str | None:
    """The column to group by: the one asked for (or a usage error), else the district if there is one."""
    if by is None:
        return DEFAULT_GROUPING if spec.column(DEFAULT_GROUPING) else None
    key = grouping_key(targets, by)
    if key is None or spec.column(key) is None:
        raise QbplanError("usage-bad-by-sheet", column=by, sheet=spec.label)
    return key


def _per_row(ind: Indicator, frame: Any) -> tuple[list[int], list[int]]:
    """Each row's own numerator and denominator, as Python ints."""
    if ind.mode == "count":
        return [int(v is True) for v in frame[ind.numerator].tolist()], [1] * len(frame)
    numerators = [int(v) for v in frame[ind.numerator].tolist()]
    columns = [[int(v) for v in frame[key].tolist()] for key in ind.denominator]
    return numerators, [sum(parts) for parts in zip(*columns, strict=True)] if columns else [0] * len(frame)


def beyond(num: int, den: int, ind: Indicator) -> bool:
    """Whether a row's or group's rate is met and beyond, as the check's VƯỢT is judged."""
    met = status_for(num, den, ind.target.pass_, ind.target.warn) == "pass"
    return met and exceeds(num, den, ind.target.pass_, ind.target.stretch)


def _text(value: Any) -> str | None:
    # pandas stores a column of blanks as float NaN; a blank is None here.
    return value if isinstance(value, str) else None


def _group_gaps(ind: Indicator, rows: list[RowGap]) -> list[GroupGap]:
    totals: dict[str | None, list[int]] = {}
    for r in rows:
        acc = totals.setdefault(r.group, [0, 0, 0])
        acc[0] += r.numerator
        acc[1] += r.denominator
        acc[2] += 1
    groups = [
        GroupGap(
            group=group,
            numerator=num,
            denominator=den,
            status=status_for(num, den, ind.target.pass_, ind.target.warn),
            gap=gap(num, den, ind.target.pass_),
            rows=count,
            exceeded=beyond(num, den, ind),
        )
        for group, (num, den, count) in totals.items()
    ]
    groups.sort(key=lambda g: (-g.gap, g.group is None, str(g.group)))
    return groups
