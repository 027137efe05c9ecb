"""Explanations on the command line: a CSV beside the workbook, matched to its warnings by code, sheet, row, column."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from qbplan.cli import app
from tests.helpers import agency, write_form
from tests.validate.test_outliers import _plan


def _flagged(tmp_path: Path) -> tuple[Path, Path, dict[str, object]]:
    counts = [40, 42, 45, 41, 43, 44, 40, 450]
    rows = [agency(ma_don_vi=f"T{i:03d}", so_cbcc=n, so_cbcc_trang_bi=min(n, 40)) for i, n in enumerate(counts, 1)]
    form = write_form(tmp_path / "so-noi-vu.xlsx", {"co_quan": rows})
    plan = _plan(tmp_path, {"by": ["cap", "loai"]})
    doc = json.loads(CliRunner().invoke(app, ["check", str(form), "-t", str(plan), "-f", "json"]).stdout)
    (warning,) = [w for w in doc["warnings"] if w["code"] == "outlier"]
    return form, plan, warning


def _explain(form: Path, rows: list[list[object]]) -> Path:
    path = form.with_name("so-noi-vu.giai-trinh.csv")
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["ma_loi", "trang", "dong", "cot", "giai_trinh"])
        writer.writerows(rows)
    return path


def test_an_explained_warning_says_the_units_sentence_in_every_format(tmp_path: Path) -> None:
    form, plan, warning = _flagged(tmp_path)
    said = "Sở nhận thêm 400 công chức của hai sở sáp nhập"
    _explain(form, [["outlier", warning["sheet"], warning["row"], "so_cbcc", said]])
    doc = json.loads(CliRunner().invoke(app, ["check", str(form), "-t", str(plan), "-f", "json"]).stdout)
    (explained,) = [w for w in doc["warnings"] if w["code"] == "outlier"]
    assert explained["message"].endswith(f"— Đơn vị giải trình: {said}")
    assert explained["params"]["explanation"] == said


def test_an_explanation_that_names_no_warning_is_said_not_dropped(tmp_path: Path) -> None:
    form, plan, warning = _flagged(tmp_path)
    csv_path = _explain(form, [["outlier", warning["sheet"], 999, "so_cbcc", "nhầm dòng"]])
    doc = json.loads(CliRunner().invoke(app, ["check", str(form), "-t", str(plan), "-f", "json"]).stdout)
    (unmatched,) = [w for w in doc["warnings"] if w["code"] == "explanation-unmatched"]
    assert (unmatched["file"], unmatched["row"]) == (str(csv_path), 2)
    assert "explanation" not in next(w for w in doc["warnings"] if w["code"] == "outlier")["params"]


def test_a_readable_file_that_explains_nothing_is_not_called_unreadable(tmp_path: Path) -> None:
    form, plan, _ = _flagged(tmp_path)
    _explain(form, [])  # the header alone
    doc = json.loads(CliRunner().invoke(app, ["check", str(form), "-t", str(plan), "-f", "json"]).stdout)
    assert [w["code"] for w in doc["warnings"] if w["code"].startswith("explanation")] == []
