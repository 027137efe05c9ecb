"""Counts far from the units like them, in the same period: the modified z-score on the median, exactly."""

from __future__ import annotations

import json
import statistics
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.config.targets import parse_targets
from qbplan.errors import ConfigError
from qbplan.history.periods import parse_period
from qbplan.validate.outliers import far
from tests.helpers import agency, raw_targets, write_form


@given(
    values=st.lists(st.integers(min_value=0, max_value=10**6), min_size=5, max_size=40),
    threshold=st.fractions(min_value=Fraction(1), max_value=Fraction(10), max_denominator=10),
)
def test_the_score_matches_an_independent_computation(values: list[int], threshold: Fraction) -> None:
    xs = [Fraction(v) for v in values]
    m = statistics.median(xs)
    mad = statistics.median([abs(x - m) for x in xs])
    expected = [mad != 0 and Fraction(6745, 10000) * abs(x - m) / mad > threshold for x in xs]
    assert far(values, threshold) == expected


def _plan(tmp_path: Path, rule: dict[str, Any], column: str = "so_cbcc") -> Path:
    data = raw_targets()
    sheet = next(s for s in data["form"]["sheets"] if s["key"] == "co_quan")
    next(c for c in sheet["columns"] if c["key"] == column)["outlier"] = rule
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_count_far_from_its_groups_is_a_warning_at_its_cell(tmp_path: Path) -> None:
    counts = [40, 42, 45, 41, 43, 44, 40, 450]  # the last typed with a zero too many
    rows = [agency(ma_don_vi=f"T{i:03d}", so_cbcc=n, so_cbcc_trang_bi=min(n, 40)) for i, n in enumerate(counts, 1)]
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    args = ["check", str(form), "-t", str(_plan(tmp_path, {"by": ["cap", "loai"]})), "-f", "json"]
    doc = json.loads(CliRunner().invoke(app, args).stdout)
    found = [w for w in doc["warnings"] if w["code"] == "outlier"]
    assert [(w["value"], w["column"]) for w in found] == [(450, "so_cbcc")]
    last_row = max(w["row"] for w in found)
    assert found[0]["cell"].endswith(str(last_row))
    # The median of the eight counts, 42.5, worked out here: (42 + 43) / 2.
    assert "trung vị 42½" in found[0]["message"] and "8 đơn vị cùng nhóm" in found[0]["message"]


def test_a_small_group_is_not_judged(tmp_path: Path) -> None:
    rows = [
        agency(ma_don_vi=f"T{i:03d}", so_cbcc=n, so_cbcc_trang_bi=min(n, 40)) for i, n in enumerate([40, 41, 400], 1)
    ]
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": rows})
    args = ["check", str(form), "-t", str(_plan(tmp_path, {"by": "loai"})), "-f", "json"]
    doc = json.loads(CliRunner().invoke(app, args).stdout)
    assert [w for w in doc["warnings"] if w["code"] == "outlier"] == []


@pytest.mark.parametrize(
    ("rule", "column", "code"),
    [({"by": "cap"}, "co_trang_ttdt", "config-not-int"), ({"by": "khong_co"}, "so_cbcc", "config-unknown-column")],
)
def test_a_bad_outlier_rule_is_refused_at_its_line(
    tmp_path: Path, rule: dict[str, Any], column: str, code: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_targets(_plan(tmp_path, rule, column).read_text(encoding="utf-8"), "t.yaml")
    assert raised.value.code == code


def test_an_outlier_among_communes_is_saved_with_the_run_on_each_engine(tmp_path: Path, history_db: str) -> None:
    from qbplan.history.store import open_store

    # Twelve communes of one district; one typed 380 civil servants where the others have about 20.
    counts = [20, 22, 19, 21, 20, 23, 18, 21, 22, 20, 19, 380]
    rows = [
        agency(ma_don_vi=f"X{i:03d}", ten_don_vi=f"UBND xã {i}", cap="xa", loai="ubnd_xa", huyen="Huyện Lệ Thủy",
               so_cbcc=n, so_cbcc_trang_bi=min(n, 18), so_vien_chuc=0, so_vien_chuc_trang_bi=0,
               so_nguoi_dao_tao_cntt=10)
        for i, n in enumerate(counts, 1)
    ]  # fmt: skip
    form = write_form(tmp_path / "xa.xlsx", {"co_quan": rows})
    plan = _plan(tmp_path, {"by": ["cap", "loai"]})
    args = ["check", str(form), "-t", str(plan), "--period", "2025", "--save", "--db", history_db, "-f", "json"]
    doc = json.loads(CliRunner().invoke(app, args).stdout)
    assert [(w["value"], w["column"]) for w in doc["warnings"] if w["code"] == "outlier"] == [(380, "so_cbcc")]
    with open_store(history_db, create=False) as store:
        saved = store.figures(doc["plan_id"], parse_period("2025"))
    # The run kept the commune's figure as typed, for next year's comparison.
    assert saved[("co_quan", "x012", "so_cbcc")] == 380
