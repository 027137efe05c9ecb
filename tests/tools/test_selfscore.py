"""rank --self-assessment: each unit's own scores held to the points its data give, every finding at its cell."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from typer.testing import CliRunner

from qbplan.cli import app
from tests.helpers import agency, write_form
from tests.tools.test_rank import _criteria, _plan, _points

runner = CliRunner()


def _sheet(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Điểm tự đánh giá"
    ws.append(["BẢNG ĐIỂM TỰ ĐÁNH GIÁ NĂM 2025"])
    ws.append(["Mã đơn vị", "Tiêu chí", "Điểm tự chấm", "Tài liệu kiểm chứng"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _expected(unit: dict[str, Any], plan: Path) -> dict[str, Fraction]:
    """The points of each criterion for one agency, recomputed from the plan's YAML (a single unit: best = its own)."""
    raw = yaml.safe_load(plan.read_text(encoding="utf-8"))
    out = {}
    for ind in _criteria(raw):
        scope = ind.get("scope", {})
        if not all(unit.get(c) in (v if isinstance(v, list) else [v]) for c, v in scope.items()):
            out[ind["id"]] = Fraction(0)
            continue
        if ind["mode"] == "count":
            num, den = int(unit[ind["numerator"]] is True), 1
        else:
            cols = ind["denominator"] if isinstance(ind["denominator"], list) else [ind["denominator"]]
            num, den = unit[ind["numerator"]], sum(unit[c] for c in cols)
        rate = Fraction(num, den) if den else Fraction(0)
        out[ind["id"]] = _points(ind, rate, rate) if den else Fraction(0)
    return out


def _one_decimal(value: Fraction, up: bool) -> str:
    tenths = value * 10
    whole = int(tenths + Fraction(1, 2)) if up else int(tenths)
    return f"{whole // 10},{whole % 10}"


def test_each_self_score_is_held_to_the_units_points(tmp_path: Path) -> None:
    unit = agency(
        ma_don_vi="T001", so_vien_chuc=9, so_vien_chuc_trang_bi=5, so_van_ban=300, so_van_ban_ky_so=251,
        so_nguoi_dao_tao_cntt=40,
    )  # fmt: skip
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": [unit]})
    plan = _plan(tmp_path)
    points = _expected(unit, plan)
    # ct02b: 5/9 against 70 % -> 50/63 of 10 = 7.936…; ct06: 251/300 against 90 % -> 15 × 251/270 = 13.944…
    assert points["ct02b"] == Fraction(5, 9) / Fraction(7, 10) * 10
    rows = [
        ["T001", "ct01", int(points["ct01"]), "Biên bản kiểm tra hạ tầng"],
        ["T001", "ct02b", _one_decimal(points["ct02b"], up=True), "Danh sách trang bị"],  # 7,9: half up
        ["T001", "ct06", _one_decimal(points["ct06"], up=False), "Sổ văn bản đi"],  # 13,9: down
        ["T001", "Cán bộ, công chức được trang bị máy tính, kết nối Internet, cấp hộp thư điện tử công vụ",
         "9", "Danh sách"],  # by its title; the data give 10
        ["T001", "ct04b", 5, "x"],  # a commune criterion: it does not apply to a department
        ["T001", "ct10", _one_decimal(points["ct10"], up=True), None],  # right, but no evidence named
        ["T001", "ct99", 3, "x"],
        ["S999", "ct01", 10, "x"],
        ["T001", "ct09", "năm điểm", "x"],
        [None, None, None, None],
    ]  # fmt: skip
    sheet = _sheet(tmp_path / "tu-danh-gia.xlsx", rows)
    result = runner.invoke(app, ["rank", str(form), "-t", str(plan), "-s", str(sheet), "-f", "json"])
    assert result.exit_code == 1, result.output
    found = {(f["cell"], f["code"]): f for f in json.loads(result.stdout)["self_assessment"]}
    assert sorted(found) == [
        ("A10", "self-score-unknown-unit"),
        ("B9", "self-score-unknown-criterion"),
        ("C11", "self-score-unreadable"),
        ("C6", "self-score-wrong"),
        ("C7", "self-score-wrong"),
        ("D8", "self-score-no-evidence"),
    ]
    assert found[("C6", "self-score-wrong")]["params"] == {
        "unit": "T001", "criterion": "ct02a", "claimed": "9", "computed": "10,00"
    }  # fmt: skip
    assert found[("C7", "self-score-wrong")]["params"]["computed"] == "0,00"
    assert found[("C6", "self-score-wrong")]["message"] == (
        "Đơn vị T001, tiêu chí ct02a: tự chấm 9 điểm, số liệu của đơn vị cho 10,00"
    )
    assert all(f["sheet"] == "Điểm tự đánh giá" and f["file"] == str(sheet) for f in found.values())
    table = runner.invoke(app, ["rank", str(form), "-t", str(plan), "-s", str(sheet)])
    said = " ".join(table.stdout.split())
    assert "Đối chiếu điểm tự đánh giá: 6 phát hiện" in said and "› C6: Đơn vị T001, tiêu chí ct02a" in said


def test_a_self_assessment_the_data_agree_with_exits_0(tmp_path: Path) -> None:
    unit = agency(ma_don_vi="T001")
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": [unit]})
    plan = _plan(tmp_path)
    points = _expected(unit, plan)
    rows = [["T001", key, _one_decimal(value, up=True), "Hồ sơ"] for key, value in points.items()]
    sheet = _sheet(tmp_path / "tu-danh-gia.xlsx", rows)
    result = runner.invoke(app, ["rank", str(form), "-t", str(plan), "-s", str(sheet), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["self_assessment"] == []


def test_a_self_assessment_that_is_not_one_is_refused_in_one_line(tmp_path: Path) -> None:
    form = write_form(tmp_path / "nop.xlsx", {"co_quan": [agency()]})
    plan = _plan(tmp_path)
    fake = tmp_path / "tu-danh-gia.xlsx"
    fake.write_bytes(b"PK\x03\x04 not a workbook")
    result = runner.invoke(app, ["rank", str(form), "-t", str(plan), "-s", str(fake)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and str(fake) in result.stderr
    headless = _sheet(tmp_path / "khong-tieu-de.xlsx", [])
    wb = openpyxl.load_workbook(headless)
    wb.active.delete_rows(2)  # type: ignore[union-attr]
    wb.save(headless)
    result = runner.invoke(app, ["rank", str(form), "-t", str(plan), "-s", str(headless)])
    assert result.exit_code == 2 and "không tìm thấy dòng tiêu đề" in result.stderr
