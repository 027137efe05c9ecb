"""Administrative layouts give the same rates as a clean grid, with no spurious findings."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbplan.model.wording import describe
from qbplan.read.workbook import read_workbook
from qbplan.run.pipeline import check
from tests.helpers import agency, grid_for, reference, sheet_columns, write_form, write_grid
from tests.helpers.layouts import Layout, totals_of, write_admin
from tests.helpers.strategies import agencies, enterprises, households, typed_like_people

layouts = st.builds(
    Layout,
    title_rows=st.booleans(),
    two_row_header=st.booleans(),
    column_numbers=st.booleans(),
    stt=st.booleans(),
    sections=st.booleans(),
    subtotals=st.booleans(),
    grand_total=st.sampled_from(["bottom", "top", "none"]),
    signoff=st.booleans(),
    unknown_column=st.booleans(),
)


def _numbers(report: Any) -> dict[str, tuple[int, int, str]]:
    return {r.id: (r.numerator, r.denominator, r.status) for r in report.indicators}


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(co_quan=agencies(max_rows=12), ho=households(), dn=enterprises(), layout=layouts, data=st.data())
def test_admin_layout_gives_the_clean_grid_rates(
    co_quan: list[dict[str, Any]], ho: list[dict[str, Any]], dn: list[dict[str, Any]], layout: Layout, data: Any
) -> None:
    logical = {"co_quan": co_quan, "ho_gia_dinh": ho, "doanh_nghiep": dn}
    typed = {key: typed_like_people(rows, data.draw) for key, rows in logical.items()}
    from qbplan.config.targets import load_targets
    from tests.helpers import TARGETS_YAML

    targets = load_targets(TARGETS_YAML)
    with tempfile.TemporaryDirectory() as tmp:
        clean = check([write_form(Path(tmp) / "clean.xlsx", typed)], targets)
        admin = check([write_admin(Path(tmp) / "admin.xlsx", typed, layout)], targets)
    assert admin.errors == [] and admin.warnings == clean.warnings
    assert _numbers(admin) == _numbers(clean)
    expected = reference(logical)
    assert {k: v for k, v in _numbers(admin).items() if k in expected} == expected
    assert admin.rows_read == clean.rows_read == sum(len(rows) for rows in logical.values())


def test_layout_rows_are_counted_by_kind(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    rows = [agency(ma_don_vi="T1"), agency(ma_don_vi="H1", cap="huyen", loai="ubnd_huyen", huyen="Lệ Thủy")]
    path = write_admin(tmp_path / "a.xlsx", {"co_quan": rows})
    (table,) = read_workbook(str(path), targets).tables
    assert [r for r, _ in table.rows] == [11, 14]
    assert table.layout == {
        "column-numbers": [9],
        "section": [10, 13],
        "total": [12, 15, 16],
        "signoff": [18, 19, 20, 24],
    }
    assert table.header_row == 7 and table.blank_rows == 4


def test_a_wrong_total_is_a_warning_naming_row_column_and_both_numbers(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    rows = [
        agency(ma_don_vi="T1", so_cbcc=40),
        agency(ma_don_vi="T2", so_cbcc=25, so_cbcc_trang_bi=20, so_nguoi_dao_tao_cntt=30),
    ]
    path = write_admin(tmp_path / "a.xlsx", {"co_quan": rows}, Layout(sections=False, stt=False))
    wb = openpyxl.load_workbook(path)
    ws = wb["co_quan"]
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Tổng cộng")
    assert totals_of("co_quan", rows)["so_cbcc"] == 65
    ws.cell(total_row, 7).value = 66  # so_cbcc is the 7th form column
    wb.save(path)
    report = check([path], targets)
    (warning,) = [w for w in report.warnings if w.code == "totals-mismatch"]
    assert (warning.sheet, warning.row, warning.column, warning.cell, warning.value) == (
        "co_quan",
        total_row,
        "so_cbcc",
        f"G{total_row}",
        66,
    )
    assert "states 66" in describe(warning, "en") and "add up to 65" in describe(warning, "en")
    assert report.errors == [] and report.exit_code in (0, 1)


def test_subtotal_covers_only_its_section(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    rows = [
        agency(ma_don_vi="T1", so_cbcc=10),
        agency(ma_don_vi="H1", cap="huyen", loai="ubnd_huyen", huyen="A", so_cbcc=7),
    ]
    path = write_admin(tmp_path / "a.xlsx", {"co_quan": rows}, Layout(grand_total="none"))
    (table,) = read_workbook(str(path), targets).tables
    spans = [(t.label, t.first, t.last) for t in table.totals]
    assert spans == [("Cộng", 11, 11), ("Cộng", 14, 14)]
    assert [w for w in check([path], targets).warnings if w.code == "totals-mismatch"] == []


def test_section_row_carrying_its_totals(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    header = grid_for("doanh_nghiep", [])[0]
    grid = [
        ["STT", *header],
        ["I", "KHU VỰC THÀNH THỊ", 30, 20],
        [1, "Đồng Hới", 20, 15],
        [2, "Ba Đồn", 10, 5],
        ["II", "KHU VỰC NÔNG THÔN", 9, 9],
        [3, "Lệ Thủy", 5, 4],
    ]
    path = write_grid(tmp_path / "a.xlsx", {"doanh_nghiep": grid})
    report = check([path], targets)
    assert report.errors == [] and report.rows_read == 3
    mismatches = [(w.row, w.cell, w.value) for w in report.warnings if w.code == "totals-mismatch"]
    # Section I states 30 and 20, and its rows add up to that; section II
    # states 9 and 9 over one row of 5 and 4.
    assert mismatches == [(5, "C5", 9), (5, "D5", 9)]


@pytest.mark.parametrize(
    "numbers",
    [
        ["(1)", "(2)", "(3)"],
        ["A", "B", "1"],
        [1, 2, 3],
        ["(1)", "(2)", "(3)=(2)x100"],
    ],
)
def test_column_number_row_is_skipped(tmp_path: Path, targets, numbers: list[Any]) -> None:  # type: ignore[no-untyped-def]
    grid = grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "QLVB", "da_nang_cap": "Có"}])
    grid.insert(1, numbers)
    path = write_grid(tmp_path / "a.xlsx", {"phan_mem": grid})
    (table,) = read_workbook(str(path), targets).tables
    assert table.layout == {"column-numbers": [2]} and [r for r, _ in table.rows] == [3]


def test_nfd_headers_and_values_read_like_nfc(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    rows = [{"ma_phan_mem": "PM1", "ten_phan_mem": "Quản lý văn bản", "da_nang_cap": "Có"}]
    grid = [
        [unicodedata.normalize("NFD", c) if isinstance(c, str) else c for c in row]
        for row in grid_for("phan_mem", rows)
    ]
    path = write_grid(tmp_path / "a.xlsx", {unicodedata.normalize("NFD", "Phần mềm dùng chung"): grid})
    report = check([path], targets)
    assert report.errors == [] and {r.id: r.numerator for r in report.indicators}["ct05"] == 1


def test_signoff_names_in_the_key_column_are_not_data(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    grid = grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "QLVB", "da_nang_cap": "Có"}])
    grid += [[None], ["Người lập biểu", None, "Giám đốc"], ["(Ký, ghi rõ họ tên)"], ["Lê Văn C", None, "Phạm D"]]
    path = write_grid(tmp_path / "a.xlsx", {"phan_mem": grid})
    report = check([path], targets)
    assert report.errors == [] and report.rows_read == 1 and report.files[0].layout_rows == {"signoff": 3}


def test_company_names_are_not_totals(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    rows = [agency(ma_don_vi="", ten_don_vi="Công ty Cổ phần Cộng Đồng"), agency(ma_don_vi="T9")]
    rows[0]["ma_don_vi"] = None
    path = write_form(tmp_path / "a.xlsx", {"co_quan": rows})
    report = check([path], targets)
    # The first row is an agency row with its code missing: an error, not a layout row.
    assert [f.code for f in report.errors] == ["required"] and report.layout_rows == 0


def test_a_total_that_sum_got_wrong_by_text_numbers_names_them(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    # LibreOffice's SUM skips "25" typed as text; the agency's total is 40, qbplan's 65.
    rows = [agency(ma_don_vi="T1", so_cbcc=40), agency(ma_don_vi="T2", so_cbcc=25, so_cbcc_trang_bi=20)]
    path = write_admin(tmp_path / "a.xlsx", {"co_quan": rows}, Layout(sections=False, stt=False))
    wb = openpyxl.load_workbook(path)
    ws = wb["co_quan"]
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Tổng cộng")
    t2 = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "T2")
    ws.cell(t2, 7).value = "25"
    ws.cell(total_row, 7).value = 40
    wb.save(path)
    report = check([path], targets)
    (warning,) = [w for w in report.warnings if w.cell == f"G{total_row}"]
    assert warning.code == "totals-mismatch-text" and warning.params["cells"] == f"G{t2}"
    assert f"G{t2}" in describe(warning) and "dạng chữ" in describe(warning)


def test_a_total_in_the_code_column_of_a_sheet_without_numbers_is_a_total(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    header = [c["label"] for c in sheet_columns("csdl")]
    grid = [header, ["DB1", "Đất đai", "TN&MT", "Có"], ["DB2", "Dân cư", "Công an", "Không"], ["Tổng cộng"]]
    report = check([write_grid(tmp_path / "a.xlsx", {"csdl": grid})], targets)
    assert report.errors == [] and report.rows_read == 2 and report.layout_rows == 1


@pytest.mark.parametrize(
    ("section", "subtotal"),
    [
        ("Khu vực Quảng Bình cũ", "Cộng khu vực Quảng Bình cũ"),
        ("Địa bàn Lệ Thủy", "Cộng địa bàn Lệ Thủy"),
        ("Huyện Lệ Thủy", "Cộng huyện Lệ Thủy"),
        ("Tỉnh Quảng Bình (cũ)", "Cộng tỉnh Quảng Bình (cũ)"),
        ("Xã Kim Thủy", "Cộng xã Kim Thủy"),
        ("Phường Đồng Hới", "Cộng phường Đồng Hới"),
    ],
)
def test_two_tier_section_and_subtotal_words(tmp_path: Path, targets, section: str, subtotal: str) -> None:  # type: ignore[no-untyped-def]
    header = [c["label"] for c in sheet_columns("csdl")]
    grid = [
        header,
        [None, section, None, None],
        ["DB1", "Đất đai", "TN&MT", "Có"],
        ["DB2", "Dân cư", "Công an", "Không"],
        [None, subtotal, None, 1],
    ]
    report = check([write_grid(tmp_path / "a.xlsx", {"csdl": grid})], targets)
    assert report.errors == [] and report.rows_read == 2
    assert report.files[0].layout_rows == {"section": 1, "total": 1}
    assert not [w for w in report.warnings if w.code.startswith("totals")]  # the subtotal covers its rows


@pytest.mark.parametrize("where", [1, 3])
def test_a_row_of_one_label_is_a_section_heading_wherever_it_stands(tmp_path: Path, targets, where: int) -> None:  # type: ignore[no-untyped-def]
    """ "Khu vực Quảng Bình cũ" alone, no key, no STT and no values: a heading, not a row of "required" errors."""
    header = [c["label"] for c in sheet_columns("csdl")]
    label: list[Any] = [None] * len(header)
    label[where] = "Khu vực Quảng Bình cũ"
    grid = [header, label, ["DB1", "Đất đai", "TN&MT", "Có"], ["DB2", "Dân cư", "Công an", "Không"]]
    report = check([write_grid(tmp_path / "a.xlsx", {"csdl": grid})], targets)
    assert report.errors == [] and report.rows_read == 2
    assert report.files[0].layout_rows == {"section": 1}


def test_a_code_alone_is_a_row_with_its_values_missing_not_a_heading(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    header = [c["label"] for c in sheet_columns("csdl")]
    grid = [header, ["DB1", "Đất đai", "TN&MT", "Có"], ["DB2"]]
    report = check([write_grid(tmp_path / "a.xlsx", {"csdl": grid})], targets)
    assert {f.code for f in report.errors} == {"required"} and report.layout_rows == 0


@pytest.mark.parametrize(
    ("sheet", "row"),
    [
        ("csdl", ["Khu vực Quảng Bình cũ", None, None, None]),
        ("doanh_nghiep", ["Huyện Minh Hóa", None, None]),
        ("phan_mem", ["PM 10", None, None]),
    ],
)
def test_a_key_alone_is_a_units_row_with_its_figures_missing(  # type: ignore[no-untyped-def]
    tmp_path: Path, targets, sheet: str, row: list[Any]
) -> None:
    """Whatever the key column holds, a keyed row is a unit's: its blanks are said at their cells, never a heading."""
    header = [c["label"] for c in sheet_columns(sheet)]
    report = check([write_grid(tmp_path / "a.xlsx", {sheet: [header, row]})], targets)
    assert report.layout_rows == 0
    required = {(f.row, f.column) for f in report.errors if f.code == "required"}
    cells = zip(sheet_columns(sheet), row, strict=True)
    blank_required = {(2, c["key"]) for c, v in cells if v is None and c.get("required", True)}
    assert required == blank_required
