"""Indicators against an independent Fraction computation (Hypothesis)."""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbplan.indicators import exact_sum
from qbplan.model.wording import describe
from qbplan.run.pipeline import CheckOptions, check
from tests.helpers import reference, write_form
from tests.helpers.strategies import agencies, typed_like_people


def _run(data: dict[str, list[dict[str, Any]]], targets: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_form(Path(tmp) / "s.xlsx", data)
        report = check([path], targets)
    return {r.id: r for r in report.indicators} | {"_report": report}


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), rows=agencies())
def test_all_indicators_match_the_fraction_reference(targets, data, rows) -> None:  # type: ignore[no-untyped-def]
    csdl = [
        {"ma_csdl": f"C{i}", "ten_csdl": f"CSDL {i}", "linh_vuc": "X", "dat_chuan": data.draw(st.booleans())}
        for i in range(data.draw(st.integers(0, 8)))
    ]
    logical = {"co_quan": rows, "csdl": csdl}
    typed = {"co_quan": typed_like_people(rows, data.draw), "csdl": typed_like_people(csdl, data.draw)}
    got = _run(typed, targets)
    expected = reference(logical)
    assert got["_report"].errors == []
    for ind_id, (num, den, status) in expected.items():
        result = got[ind_id]
        if ind_id in ("ct05", "ct08", "ct11"):  # sheets absent from this input
            assert (result.numerator, result.denominator, result.status) == (0, 0, "no_data")
            continue
        assert (result.numerator, result.denominator, result.status) == (num, den, status), ind_id


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=agencies(max_rows=12), bad=st.sets(st.integers(0, 11), max_size=4))
def test_invalid_rows_are_left_out_and_counted(targets, rows, bad) -> None:  # type: ignore[no-untyped-def]
    bad = {i for i in bad if i < len(rows)}
    submitted = [dict(r, so_cbcc_trang_bi=r["so_cbcc"] + 1) if i in bad else r for i, r in enumerate(rows)]
    got = _run({"co_quan": submitted}, targets)
    valid = [r for i, r in enumerate(rows) if i not in bad]
    expected = reference({"co_quan": valid})
    report = got["_report"]
    assert report.rows_excluded == len(bad)
    assert sorted(f.row for f in report.errors) == sorted(i + 2 for i in bad)
    assert all(f.code == "exceeds-total" and f.column == "so_cbcc_trang_bi" for f in report.errors)
    for ind_id in ("ct01", "ct02a", "ct02b", "ct10"):
        assert (got[ind_id].numerator, got[ind_id].denominator, got[ind_id].status) == expected[ind_id]
    # ct01 covers every row: each bad row is excluded from it.
    assert got["ct01"].excluded_rows == len(bad)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(den=st.integers(1, 2000).map(lambda d: d * 10), split=st.integers(1, 5))
def test_a_rate_exactly_at_its_target_passes(targets, den, split) -> None:  # type: ignore[no-untyped-def]
    """ct02b: 70% of viên chức equipped, exactly, spread over several rows."""
    num = den * 7 // 10
    assert Fraction(num, den) == Fraction(7, 10)
    rows = []
    for i in range(split):
        d = den // split + (den % split if i == 0 else 0)
        n = num // split + (num % split if i == 0 else 0)
        n = min(n, d)
        rows.append({"ma_don_vi": f"U{i}", "so_vien_chuc": d, "so_vien_chuc_trang_bi": n})
    # Rebalance so the totals are exact after the min() above.
    total_n = sum(r["so_vien_chuc_trang_bi"] for r in rows)
    for r in rows:
        room = r["so_vien_chuc"] - r["so_vien_chuc_trang_bi"]
        take = min(room, num - total_n)
        r["so_vien_chuc_trang_bi"] += take
        total_n += take
    full = [
        {
            "ten_don_vi": "x",
            "cap": "tinh",
            "loai": "so_nganh",
            "huyen": None,
            "ha_tang_dat_chuan": True,
            "so_cbcc": 1,
            "so_cbcc_trang_bi": 1,
            "so_nghiep_vu": 1,
            "so_nghiep_vu_tin_hoc_hoa": 1,
            "so_van_ban": 1,
            "so_van_ban_ky_so": 1,
            "co_trang_ttdt": True,
            "co_can_bo_cntt": True,
            "so_nguoi_dao_tao_cntt": 0,
            **r,
        }
        for r in rows
    ]
    got = _run({"co_quan": full}, targets)["ct02b"]
    assert (got.numerator, got.denominator, got.status) == (num, den, "pass")
    # One fewer equipped anywhere: just below 70%, so it fails.
    donor = next(r for r in full if r["so_vien_chuc_trang_bi"] > 0)
    donor["so_vien_chuc_trang_bi"] -= 1
    below = _run({"co_quan": full}, targets)["ct02b"]
    assert (below.numerator, below.denominator, below.status) == (num - 1, den, "fail")


def test_empty_scope_is_no_data_with_a_warning(targets) -> None:  # type: ignore[no-untyped-def]
    # Only a province-level department: ct04b (communes) and ct07b have no rows in scope.
    rows = [
        {
            "ma_don_vi": "T1",
            "ten_don_vi": "Sở",
            "cap": "tinh",
            "loai": "so_nganh",
            "huyen": None,
            "ha_tang_dat_chuan": True,
            "so_cbcc": 5,
            "so_cbcc_trang_bi": 5,
            "so_vien_chuc": 0,
            "so_vien_chuc_trang_bi": 0,
            "so_nghiep_vu": 3,
            "so_nghiep_vu_tin_hoc_hoa": 3,
            "so_van_ban": 9,
            "so_van_ban_ky_so": 9,
            "co_trang_ttdt": True,
            "co_can_bo_cntt": True,
            "so_nguoi_dao_tao_cntt": 5,
        }
    ]
    got = _run({"co_quan": rows}, targets)
    assert got["ct04b"].status == "no_data" and got["ct07b"].status == "no_data"
    assert got["ct02b"].status == "no_data"  # 0 viên chức: 0/0 is never a pass
    codes = {(w.code, describe(w)) for w in got["_report"].warnings}
    assert any(code == "no-data" and "ct04b" in msg for code, msg in codes)
    assert any(code == "sheet-missing" and "ct11" in msg for code, msg in codes)


def test_exact_sum_never_overflows() -> None:
    big = pd.Series([2**62, 2**62, 2**62], dtype="int64")
    assert exact_sum(big) == 3 * 2**62
    assert exact_sum(pd.Series([], dtype="int64")) == 0
    assert exact_sum(pd.Series([1, None, 2], dtype="object")) == 3


def test_breakdown_by_district_matches_reference(targets) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import agency

    rows = [
        agency(ma_don_vi="A", cap="xa", loai="ubnd_xa", huyen="Huyện A", so_nghiep_vu=10, so_nghiep_vu_tin_hoc_hoa=6),
        agency(ma_don_vi="B", cap="xa", loai="ubnd_xa", huyen="Huyện A", so_nghiep_vu=10, so_nghiep_vu_tin_hoc_hoa=5),
        agency(ma_don_vi="C", cap="xa", loai="ubnd_xa", huyen="Huyện B", so_nghiep_vu=7, so_nghiep_vu_tin_hoc_hoa=7),
        agency(ma_don_vi="D"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        report = check([write_form(Path(tmp) / "s.xlsx", {"co_quan": rows})], targets, CheckOptions(by="huyen"))
    ct04b = next(r for r in report.indicators if r.id == "ct04b")
    assert ct04b.breakdown is not None
    assert [(g.group, g.numerator, g.denominator, g.status) for g in ct04b.breakdown] == [
        ("Huyện A", 11, 20, "fail"),  # 55% < 60%
        ("Huyện B", 7, 7, "pass"),
    ]
    ct01 = next(r for r in report.indicators if r.id == "ct01")
    assert [g.group for g in ct01.breakdown or ()] == ["Huyện A", "Huyện B", None]
    ct03 = next(r for r in report.indicators if r.id == "ct03")
    assert ct03.breakdown is None  # csdl has no huyen column


def test_breakdown_groups_spellings_of_one_district(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import agency

    rows = [
        agency(ma_don_vi="A", cap="huyen", loai="ubnd_huyen", huyen="TP Đồng Hới", so_cbcc=10, so_cbcc_trang_bi=10),
        agency(ma_don_vi="B", cap="xa", loai="ubnd_xa", huyen="Thành phố Đồng Hới", so_cbcc=10, so_cbcc_trang_bi=5),
        agency(ma_don_vi="C", cap="xa", loai="ubnd_xa", huyen="Huyện Lệ Thủy", so_cbcc=4, so_cbcc_trang_bi=1),
    ]
    for row in rows:
        row["so_nguoi_dao_tao_cntt"] = 1
    path = write_form(tmp_path / "a.xlsx", {"co_quan": rows})
    report = check([path], targets, CheckOptions(by="huyen"))
    ct02a = next(r for r in report.indicators if r.id == "ct02a")
    assert ct02a.breakdown is not None
    assert [(g.group, g.numerator, g.denominator) for g in ct02a.breakdown] == [
        ("Huyện Lệ Thủy", 1, 4),
        ("TP Đồng Hới", 15, 20),
    ]


@given(
    st.integers(0, 20).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))),
    st.integers(0, 100),
    st.one_of(st.none(), st.integers(0, 100)),
)
def test_a_sum_with_units_missing_is_decided_only_when_no_missing_figures_can_change_it(
    counts: tuple[int, int], target_pct: int, warn_pct: int | None
) -> None:
    """Independent of the code: every unit the missing ones could add (a of b, a = 0 or b) is tried."""
    from qbplan.model.report import judged, status_for

    numerator, denominator = counts
    target = Fraction(target_pct, 100)
    warn = Fraction(warn_pct, 100) if warn_pct is not None and warn_pct < target_pct else None
    # b up to 10_000 reaches any rate a percent target needs (b / (20 + b) >= 99/100 from b = 1980).
    seen = {
        status_for(numerator + a, denominator + b, target, warn)
        for b in range(0, 10_000)
        for a in (0, b)
        if denominator + b
    }
    status = judged("sum", numerator, denominator, 1, target, warn)
    if status == "incomplete":
        assert len(seen) > 1
    else:
        assert seen == {status}
