"""Reporting periods: the four forms, their order in time, and one refusal for anything else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.errors import QbplanError
from qbplan.history.periods import Period, parse_period
from tests.helpers import SAMPLES


@pytest.mark.parametrize(
    ("text", "kind", "year", "index", "label"),
    [
        ("2024", "year", 2024, 0, "Năm 2024"),
        ("2024-Q3", "quarter", 2024, 3, "Quý 3/2024"),
        ("2024-q1", "quarter", 2024, 1, "Quý 1/2024"),
        ("2025-H1", "half", 2025, 1, "6 tháng đầu năm 2025"),
        ("2025-H2", "half", 2025, 2, "6 tháng cuối năm 2025"),
        (" 2024-03 ", "month", 2024, 3, "Tháng 3/2024"),
    ],
)
def test_the_four_forms(text: str, kind: str, year: int, index: int, label: str) -> None:
    period = parse_period(text)
    assert (period.kind, period.year, period.index, period.label()) == (kind, year, index, label)
    assert parse_period(period.key) == period


@pytest.mark.parametrize(
    "text", ["24", "2024-Q5", "2024-Q0", "2024-H3", "2024-13", "2024-00", "2024-3", "năm 2024", ""]
)
def test_anything_else_is_a_usage_error(text: str) -> None:
    with pytest.raises(QbplanError) as caught:
        parse_period(text)
    assert caught.value.code == "usage-bad-period"


periods = st.one_of(
    st.builds(Period, st.just("year"), st.integers(1900, 2200)),
    st.builds(Period, st.just("quarter"), st.integers(1900, 2200), st.integers(1, 4)),
    st.builds(Period, st.just("half"), st.integers(1900, 2200), st.integers(1, 2)),
    st.builds(Period, st.just("month"), st.integers(1900, 2200), st.integers(1, 12)),
)


@given(periods)
def test_every_period_round_trips_through_its_key(period: Period) -> None:
    assert parse_period(period.key) == period


@given(periods, periods)
def test_time_order_is_by_the_last_month_then_the_longer_period(a: Period, b: Period) -> None:
    months = {"year": 12, "half": 6, "quarter": 3, "month": 1}
    end_a = a.year * 12 + max(a.index, 1) * months[a.kind]
    end_b = b.year * 12 + max(b.index, 1) * months[b.kind]
    if end_a != end_b:
        assert (a.sort_key < b.sort_key) == (end_a < end_b)
    elif months[a.kind] != months[b.kind]:
        assert (a.sort_key < b.sort_key) == (months[a.kind] < months[b.kind])


def test_a_bad_period_is_exit_2_in_one_line() -> None:
    result = CliRunner().invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "--period", "2024-Q5", "-q"])
    assert result.exit_code == 2
    assert result.stderr == (
        "qbplan: kỳ '2024-Q5' không hợp lệ; ghi 2024, 2024-Q1 … 2024-Q4, 2024-H1, 2024-H2 hoặc 2024-01 … 2024-12\n"
    )


@pytest.mark.parametrize("text", ["２０２４", "٢٠٢٤", "２０２４-Q1", "2024-H１"])
def test_a_period_in_other_digits_is_refused(text: str) -> None:
    with pytest.raises(QbplanError) as err:
        parse_period(text)
    assert err.value.code == "usage-bad-period"
