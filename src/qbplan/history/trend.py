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
from functools import cached_property
from typing import Protocol, TypeVar

from qbplan.config.targets import Indicator, Targets
from qbplan.history.location import Database, HistoryError
from qbplan.history.periods import Period
from qbplan.history.store import RunInfo, SavedIndicator, open_store
from qbplan.model.report import change

# The fewest yearly points a projection is drawn through.
MIN_POINTS = 3


@dataclass(frozen=True, slots=True)
class Projection:
    """A least-squares line through the yearly rates, and when it reaches the final target."""

    points: int  # yearly points it is drawn through
    slope: Fraction  # rate per year (1 = 100 percentage points)
    intercept: Fraction  # rate at year 0
    met: bool  # the latest yearly rate already meets the target
    reach_year: int | None  # the first year the line reaches the target; None when it never rises to it
    on_track: bool  # met, or reached by the deadline


@dataclass(frozen=True)
class Series:
    """One indicator across periods."""

    id: str
    title_vi: str
    title_en: str
    target: Fraction  # the final target of the targets file
    deadline: int
    # The current run of each period, in time order, as saved.
    points: list[SavedIndicator]
    # Percentage points since the previous period with a rate, per point (None for the first).
    changes: list[Fraction | None] = field(default_factory=list)
    projection: Projection | None = None

    @cached_property
    def breaks(self) -> frozenset[int]:
        """The points saved under another plan than the point before: the structure changed there."""
        return frozenset(i for i in range(1, len(self.points)) if self.points[i].plan_id != self.points[i - 1].plan_id)


def _least_squares(points: Sequence[tuple[int, Fraction]]) -> tuple[Fraction, Fraction] | None:
    """The exact slope and intercept of the line through the points; None when they all share one year."""
    n = len(points)
    zero = Fraction(0)
    sx = sum((Fraction(x) for x, _ in points), zero)
    sy = sum((y for _, y in points), zero)
    sxx = sum((Fraction(x * x) for x, _ in points), zero)
    sxy = sum((x * y for x, y in points), zero)
    spread = n * sxx - sx * sx
    if spread == 0:
        return None
    slope = (n * sxy - sx * sy) / spread
    return slope, (sy - slope * sx) / n


def project(points: Sequence[tuple[int, Fraction]], target: Fraction, deadline: int) -> Projection | None:
    """The least-squares line through (year, rate) points, or None with fewer than :data:`MIN_POINTS`."""
    line = _least_squares(points) if len(points) >= MIN_POINTS else None
    if line is None:
        return None
    n = len(points)
    slope, intercept = line
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
    by_id = _by_indicator(saved, start, end)
    known = [i.id for i in targets.indicators]
    order = known + sorted(set(by_id) - set(known))
    return [
        _series(ind_id, sorted(by_id[ind_id], key=lambda r: r.period.sort_key), targets)
        for ind_id in order
        if ind_id in by_id and (indicator is None or ind_id == indicator)
    ]


def _by_indicator(
    saved: Sequence[SavedIndicator], start: Period | None, end: Period | None
) -> dict[str, list[SavedIndicator]]:
    """The saved rows between ``start`` and ``end`` (inclusive), by indicator id."""
    by_id: dict[str, list[SavedIndicator]] = {}
    for row in saved:
        if within(row.period, start, end):
            by_id.setdefault(row.indicator, []).append(row)
    return by_id


def within(period: Period, start: Period | None, end: Period | None) -> bool:
    """Whether ``period`` is between ``start`` and ``end`` (inclusive; None: open)."""
    after = start is None or period.sort_key >= start.sort_key
    return after and (end is None or period.sort_key <= end.sort_key)


def changes_of(points: Sequence[SavedIndicator]) -> list[Fraction | None]:
    """Each point's change since the last earlier whole point with a rate.

    None for the first, without a rate, and for a partial round (units missing): its rate is only a
    bound of the period's, and a change from or to it would be a guess.
    """
    out: list[Fraction | None] = []
    last: Fraction | None = None
    for p in points:
        whole = p.rate if not p.partial else None
        out.append(change(last, whole))
        last = whole if whole is not None else last
    return out


def trend_points(rows: Sequence[SavedIndicator]) -> list[tuple[int, Fraction]]:
    """The (year, rate) points a projection is fitted through: yearly, whole (no unit missing), since the last break.

    A partial round's rate is a bound, not the year's; and a line through a change of structure
    (the 2025 reorganisation) would join two series that measure different units.
    """
    breaks = [i for i in range(1, len(rows)) if rows[i].plan_id != rows[i - 1].plan_id]
    start = breaks[-1] if breaks else 0
    return [
        (p.period.year, p.rate)
        for p in rows[start:]
        if p.period.kind == "year" and p.rate is not None and not p.partial
    ]


def _series(ind_id: str, rows: list[SavedIndicator], targets: Targets) -> Series:
    spec = next((i for i in targets.indicators if i.id == ind_id), None)
    # An id the targets file no longer has keeps what was saved with it.
    named: Indicator | SavedIndicator = spec or rows[-1]
    target = spec.target.pass_ if spec else rows[-1].target
    yearly = trend_points(rows)
    return Series(
        id=ind_id,
        title_vi=named.title_vi,
        title_en=named.title_en,
        target=target,
        deadline=named.deadline,
        points=rows,
        changes=changes_of(rows),
        projection=project(yearly, target, named.deadline),
    )


@dataclass(frozen=True)
class History:
    """What ``qbplan history`` shows: each indicator's series and, when asked, every run."""

    series: list[Series]
    runs: list[RunInfo]


def read_history(
    db: Database,
    targets: Targets,
    indicator: str | None = None,
    start: Period | None = None,
    end: Period | None = None,
    runs: bool = False,
) -> History:
    """The saved history of the targets' plan and the plans it follows, in ``db``.

    Each period is taken from the nearest plan of the lineage that saved it, so
    a 2025 run of the two-tier plan continues the 2024 series of the plan it
    follows; the series marks the break (:attr:`Series.breaks`). An error
    (exit 2) when ``db`` has no run of any of them.
    """
    lineage = targets.lineage()
    with open_store(db, create=False) as store:
        plans = store.plans()
        if not set(lineage) & set(plans):
            raise HistoryError(
                "history-no-runs", file=str(store.where), plan=targets.plan.id, plans=", ".join(plans) or "-"
            )
        saved = nearest(lineage, {plan: store.current(plan) for plan in lineage})
        every = sorted((r for plan in lineage for r in store.runs(plan)), key=lambda r: r.id) if runs else []
    return History(build_series(saved, targets, indicator, start, end), every)


class _OfPeriod(Protocol):
    @property
    def period(self) -> Period: ...


_Saved = TypeVar("_Saved", bound=_OfPeriod)


def nearest(lineage: tuple[str, ...], saved: dict[str, list[_Saved]]) -> list[_Saved]:
    """Each period's rows (indicators or scores) from the nearest plan of ``lineage`` that saved it."""
    taken: set[str] = set()
    out: list[_Saved] = []
    for plan in lineage:
        periods = {row.period.key for row in saved[plan]} - taken
        out += [row for row in saved[plan] if row.period.key in periods]
        taken |= periods
    return out
