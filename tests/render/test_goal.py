"""A target's wording as every rate is written: "80–90 %" beside "100 %", never "80%–90%"."""

from __future__ import annotations

from fractions import Fraction

import pytest

from qbplan.render.view import goal_text


@pytest.mark.parametrize(
    ("goal", "lang", "shown"),
    [
        ("80%–90%", "vi", "80–90 %"),
        ("80%–90%", "en", "80–90%"),
        ("80 - 90 %", "vi", "80–90 %"),
        ("72,5%–90%", "vi", "72,5–90,0 %"),
        ("100% (trừ cấp xã)", "vi", "100% (trừ cấp xã)"),  # the plan's own words, kept
        (None, "vi", "80 %"),
        (None, "en", "80%"),
    ],
)
def test_a_goal_is_written_as_the_rates_beside_it(goal: str | None, lang: str, shown: str) -> None:
    assert goal_text(Fraction(8, 10), goal, lang) == shown
