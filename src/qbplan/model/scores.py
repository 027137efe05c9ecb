"""Unit grading (``qbplan rank``): points, indices, grades and ranks, exactly.

Every number here is an ``int`` or a ``Fraction``. A criterion's points,
a pillar's sum, the total, the index (total / the most points the unit could
have had) and the rank are exact; only rendering rounds them, and says how
(points to 2 decimals, the index to 4, half away from zero). Two units with
the same exact index share a rank, and the next rank skips ("1224").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from math import gcd
from typing import Literal

from qbplan.model.findings import Finding
from qbplan.model.report import Grouping, Report

Method = Literal["linear", "capped", "bands", "best"]


def points_for(
    method: Method,
    rate: Fraction,
    most: Fraction,
    *,
    target: Fraction,
    bands: Sequence[tuple[Fraction, Fraction]] = (),
    best: Fraction | None = None,
) -> Fraction:
    """The points a rate earns out of ``most``, by ``method``; never below 0 nor above ``most``.

    linear: rate × most. capped: min(rate / target, 1) × most (a target of 0
    is met by any rate). bands: the points of the highest band (min rate,
    points) the rate reaches, 0 below them all. best: rate / best × most,
    with ``best`` the highest rate of the units ranked (0 points when it is 0).
    """
    if method == "linear":
        earned = rate * most
    elif method == "capped":
        earned = most if target == 0 else min(rate / target, Fraction(1)) * most
    elif method == "bands":
        earned = next((pts for low, pts in sorted(bands, reverse=True) if rate >= low), Fraction(0))
    else:
        earned = Fraction(0) if not best else rate / best * most
    return max(Fraction(0), min(earned, most))


def competition_ranks(indices: Sequence[Fraction]) -> list[int]:
    """Each value's rank, highest first, ties sharing a rank and the next skipping ("1224")."""
    # Highest first; reverse=True keeps equal ones in their order, and negates no fraction.
    order = sorted(range(len(indices)), key=indices.__getitem__, reverse=True)
    ranks = [0] * len(indices)
    for place, i in enumerate(order):
        tied = place > 0 and indices[order[place - 1]] == indices[i]
        ranks[i] = ranks[order[place - 1]] if tied else place + 1
    return ranks


@dataclass(frozen=True)
class PillarInfo:
    """A pillar of the index, as the plan names it."""

    key: str
    title_vi: str
    title_en: str


@dataclass(frozen=True)
class GradeInfo:
    """A grade, from its lowest index up."""

    min: Fraction
    label_vi: str
    label_en: str


def grade_of(index: Fraction, grades: Sequence[GradeInfo]) -> GradeInfo:
    """The highest grade whose ``min`` the index reaches (the lowest starts at 0, so there is always one).

    ``grades`` go from the highest down, as the targets file declares them (it refuses any other order).
    """
    return next(g for g in grades if index >= g.min)


@dataclass(frozen=True)
class CriterionScore:
    """One criterion of one unit: its data, whether it counts, and the points it earned by which rule."""

    id: str
    title_vi: str
    title_en: str
    pillar: str
    method: Method
    max: Fraction
    # The unit is in the criterion's scope (a commune criterion does not apply to a department).
    applies: bool
    # It counts in the unit's most points: it applies, and has data or the plan scores no data as 0.
    counted: bool
    numerator: int = 0
    denominator: int = 0
    points: Fraction = Fraction(0)
    target: Fraction = Fraction(0)
    best: Fraction | None = None
    bands: tuple[tuple[Fraction, Fraction], ...] = ()

    @property
    def rate(self) -> Fraction | None:
        """numerator/denominator exactly, or None without data."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None


def _sum(parts: list[Fraction]) -> Fraction:
    """An exact sum of fractions, over one common denominator (Fraction's + reduces at every step)."""
    if not parts:
        return Fraction(0)
    common = 1
    for v in parts:
        d = v.denominator
        if common % d:
            common = common * d // gcd(common, d)
    return Fraction(sum([v.numerator * (common // v.denominator) for v in parts]), common)


@dataclass(frozen=True)
class UnitScore:
    """One unit (or group) graded: its criteria, totals, index, grade and rank."""

    key: str
    name: str | None
    criteria: tuple[CriterionScore, ...]
    # Registered, and sent nothing valid: every criterion it is in scope of at 0 points.
    missing: bool = False
    # Units of a group that the register expected and that sent nothing (with ``--by``).
    missing_units: int = 0
    rank: int | None = None
    grade: GradeInfo | None = None

    # Computed once per unit (sorting, grading and every format ask again): the criteria never change.
    @cached_property
    def total(self) -> Fraction:
        """The points earned over every criterion."""
        return _sum([points for points, _ in self._pillars.values()])

    @cached_property
    def most(self) -> Fraction:
        """The most points the unit could have earned: the max of every criterion that counts for it."""
        return _sum([most for _, most in self._pillars.values()])

    @cached_property
    def index(self) -> Fraction:
        """total / most on 0–1, exactly (0 when no criterion counts)."""
        return self.total / self.most if self.most else Fraction(0)

    @cached_property
    def _pillars(self) -> dict[str, tuple[Fraction, Fraction]]:
        # One pass over the criteria: each pillar's points and most points that count.
        parts: dict[str, tuple[list[Fraction], list[Fraction]]] = {}
        for c in self.criteria:
            points, most = parts.setdefault(c.pillar, ([], []))
            if c.counted:
                points.append(c.points)
                most.append(c.max)
        return {key: (_sum(points), _sum(most)) for key, (points, most) in parts.items()}

    def pillar(self, key: str) -> tuple[Fraction, Fraction]:
        """(points, most points) of one pillar."""
        return self._pillars.get(key, (Fraction(0), Fraction(0)))


@dataclass(frozen=True)
class Ranking:
    """The units of a scoring plan, graded and ranked, and the check behind it."""

    title_vi: str
    title_en: str
    source: str
    # The column grouped by (``--by``): its key, label and what a blank means; None: each unit on its own.
    grouping: Grouping | None
    pillars: tuple[PillarInfo, ...]
    grades: tuple[GradeInfo, ...]
    # Ranked, best first (ties by key).
    units: tuple[UnitScore, ...]
    # Registered units that sent nothing, left out of the ranking as the plan says ("omit").
    omitted: tuple[UnitScore, ...]
    missing_policy: Literal["zero", "omit"]
    report: Report
    # The units' self-assessments set against their computed points (``--self-assessment``).
    self_findings: tuple[Finding, ...] = ()

    @property
    def exit_code(self) -> int:
        """The check's validity (2 unusable, 3 invalid rows, else 0), then 1 for a self-score the data contradict."""
        code = self.report.validity_exit_code
        if code == 0 and any(f.severity == "error" for f in self.self_findings):
            return 1
        return code
