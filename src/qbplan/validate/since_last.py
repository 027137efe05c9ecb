"""A unit's figures read against its own figures of the last saved period: each column's ``since_last`` rule.

Exact: ratios and shares are compared with integers (``value * 1 > last * ratio``),
never floats. A unit with no figures in the last period is said once per sheet,
not flagged figure by figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from qbplan.config.targets import SinceLast, Targets
from qbplan.model.figures import UnitFigure
from qbplan.model.findings import Finding, Place, finding

Prior = Mapping[tuple[str, str, str], int | bool]


def since_last(targets: Targets, figures: Sequence[UnitFigure], prior: Prior, period: str) -> list[Finding]:
    """The findings of every ``since_last`` rule, at each figure's cell, with the last period's value.

    ``prior`` holds the last period's figures by (sheet, unit, column); ``period`` is that period's key.
    """
    out: list[Finding] = []
    new_units: dict[str, set[str]] = {}
    known_units = {(sheet, unit) for sheet, unit, _ in prior}
    for figure in figures:
        spec = targets.sheet(figure.sheet)
        column = spec.column(figure.column) if spec is not None else None
        if spec is None or column is None or column.since_last is None:
            continue
        if (figure.sheet, figure.unit) not in known_units:
            new_units.setdefault(figure.sheet, set()).add(figure.unit)
            continue
        last = prior.get((figure.sheet, figure.unit, figure.column))
        if last is None:
            continue
        found = _broken(column.since_last, figure.value, last)
        if found is not None:
            code, params = found
            params = {"label": column.label, "period": period, "last": last, **params}
            out.append(finding(code, figure.place or Place(), params, figure.value, column.since_last.severity))
    for sheet, units in sorted(new_units.items()):
        spec = targets.sheet(sheet)
        label = spec.label if spec is not None else sheet
        out.append(finding("since-last-new-units", Place(), {"count": len(units), "sheet": label, "period": period}))
    return out


def _broken(rule: SinceLast, value: int | bool, last: int | bool) -> tuple[str, dict[str, object]] | None:
    """The first of the rule's limits the figure breaks, as (code, parameters), or None."""
    if isinstance(value, bool) or isinstance(last, bool):
        return ("since-last-returned", {}) if rule.no_return and last is True and value is False else None
    if rule.no_fall and value < last:
        return "since-last-fell", {}
    if rule.max_ratio is not None and last > 0 and _beyond_ratio(value, last, rule.max_ratio):
        return "since-last-ratio", {"ratio": _number(rule.max_ratio)}
    if (
        rule.max_share is not None
        and last > 0
        and abs(value - last) * rule.max_share.denominator > (rule.max_share.numerator * last)
    ):
        change = Fraction(value - last, last)
        return "since-last-share", {"change": _percent(change, signed=True), "share": _percent(rule.max_share)}
    return None


def _beyond_ratio(value: int, last: int, ratio: Fraction) -> bool:
    """Whether ``value`` is more than ``ratio`` times ``last``, or less than ``last`` over ``ratio`` (exactly)."""
    up = value * ratio.denominator > ratio.numerator * last
    down = value * ratio.numerator < last * ratio.denominator
    return up or down


def _percent(share: Fraction, signed: bool = False) -> str:
    """A share as whole percent, rounded toward zero ("+150 %", "50 %"): the same in both languages."""
    whole = int(share * 100)
    return f"{whole:+d} %" if signed else f"{whole} %"


def _number(value: Fraction) -> str:
    """A ratio as written in the targets file: 3, or 2.5."""
    return str(value.numerator) if value.denominator == 1 else str(float(value))
