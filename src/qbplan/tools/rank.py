"""``qbplan rank``: the units graded and ranked by the plan's scoring, from the same check as ``check``.

The submissions are checked exactly as ``check`` checks them (the same
findings, the register's units), then each unit's row of the scoring sheet
is scored: per criterion its own numerator and denominator over the rows in
scope, the points its rule gives, per pillar and in total, an index on 0–1,
a grade and a rank. ``by`` ranks groups instead (a district: its units' rows
summed per criterion). See :mod:`qbplan.model.scores` for the arithmetic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from qbplan.config.targets import Indicator, ScoringSpec, Sheet, Targets, parse_percent
from qbplan.errors import QbplanError
from qbplan.files.inputs import Inputs
from qbplan.indicators import counts_by_group, scope_mask
from qbplan.model.findings import Finding
from qbplan.model.report import Grouping
from qbplan.model.scores import (
    CriterionScore,
    GradeInfo,
    Method,
    PillarInfo,
    Ranking,
    UnitScore,
    competition_ranks,
    grade_of,
    points_for,
)
from qbplan.register.load import key_column, name_column
from qbplan.register.match import REPORTED
from qbplan.run.pipeline import Checked, CheckOptions, Paths, check_matched, grouping_key
from qbplan.textnorm import canonical_names


def rank(
    paths: Paths | Inputs,
    targets: Targets,
    *,
    by: str | None = None,
    options: CheckOptions | None = None,
    self_assessments: Sequence[str] = (),
) -> Ranking:
    """Grade and rank the units of ``targets``' scoring over the submissions in ``paths``.

    ``by`` ranks the groups of a column of the scoring sheet (its key or label)
    instead of each unit. With a register (``options.register`` or the targets
    file's), a unit that sent nothing is scored as the plan says: zero on every
    criterion it is in scope of, or left out of the ranking and listed.
    ``self_assessments`` are the units' own scored sheets, each self-score
    held to the points computed here (:mod:`qbplan.tools.selfscore`).
    """
    spec = targets.scoring
    if spec is None:
        raise QbplanError("rank-no-scoring", file=targets.path or "targets.yaml")
    sheet = targets.sheet(spec.sheet)
    assert sheet is not None  # checked when the targets were loaded
    column = _grouping(targets, sheet, by)
    options = options or CheckOptions()
    checked = check_matched(paths, targets, dataclasses.replace(options, by=column))
    year = options.period.year if options.period else None
    scored, lost = _scored(checked, targets, spec, sheet, column, year)
    omitted = tuple(lost) if spec.missing == "omit" else ()
    grades = tuple(GradeInfo(g.min, g.label_vi, g.label_en) for g in spec.grades)
    ranked = [*scored, *lost] if spec.missing == "zero" else scored
    units = _ranked(_with_best(ranked, targets.scored()), grades)
    self_findings: list[Finding] = []
    if self_assessments:
        from qbplan.tools.selfscore import check_self_assessments

        self_findings = check_self_assessments(self_assessments, (*units, *omitted), targets, options)
    by_column = sheet.column(column) if column else None
    return Ranking(
        title_vi=spec.title_vi,
        title_en=spec.title_en,
        source=spec.source,
        grouping=Grouping.of(by_column) if by_column else None,
        pillars=tuple(PillarInfo(p.key, p.title_vi, p.title_en) for p in spec.pillars),
        grades=grades,
        units=units,
        omitted=omitted,
        missing_policy=spec.missing,
        report=checked.report,
        self_findings=tuple(self_findings),
    )


def _scored(
    checked: Checked, targets: Targets, spec: ScoringSpec, sheet: Sheet, column: str | None, year: int | None
) -> tuple[list[UnitScore], list[UnitScore]]:
    """The units (or groups) of the rows, scored; and the register's units that sent nothing, at 0."""
    frame = checked.matched.frames.get(spec.sheet)
    if frame is None:
        frame = pd.DataFrame({c.key: pd.Series([], dtype=object) for c in sheet.columns})
    rules = [_resolved(ind, spec, year) for ind in targets.scored()]
    key_col = _key_column(sheet)
    register = checked.register.sheets.get(spec.sheet) if checked.register else None
    units = checked.matched.units.get(spec.sheet)
    if column is None:
        # A unit's own target, from the register (ranking units only: a group has no one target).
        found = name_column(sheet)
        name_col = found.key if found else None
        scored = _score_rows(frame, rules, key_col, name_col, _unit_targets(spec, register, key_col))
        return scored, _missing(units, rules, register) if units is not None and register is not None else []
    return _groups_with_missing(_score_rows(frame, rules, column, None, {}), units, column, rules)


def _grouping(targets: Targets, sheet: Sheet, by: str | None) -> str | None:
    if by is None:
        return None
    key = grouping_key(targets, by)
    if key is None or sheet.column(key) is None:
        raise QbplanError("usage-bad-by-sheet", column=by, sheet=sheet.label)
    return key


def _key_column(sheet: Sheet) -> str:
    found = key_column(sheet)
    if found is None:
        raise QbplanError("rank-no-unit-key", sheet=sheet.label)
    return found.key


def _text(value: Any) -> str | None:
    # pandas stores a column of blanks as float NaN; a blank is None here.
    return value if isinstance(value, str) else None


def _rule(ind: Indicator) -> Any:
    assert ind.scoring is not None  # only scored indicators are criteria
    return ind.scoring


def _unit_targets(spec: ScoringSpec, register: Any, key_col: str) -> dict[str, dict[str, Fraction]]:
    """criterion -> unit key -> the unit's own target, from the register's columns (blank: the plan's)."""
    if register is None or not spec.unit_targets:
        return {}
    out: dict[str, dict[str, Fraction]] = {}
    for unit_target in spec.unit_targets:
        if unit_target.key not in register.extra:
            continue
        found = out.setdefault(unit_target.criterion, {})
        for unit in register.units:
            value = unit.values.get(unit_target.key)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            try:
                found[str(unit.values[register.key])] = parse_percent(value)
            except ValueError:
                params = {"unit": unit.values[register.key], "column": unit_target.label, "value": str(value)[:40]}
                raise QbplanError("rank-bad-unit-target", file=register.file, **params) from None
    return out


@dataclass(frozen=True)
class _Rule:
    """A criterion's scoring, resolved once for every unit: its method, most points, target and bands."""

    ind: Indicator
    method: Method
    most: Fraction
    target: Fraction
    bands: tuple[tuple[Fraction, Fraction], ...]
    zero_without_data: bool


def _resolved(ind: Indicator, spec: ScoringSpec, year: int | None) -> _Rule:
    rule = _rule(ind)
    bands = tuple((b.min, b.points) for b in rule.bands)
    target = ind.threshold(year)[0].pass_
    return _Rule(ind, rule.method, rule.max, target, bands, spec.no_data == "zero")


_ZERO = Fraction(0)


def _criterion(
    rule: _Rule, applies: bool, num: int = 0, den: int = 0, target: Fraction | None = None, *, sent: bool = True
) -> CriterionScore:
    """One criterion of one unit, before the best unit's rate is known (see _with_best).

    ``target``: the unit's own, from the register; else the indicator's (of the period's milestone, if any).
    A unit that ``sent`` nothing counts every criterion it is in scope of, at 0 points.
    """
    ind = rule.ind
    target = target if target is not None else rule.target
    counted = applies and (not sent or den > 0 or rule.zero_without_data)
    points = _ZERO
    # "best" waits for the best unit's rate (_with_best).
    if counted and den and rule.method != "best":
        # A count's rate is 0 or 1: no fraction to reduce.
        rate = Fraction(num) if den == 1 else Fraction(num, den)
        points = points_for(rule.method, rate, rule.most, target=target, bands=rule.bands)
    return CriterionScore(
        id=ind.id,
        title_vi=ind.title_vi,
        title_en=ind.title_en,
        pillar=ind.pillar or "",
        method=rule.method,
        max=rule.most,
        applies=applies,
        counted=counted,
        numerator=num,
        denominator=den,
        points=points,
        target=target,
        bands=rule.bands,
    )


def _score_rows(
    frame: pd.DataFrame,
    rules: list[_Rule],
    key_col: str,
    name_col: str | None,
    own: dict[str, dict[str, Fraction]],
) -> list[UnitScore]:
    """Every unit (or group) of the rows: per criterion its rows in scope, summed exactly."""
    # A blank cell (None, or NaN in a column pandas made float) is one group: the blank one.
    keys = [None if k is None or k != k else k for k in frame[key_col].tolist()]
    if name_col is None:
        # Grouped: "TP Đồng Hới" and "Thành phố Đồng Hới" are one group, named as first written.
        names = canonical_names(keys)
        keys = [names[k] for k in keys]
    labels = frame[name_col].tolist() if name_col else [None] * len(keys)
    order: dict[Any, str | None] = {}
    for key, label in zip(keys, labels, strict=True):
        order.setdefault(key, _text(label))
    # Each criterion's (numerator, denominator) per unit or group, as --by sums them: only those in scope.
    tallies = {r.ind.id: counts_by_group(r.ind, frame, scope_mask(frame, r.ind.scope), keys) for r in rules}
    units = []
    for key, label in order.items():
        parts = []
        for rule in rules:
            counts = tallies[rule.ind.id].get(key)
            num, den = counts if counts else (0, 0)
            target = own.get(rule.ind.id, {}).get(_shown(key)) if own else None
            parts.append(_criterion(rule, counts is not None, num, den, target))
        units.append(UnitScore(key=_shown(key), name=label, criteria=tuple(parts)))
    return units


def _shown(key: Any) -> str:
    return "" if key is None else str(key)


def _missing(units: pd.DataFrame, rules: list[_Rule], register: Any) -> list[UnitScore]:
    """The register's units that sent nothing valid: 0 points on each criterion whose scope they are in."""
    lost = units[~units[REPORTED]]
    if lost.empty:
        return []
    # Scope columns the register gives; one it lacks cannot leave a unit out.
    scopes = [scope_mask(lost, {k: v for k, v in r.ind.scope.items() if k in lost}).tolist() for r in rules]
    return [
        UnitScore(
            key=str(record[register.key]),
            name=_text(record.get(register.name)) if register.name else None,
            criteria=tuple(_criterion(r, scope[i], sent=False) for r, scope in zip(rules, scopes, strict=True)),
            missing=True,
        )
        for i, record in enumerate(lost.to_dict("records"))
    ]


def _groups_with_missing(
    scored: list[UnitScore], units: pd.DataFrame | None, column: str, rules: list[_Rule]
) -> tuple[list[UnitScore], list[UnitScore]]:
    """Grouped: each group says how many of its units sent nothing; a group none of whose units sent is missing."""
    if units is None or column not in units:
        return scored, []
    # Keyed as the rows' groups are: a blank cell is the blank group, "".
    lost = [_shown(_text(v)) for v in units.loc[~units[REPORTED], column].tolist()]
    names = canonical_names([*(s.key for s in scored), *lost])
    by_group: dict[Any, int] = {}
    for group in lost:
        by_group[names[group]] = by_group.get(names[group], 0) + 1
    out = [dataclasses.replace(s, missing_units=by_group.pop(names[s.key], 0)) for s in scored]
    empty = [
        UnitScore(
            key=_shown(group),
            name=None,
            criteria=tuple(_criterion(r, True, sent=False) for r in rules),
            missing=True,
            missing_units=count,
        )
        for group, count in by_group.items()
    ]
    return out, empty


def _with_best(units: list[UnitScore], criteria: list[Indicator]) -> list[UnitScore]:
    """The ``best`` criteria scored against the highest rate among the units ranked."""
    best_ids = {ind.id for ind in criteria if _rule(ind).method == "best"}
    if not best_ids:
        return units
    best: dict[str, Fraction] = {}
    for unit in units:
        for c in unit.criteria:
            if c.id in best_ids and c.counted and c.rate is not None:
                best[c.id] = max(best.get(c.id, Fraction(0)), c.rate)
    out = []
    for unit in units:
        parts = []
        for c in unit.criteria:
            if c.id in best_ids:
                top = best.get(c.id, Fraction(0))
                earned = points_for("best", c.rate or Fraction(0), c.max, target=c.target, best=top)
                c = dataclasses.replace(c, best=top, points=earned if c.counted and c.rate is not None else Fraction(0))
            parts.append(c)
        out.append(dataclasses.replace(unit, criteria=tuple(parts)))
    return out


def _ranked(units: list[UnitScore], grades: tuple[GradeInfo, ...]) -> tuple[UnitScore, ...]:
    """Best first by the exact index, ties by key; competition ranks ("1224"); each unit's grade."""
    ordered = sorted(units, key=lambda u: (-u.index, u.key))
    # Already in order, so the ranks' own sort is one pass.
    ranks = competition_ranks([u.index for u in ordered])
    return tuple(
        dataclasses.replace(u, rank=r, grade=grade_of(u.index, grades)) for u, r in zip(ordered, ranks, strict=True)
    )
