"""Statuses are exact; exit codes follow 2 > 3 > 1."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from qbplan.model.findings import Finding
from qbplan.model.report import FileSummary, IndicatorResult, Report, status_for
from tests.helpers import indicator_result


def test_exactly_at_target_passes() -> None:
    assert status_for(5439, 7770, Fraction(7, 10), None) == "pass"  # 5439/7770 == 0.7 exactly
    assert status_for(5438, 7770, Fraction(7, 10), None) == "fail"
    # The float trap: 0.1 + 0.2 style error must not matter.
    assert status_for(3, 10, Fraction(3, 10), None) == "pass"


def test_zero_denominator_is_no_data_never_pass() -> None:
    assert status_for(0, 0, Fraction(0), None) == "no_data"


def test_warn_band() -> None:
    assert status_for(85, 100, Fraction(9, 10), Fraction(8, 10)) == "warn"
    assert status_for(80, 100, Fraction(9, 10), Fraction(8, 10)) == "warn"
    assert status_for(79, 100, Fraction(9, 10), Fraction(8, 10)) == "fail"
    assert status_for(90, 100, Fraction(9, 10), Fraction(8, 10)) == "pass"


@given(st.integers(0, 10**12), st.integers(1, 10**12), st.fractions(0, 1), st.one_of(st.none(), st.fractions(0, 1)))
def test_status_matches_fraction_comparison(num: int, den: int, target: Fraction, warn: Fraction | None) -> None:
    rate = Fraction(num, den)
    expected = "pass" if rate >= target else ("warn" if warn is not None and rate >= warn else "fail")
    assert status_for(num, den, target, warn) == expected


def _ind(status: str) -> IndicatorResult:
    return indicator_result(status=status)  # type: ignore[no-any-return]


def _report(statuses: list[str], errors: int = 0, unreadable: bool = False, fail_on: str = "fail") -> Report:
    files = [FileSummary(file="a.xlsx", readable=True, rows_excluded=errors)]
    if unreadable:
        files.append(FileSummary(file="b.xlsx", readable=False, errors=1))
    errs = [Finding(code="required", severity="error", params={"label": "m"})] * errors
    return Report(
        plan_id="p",
        plan_title_vi="p",
        plan_title_en="p",
        targets_file="t",
        indicators=[_ind(s) for s in statuses],
        errors=errs,
        warnings=[],
        files=files,
        fail_on=fail_on,
    )  # type: ignore[arg-type]


def test_exit_codes_and_precedence() -> None:
    assert _report(["pass", "pass"]).exit_code == 0
    assert _report(["pass", "fail"]).exit_code == 1
    assert _report(["pass", "fail"], errors=1).exit_code == 3
    assert _report(["pass", "fail"], errors=1, unreadable=True).exit_code == 2
    assert _report(["pass"], unreadable=True).exit_code == 2


def test_fail_on_moves_the_line_for_1() -> None:
    assert _report(["warn"]).exit_code == 0
    # No data has met nothing: exit 0 means every target is met.
    assert _report(["no_data"]).exit_code == 1
    assert _report(["no_data"], fail_on="never").exit_code == 0
    assert _report(["warn"], fail_on="warn").exit_code == 1
    assert _report(["no_data"], fail_on="warn").exit_code == 1
    assert _report(["fail"], fail_on="never").exit_code == 0
    assert _report(["fail"], errors=1, fail_on="never").exit_code == 3


# --- missing units (a register): decided only when every way they could answer agrees


def test_count_with_missing_units_is_decided_only_when_both_bounds_agree() -> None:
    from qbplan.model.report import judged

    # 60 yes of 60 reported, 18 missing, target 80 %: 60/78 < 80 % <= 78/78.
    assert judged("count", 60, 60, 18, Fraction(8, 10), None) == "incomplete"
    # Even with every missing unit a "no", 64/80 is exactly 80 %: met.
    assert judged("count", 64, 64, 16, Fraction(8, 10), None) == "pass"
    # Even with every missing unit a "yes", (10 + 5)/20 = 75 % misses 80 %.
    assert judged("count", 10, 15, 5, Fraction(8, 10), None) == "fail"
    # No unit missing: the plain status.
    assert judged("count", 7, 10, 0, Fraction(7, 10), None) == "pass"


def test_sum_with_a_missing_unit_is_incomplete_whatever_the_rate() -> None:
    from qbplan.model.report import judged

    # Its denominator is unknown: a missing unit could be any size.
    assert judged("sum", 100, 100, 1, Fraction(7, 10), None) == "incomplete"
    assert judged("sum", 100, 100, 0, Fraction(7, 10), None) == "pass"


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), st.fractions(0, 1))
def test_count_judgement_matches_fraction_bounds(yes: int, no: int, missing: int, target: Fraction) -> None:
    from qbplan.model.report import judged

    if yes + no + missing == 0:
        return
    low, high = Fraction(yes, yes + no + missing), Fraction(yes + missing, yes + no + missing)
    expected = "pass" if low >= target else ("fail" if high < target else "incomplete")
    assert judged("count", yes, yes + no, missing, target, None) == expected


def test_incomplete_exits_1_like_a_missed_target_and_never_0() -> None:
    from qbplan.model.report import Coverage

    ind = indicator_result(status="incomplete", coverage=Coverage(expected=10, reported=8))
    for fail_on, code in (("fail", 1), ("warn", 1), ("never", 0)):
        report = Report("p", "t", "t", "f", [ind], [], [], [FileSummary("a.xlsx", True)], fail_on=fail_on)
        assert report.exit_code == code


def test_bounds_are_count_mode_only() -> None:
    from qbplan.model.report import Coverage

    counted = indicator_result(mode="count", numerator=6, denominator=6, coverage=Coverage(expected=8, reported=6))
    assert counted.bounds == (6, 8, 8)
    summed = indicator_result(mode="sum", numerator=6, denominator=6, coverage=Coverage(expected=8, reported=6))
    assert summed.bounds is None and summed.missing == 2
