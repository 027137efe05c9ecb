"""The history of each indicator: its rate per period, the change, and a straight-line projection.

Everything is exact: rates are Fractions, the change is in percentage points
as a Fraction, and the least-squares line is computed over Fractions, so the
year a target would be reached does not depend on float rounding. The
projection is a straight line through the yearly points, not a promise; every
format says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from qbplan.config.targets import Targets
from qbplan.history.periods import Period
from qbplan.history.store import SavedIndicator
from qbplan.results.report import exact_rate

# The fewest yearly points a projection is drawn through.
MIN_POINTS = 3


@dataclass(frozen=True, slots=True)
class Point:
    """One indicator in the current run of one period."""

    period: Period
    run_id: int
    numerator: int
    denominator: int
    target: Fraction  # what this period was judged by (a milestone, or the final target)
    status: str
    exceeded: bool
    coverage_expected: int | None = None
    coverage_reported: int | None = None

    @property
    def rate(self) -> Fraction | None:
        """numerator/denominator exactly, or None without data."""
        return exact_rate(self.numerator, self.denominator)


@dataclass(frozen=True, slots=True)
class Projection:
    """A least-squares line through the yearly rates, and when it reaches the final target."""

    points: int  # yearly points it is drawn through
    slope: Fraction  # rate per year (1 = 100 percentage points)
    intercept: Fraction  # rate at year 0
    met: bool  # the latest yearly rate already meets the target
    reach_year: int | None  # the first year the line reaches the target; None when it never rises to it
    on_track: bool  # met, or reached by the deadline

    def at(self, year: int) -> Fraction:
        """The line's rate in ``year``."""
        return self.intercept + self.slope * year


@dataclass(frozen=True)
class Series:
    """One indicator across periods."""

    id: str
    title_vi: str
    title_en: str
    target: Fraction  # the final target of the targets file
    deadline: int
    points: list[Point]
    # Percentage points since the previous period with a rate, per point (None for the first).
    changes: list[Fraction | None] = field(default_factory=list)
    projection: Projection | None = None


def change(previous: Fraction | None, current: Fraction | None) -> Fraction | None:
    """The change in percentage points, exactly; None when either rate is unknown."""
    if previous is None or current is None:
        return None
    return (current - previous) * 100


def project(points: Sequence[tuple[int, Fraction]], target: Fraction, deadline: int) -> Projection | None:
    """The least-squares line through (year, rate) points, or None with fewer than :data:`MIN_POINTS`."""
    if len(points) < MIN_POINTS:
        return None
    n = len(points)
    zero = Fraction(0)
    sx = sum((Fraction(x) for x, _ in points), zero)
    sy = sum((y for _, y in points), zero)
    sxx = sum((Fraction(x * x) for x, _ in points), zero)
    sxy = sum((x * y for x, y in points), zero)
    spread = n * sxx - sx * sx
    if spread == 0:
        return None  # every point in one year: no line
    slope: Fraction = (n * sxy - sx * sy) / spread
    intercept: Fraction = (sy - slope * sx) / n
    last_year, last_rate = max(points)
    if last_rate >= target:
        return Projection(n, slope, intercept, met=True, reach_year=last_year, on_track=True)
    if slope <= 0:
        return Projection(n, slope, intercept, met=False, reach_year=None, on_track=False)
    crossing = (target - intercept) / slope
    # The first whole year at or after the crossing, and never before the next year: it is not met yet.
    reach = max(-((-crossing.numerator) // crossing.denominator), last_year + 1)
    return Projection(n, slope, intercept, met=False, reach_year=reach, on_track=reach <= deadline)


def build_series(
    saved: Sequence[SavedIndicator],
    targets: Targets,
    indicator: str | None = None,
    start: Period | None = None,
    end: Period | None = None,
) -> list[Series]:
    """Each indicator's points in time order, between ``start`` and ``end`` (inclusive), with changes and projection.

    Indicators are in the targets file's order; one saved under an id the
    targets file no longer has comes after them, with its last saved target.
    """
    by_id: dict[str, list[SavedIndicator]] = {}
    for row in saved:
        if start is not None and row.period.sort_key < start.sort_key:
            continue
        if end is not None and row.period.sort_key > end.sort_key:
            continue
        by_id.setdefault(row.indicator, []).append(row)
    order = [i.id for i in targets.indicators] + sorted(set(by_id) - {i.id for i in targets.indicators})
    out = []
    for ind_id in order:
        if indicator is not None and ind_id != indicator:
            continue
        rows = sorted(by_id.get(ind_id, []), key=lambda r: r.period.sort_key)
        if not rows:
            continue
        spec = next((i for i in targets.indicators if i.id == ind_id), None)
        target = spec.target.pass_ if spec else rows[-1].target
        deadline = spec.deadline if spec else rows[-1].deadline
        points = [
            Point(
                period=r.period,
                run_id=r.run_id,
                numerator=r.numerator,
                denominator=r.denominator,
                target=r.target,
                status=r.status,
                exceeded=r.exceeded,
                coverage_expected=r.coverage_expected,
                coverage_reported=r.coverage_reported,
            )
            for r in rows
        ]
        changes: list[Fraction | None] = []
        last: Fraction | None = None
        for p in points:
            changes.append(change(last, p.rate))
            last = p.rate if p.rate is not None else last
        yearly = [(p.period.year, p.rate) for p in points if p.period.kind == "year" and p.rate is not None]
        out.append(
            Series(
                id=ind_id,
                title_vi=spec.title_vi if spec else rows[-1].title_vi,
                title_en=spec.title_en if spec else rows[-1].title_en,
                target=target,
                deadline=deadline,
                points=points,
                changes=changes,
                projection=project([(y, r) for y, r in yearly if r is not None], target, deadline),
            )
        )
    return out
