"""The projection: an exact least-squares line, recomputed here another way, and the year it reaches the target."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from qbplan.history.trend import change, project


def _centred_line(points: list[tuple[int, Fraction]]) -> tuple[Fraction, Fraction]:
    """Slope and intercept by the centred formula: Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²."""
    n = len(points)
    mx = Fraction(sum(x for x, _ in points), n)
    my = sum((y for _, y in points), Fraction(0)) / n
    slope = sum(((x - mx) * (y - my) for x, y in points), Fraction(0)) / sum(
        ((x - mx) ** 2 for x, _ in points), Fraction(0)
    )
    return slope, my - slope * mx


rates = st.fractions(0, 1, max_denominator=1000)


@given(st.lists(rates, min_size=3, max_size=8), st.fractions(Fraction(1, 2), 1, max_denominator=100))
def test_the_line_and_the_year_match_an_independent_computation(ys: list[Fraction], target: Fraction) -> None:
    points = [(2018 + i, y) for i, y in enumerate(ys)]
    p = project(points, target, 2025)
    assert p is not None
    slope, intercept = _centred_line(points)
    assert (p.slope, p.intercept) == (slope, intercept)
    last_year, last = points[-1]
    if last >= target:
        assert p.met and p.on_track
    elif slope <= 0:
        assert p.reach_year is None and not p.on_track
    else:
        year = max(math.ceil((target - intercept) / slope), last_year + 1)
        assert p.reach_year == year
        assert p.on_track == (year <= 2025)
        if year > last_year + 1:
            assert intercept + slope * year >= target > intercept + slope * (year - 1)


def test_fewer_than_three_years_give_no_projection() -> None:
    assert project([(2024, Fraction(1, 2)), (2025, Fraction(3, 4))], Fraction(1), 2025) is None


def test_the_change_is_exact_percentage_points() -> None:
    assert change(Fraction(7, 10), Fraction(5439, 7770)) == 0
    assert change(Fraction(1, 3), Fraction(1, 2)) == Fraction(50, 3)
    assert change(None, Fraction(1, 2)) is None
