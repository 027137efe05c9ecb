"""The second bundled plan: Decision 2972's targets in the two-tier structure (since 1-7-2025)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.config.targets import bundled_plans, load_targets, plan_path
from qbplan.run.pipeline import CheckOptions, check
from tests.tools.filled import filled_template

PLAN = "qd-2972-2017-hai-cap"


def _agency(code: str, cap: str, loai: str, tinh_cu: str, xa: str | None, **numbers: object) -> dict[str, object]:
    row: dict[str, object] = {
        "ma_don_vi": code,
        "ten_don_vi": f"Đơn vị {code}",
        "cap": cap,
        "loai": loai,
        "tinh_cu": tinh_cu,
        "xa": xa,
        "ha_tang_dat_chuan": True,
        "so_cbcc": 10,
        "so_cbcc_trang_bi": 10,
        "so_vien_chuc": 5,
        "so_vien_chuc_trang_bi": 4,
        "so_nghiep_vu": 10,
        "so_nghiep_vu_tin_hoc_hoa": 8,
        "so_van_ban": 100,
        "so_van_ban_ky_so": 95,
        "co_trang_ttdt": True,
        "co_can_bo_cntt": True,
        "so_nguoi_dao_tao_cntt": 15,
    }
    return row | numbers


ROWS = {
    "co_quan": [
        _agency("S1", "tinh", "so_nganh", "quang_binh", None, so_nghiep_vu_tin_hoc_hoa=9),
        _agency("X1", "xa", "ubnd_xa", "quang_binh", "Xã Kim Thủy", co_trang_ttdt=False),
        _agency("X2", "xa", "ubnd_xa", "quang_binh", "Phường Đồng Hới"),
        _agency("X3", "xa", "ubnd_xa", "quang_tri", "Đặc khu Cồn Cỏ", co_trang_ttdt=False),
    ],
    "csdl": [{"ma_csdl": "DB1", "ten_csdl": "Đất đai", "linh_vuc": "TN&MT", "dat_chuan": True}],
    "phan_mem": [{"ma_phan_mem": "PM1", "ten_phan_mem": "QLVB", "da_nang_cap": True}],
    "doanh_nghiep": [
        {"xa": "Phường Đồng Hới", "tinh_cu": "quang_binh", "so_doanh_nghiep": 400, "so_dn_giao_dich_dien_tu": 300}
    ],
    "ho_gia_dinh": [
        {"ma_xa": "19381", "ten_xa": "Xã Kim Thủy", "tinh_cu": "quang_binh", "so_ho": 3000, "so_ho_biet_cntt": 2100}
    ],
}


def _filled(tmp_path: Path) -> Path:
    """The blank form of the two-tier plan, filled in as an agency would: labels, Có/Không."""
    return filled_template(load_targets(plan_path(PLAN)), tmp_path / "bieu-mau.xlsx", ROWS)


def test_every_bundled_plan_file_is_named_by_its_plan_id() -> None:
    for plan_id, path in bundled_plans().items():
        assert load_targets(path).plan.id == plan_id


def test_a_two_tier_workbook_from_the_template_checks_with_no_findings(tmp_path: Path) -> None:
    report = check([_filled(tmp_path)], load_targets(plan_path(PLAN)), CheckOptions(by="xa"))
    said = [(w.code, w.params["indicator"]) for w in report.warnings]
    assert report.errors == [] and said == [("denominator-from-files", "ct03"), ("denominator-from-files", "ct05")]
    by_id = {i.id: i for i in report.indicators}
    # ct04a is the province tier now (no districts): S1 only, 9 of 10.
    assert (by_id["ct04a"].numerator, by_id["ct04a"].denominator) == (9, 10)
    # ct07b counts the old Quảng Bình communes only: X1 and X2, not Cồn Cỏ (Quảng Trị cũ).
    assert (by_id["ct07b"].numerator, by_id["ct07b"].denominator) == (1, 2)
    assert by_id["ct07b"].rate == Fraction(1, 2) and by_id["ct07b"].status == "fail"
    groups = {g.group for g in by_id["ct02a"].breakdown or ()}
    assert groups == {None, "Xã Kim Thủy", "Phường Đồng Hới"}  # communes, not districts


def test_the_cli_takes_a_plan_by_name_and_lists_the_plans(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["plans"])
    assert listed.exit_code == 0 and PLAN in listed.output and "hai cấp" in listed.output
    path = _filled(tmp_path)
    result = runner.invoke(app, ["check", str(path), "--plan", PLAN, "--by", "Xã, phường, đặc khu"])
    assert result.exit_code == 1 and "Cấp tỉnh" in result.output and "Đặc khu Cồn Cỏ" not in result.output
    both = runner.invoke(app, ["check", str(path), "--plan", PLAN, "--targets", "targets.yaml"])
    assert both.exit_code == 2


def _run(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_two_tier_groups_by_commune_keep_same_named_places_apart_and_say_so(tmp_path: Path) -> None:
    from tests.helpers import write_grid

    rows = [
        _agency("X1", "xa", "ubnd_xa", "quang_binh", "Phường Ba Đồn"),
        _agency("X2", "xa", "ubnd_xa", "quang_binh", "Xã Ba Đồn", co_trang_ttdt=False),
        _agency("X3", "xa", "ubnd_xa", "quang_binh", "P. Ba Đồn"),
    ]
    targets = load_targets(plan_path(PLAN))
    spec = targets.sheet("co_quan")
    assert spec is not None
    grid = [[c.label for c in spec.columns]] + [[row.get(c.key) for c in spec.columns] for row in rows]
    for line in grid[1:]:
        for j, col in enumerate(spec.columns):
            if col.type == "yesno":
                line[j] = "Có" if line[j] else "Không"
            elif col.type == "enum":
                line[j] = (col.values or {})[str(line[j])]
    path = write_grid(tmp_path / "a.xlsx", {"co_quan": grid})
    report = check([path], targets, CheckOptions(by="xa"))
    ct07b = next(i for i in report.indicators if i.id == "ct07b")
    groups = {g.group: (g.numerator, g.denominator) for g in ct07b.breakdown or ()}
    assert groups == {"Phường Ba Đồn": (2, 2), "Xã Ba Đồn": (0, 1)}  # a ward and a commune: two places
    (said,) = [w for w in report.warnings if w.code == "groups-kept-apart"]
    assert said.params["names"] == "Phường Ba Đồn; Xã Ba Đồn"


def test_two_tier_groups_of_the_former_province_by_label(tmp_path: Path) -> None:
    result = _run("check", str(_filled(tmp_path)), "--plan", PLAN, "--by", "tinh_cu")
    assert "Chi tiết theo Tỉnh cũ" in result.output and "Quảng Bình (cũ)" in result.output  # type: ignore[attr-defined]
    assert "quang_binh" not in result.output  # type: ignore[attr-defined]


def test_two_tier_explain_refuses_a_column_the_sheet_lacks(tmp_path: Path) -> None:
    path = str(_filled(tmp_path))
    assert _run("explain", "ct07b", path, "--plan", PLAN, "--by", "huyen").exit_code == 2  # type: ignore[attr-defined]
    grouped = _run("explain", "ct07b", path, "--plan", PLAN, "--by", "xa", "-f", "json")
    assert json.loads(grouped.stdout)["by"] == "xa"  # type: ignore[attr-defined]


def test_two_tier_sections_subtotals_and_one_bad_sheet(tmp_path: Path) -> None:
    from tests.helpers import write_grid

    targets = load_targets(plan_path(PLAN))
    spec = targets.sheet("ho_gia_dinh")
    assert spec is not None
    header = [c.label for c in spec.columns]
    grid = [
        header,
        [None, "KHU VỰC QUẢNG BÌNH CŨ", None, None, None],
        ["19381", "Xã Kim Thủy", "Quảng Bình (cũ)", 3000, 2100],
        ["19387", "Phường Đồng Hới", "Quảng Bình (cũ)", 5000, 4000],
        [None, "Cộng khu vực Quảng Bình cũ", None, 8000, 6100],
    ]
    broken = [["Mã phần mềm", "Tên phần mềm"], ["PM1", "QLVB"]]  # lacks a required column
    path = write_grid(tmp_path / "a.xlsx", {"ho_gia_dinh": grid, "phan_mem": broken})
    report = check([path], targets)
    assert [(e.code, e.sheet) for e in report.errors] == [("input-missing-columns", "phan_mem")]
    assert report.files[0].layout_rows == {"section": 1, "total": 1} and report.rows_read == 2
    ct11 = next(i for i in report.indicators if i.id == "ct11")
    assert (ct11.numerator, ct11.denominator) == (6100, 8000)


def test_two_tier_template_and_help_name_the_plan_in_use(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "bm.xlsx"
    assert _run("template", "--plan", PLAN, "-o", str(out)).exit_code == 0  # type: ignore[attr-defined]
    guide = "\n".join(
        str(c.value) for row in openpyxl.load_workbook(out)["Hướng dẫn"].iter_rows() for c in row if c.value
    )
    assert "Chỉ tiêu năm 2025" in guide and "Xã, phường, đặc khu" in guide
    (tmp_path / "targets.yaml").write_bytes(plan_path(PLAN).read_bytes())
    cmd = [sys.executable, "-m", "qbplan", "--help"]
    run = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert "chính quyền hai cấp" in run.stdout
