"""A unit's figures read against its own figures of the last saved period: each column's ``since_last`` rule.

Exact: ratios and shares are compared with integers (``value * 1 > last * ratio``),
never floats. A unit with no figures in the last period is said once per sheet,
not flagged figure by figure.

Across the reorganisation, the plan's ``unit_map`` (former key -> new key) says what each
unit was. A period saved under the plan it follows is read through it, before any rule:

- a unit's former units are the map's keys that name it, and itself when its own key was
  saved then and is not mapped away;
- a count of a unit formed from several is the sum of theirs; a yes/no is yes only when
  every former unit said yes (a merged commune is not "back to no" because one part never
  had it);
- a figure is compared only when every former unit has it; a unit whose former units sent
  nothing that period at all is new; one with some of them missing is said once per sheet,
  with the missing units, and not compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from qbplan.config.targets import SinceLast, Targets
from qbplan.model.figures import UnitFigure
from qbplan.model.findings import Finding, Place, finding
from qbplan.textnorm import fold

Prior = Mapping[tuple[str, str, str], int | bool]


@dataclass(frozen=True)
class Mapped:
    """The last period's figures as the units of today are: read through the reorganisation's map."""

    figures: dict[tuple[str, str, str], int | bool]
    # (sheet, unit) -> its former units' keys, for a unit formed from more than one.
    merged: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # (sheet, unit) -> the former units missing that period, where others of them are there.
    incomplete: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


def through_map(prior: Prior, unit_map: Mapping[str, str]) -> Mapped:
    """``prior`` with each former unit's figures given to the unit it became (see the module's rules)."""
    if not unit_map:
        return Mapped(dict(prior))
    becomes = {fold(old): fold(new) for old, new in unit_map.items()}
    # Keys are matched folded, as the register matches them; said as the plan writes them.
    written = {fold(old): old for old in unit_map}
    formers: dict[str, set[str]] = {}
    for old, new in becomes.items():
        formers.setdefault(new, set()).add(old)
    saved: dict[tuple[str, str], dict[str, int | bool]] = {}
    for (sheet, unit, column), value in prior.items():
        saved.setdefault((sheet, unit), {})[column] = value
    groups: dict[tuple[str, str], list[str]] = {}
    for sheet, unit in saved:
        groups.setdefault((sheet, becomes.get(unit, unit)), []).append(unit)
    out = Mapped({})
    for (sheet, unit), present in sorted(groups.items()):
        missing = sorted(formers.get(unit, set()) - set(present))
        if missing:
            out.incomplete[(sheet, unit)] = tuple(written[m] for m in missing)
            continue
        if len(present) > 1:
            out.merged[(sheet, unit)] = tuple(sorted(written.get(p, p) for p in present))
        columns = set.intersection(*(set(saved[(sheet, p)]) for p in present))
        for column in columns:
            values = [saved[(sheet, p)][column] for p in present]
            out.figures[(sheet, unit, column)] = (
                all(values) if all(isinstance(v, bool) for v in values) else sum(int(v) for v in values)
            )
    return out


def since_last(
    targets: Targets,
    figures: Sequence[UnitFigure],
    prior: Prior,
    period: str,
    unit_map: Mapping[str, str] | None = None,
) -> list[Finding]:
    """The findings of every ``since_last`` rule, at each figure's cell, with the last period's value.

    ``prior`` holds the last period's figures by (sheet, unit, column); ``period`` is that period's key;
    ``unit_map`` the reorganisation's map, when that period was saved under the plan before it.
    """
    mapped = through_map(prior, unit_map or {})
    out: list[Finding] = []
    new_units: dict[str, set[str]] = {}
    incomplete: dict[str, set[str]] = {}
    known_units = {(sheet, unit) for sheet, unit, _ in mapped.figures}
    for figure in figures:
        spec = targets.sheet(figure.sheet)
        column = spec.column(figure.column) if spec is not None else None
        if spec is None or column is None or column.since_last is None:
            continue
        unit = (figure.sheet, figure.unit)
        if unit in mapped.incomplete:
            incomplete.setdefault(figure.sheet, set()).add(figure.unit)
            continue
        if unit not in known_units:
            new_units.setdefault(figure.sheet, set()).add(figure.unit)
            continue
        last = mapped.figures.get((figure.sheet, figure.unit, figure.column))
        if last is None:
            continue
        found = _broken(column.since_last, figure.value, last)
        if found is not None:
            code, params = found
            # A unit formed from several: the period names them, its value being their sum.
            formers = mapped.merged.get(unit)
            when = f"{period}: {' + '.join(formers)}" if formers else period
            params = {"label": column.label, "period": when, "last": last, **params}
            out.append(finding(code, figure.place or Place(), params, figure.value, column.since_last.severity))
    for sheet, units in sorted(new_units.items()):
        out.append(finding("since-last-new-units", Place(), {"count": len(units), "sheet": _label(targets, sheet),
                                                              "period": period}))  # fmt: skip
    for sheet, units in sorted(incomplete.items()):
        missing = sorted({m for u in units for m in mapped.incomplete[(sheet, u)]})
        params = {"count": len(units), "sheet": _label(targets, sheet), "period": period, "missing": ", ".join(missing)}
        out.append(finding("since-last-merged-incomplete", Place(), params))
    return out


def _label(targets: Targets, sheet: str) -> str:
    spec = targets.sheet(sheet)
    return spec.label if spec is not None else sheet


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
    """A share as whole percent, rounded toward zero, its digits only ("+150", "50"): the sentence adds
    the sign as each language writes it ("+150 %", "+150%")."""
    whole = int(share * 100)
    return f"{whole:+d}" if signed else f"{whole}"


def _number(value: Fraction) -> int | float:
    """A ratio as written in the targets file, 3 or 2.5: the sentence writes it in its language (2,5)."""
    return value.numerator if value.denominator == 1 else float(value)
