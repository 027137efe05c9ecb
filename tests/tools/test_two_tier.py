"""The second bundled plan: Decision 2972's targets in the two-tier structure (since 1-7-2025)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.config.targets import bundled_plans, load_targets, plan_path
from qbplan.pipeline import CheckOptions, check
from qbplan.tools.template import FIRST_DATA_ROW, write_template

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
    targets = load_targets(plan_path(PLAN))
    path = tmp_path / "bieu-mau.xlsx"
    write_template(targets, str(path))
    wb = openpyxl.load_workbook(path)
    for spec in targets.form.sheets:
        ws = wb[spec.label]
        for i, row in enumerate(ROWS[spec.key]):
            for j, col in enumerate(spec.columns, start=1):
                value = row.get(col.key)
                if col.type == "enum" and value is not None:
                    value = (col.values or {})[str(value)]
                elif col.type == "yesno":
                    value = "Có" if value else "Không"
                ws.cell(FIRST_DATA_ROW + i, j, value)
    wb.save(path)
    return path


def test_every_bundled_plan_file_is_named_by_its_plan_id() -> None:
    for plan_id, path in bundled_plans().items():
        assert load_targets(path).plan.id == plan_id


def test_a_two_tier_workbook_from_the_template_checks_with_no_findings(tmp_path: Path) -> None:
    report = check([_filled(tmp_path)], load_targets(plan_path(PLAN)), CheckOptions(by="xa"))
    assert report.errors == [] and [w.code for w in report.warnings] == []
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
