"""Reading workbooks: finding sheets and headers, and refusing bad files."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from qbplan.errors import InputError
from qbplan.reading import column_letter, read_workbook

from .conftest import SAMPLES, agency, grid_for, write_form, write_grid


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702, 16383)] == ["A", "Z", "AA", "AB", "ZZ", "AAA", "XFD"]


def test_header_found_below_title_rows_and_rows_keep_excel_numbers(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency(ma_don_vi="A"), agency(ma_don_vi="B")]}, title_rows=5)
    wb = read_workbook(str(path), targets)
    (table,) = wb.tables
    assert table.sheet == "co_quan" and table.header_row == 6
    assert [row for row, _ in table.rows] == [7, 8]
    assert table.col_index["so_cbcc"] == 6  # column G


@pytest.mark.parametrize("sheet_name", ["co_quan", "Cơ quan, đơn vị", "CO QUAN, DON VI", "  Cơ quan,  đơn vị "])
def test_sheet_matched_by_key_label_or_bare_label(tmp_path: Path, targets, sheet_name: str) -> None:  # type: ignore[no-untyped-def]
    path = write_grid(tmp_path / "a.xlsx", {sheet_name: grid_for("co_quan", [agency()])})
    assert read_workbook(str(path), targets).tables[0].sheet == sheet_name


def test_renamed_sheet_is_recognised_by_its_header(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_grid(
        tmp_path / "a.xlsx",
        {"Sheet1": grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "QLVB", "da_nang_cap": "Có"}])},
    )
    (table,) = read_workbook(str(path), targets).tables
    assert table.spec.key == "phan_mem" and table.sheet == "Sheet1"


def test_headers_by_key_or_without_diacritics_with_line_breaks(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    grid = grid_for("ho_gia_dinh", [{"ma_xa": "1", "ten_xa": "Xã A", "huyen": "H", "so_ho": 10, "so_ho_biet_cntt": 7}])
    grid[0] = ["ma_xa", "TEN XA, PHUONG,\nTHI TRAN", "Huyện, thị xã,\nthành phố", "so ho gia dinh", "SO_HO_BIET_CNTT"]
    path = write_grid(tmp_path / "a.xlsx", {"Hộ gia đình": grid})
    (table,) = read_workbook(str(path), targets).tables
    assert set(table.col_index) == {"ma_xa", "ten_xa", "huyen", "so_ho", "so_ho_biet_cntt"}


def test_extra_columns_and_sheets_are_ignored(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    grid = grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "QLVB", "da_nang_cap": "Có"}])
    grid = [["STT", *grid[0], "Ghi chú"], [1, *grid[1], "ok"]]
    path = write_grid(tmp_path / "a.xlsx", {"Phần mềm dùng chung": grid, "Ghi chú": [["x"]]})
    wb = read_workbook(str(path), targets)
    assert wb.other_sheets == ["Ghi chú"]
    assert wb.tables[0].rows == [(2, ("PM1", "QLVB", "Có"))]


def test_blank_rows_are_counted_not_dropped_silently(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    grid = grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "A", "da_nang_cap": "Có"}])
    grid += [[None, None, None], ["PM2", "B", "Không"]]
    path = write_grid(tmp_path / "a.xlsx", {"phan_mem": grid})
    (table,) = read_workbook(str(path), targets).tables
    assert table.blank_rows == 1 and [r for r, _ in table.rows] == [2, 4]


def test_hidden_sheet_is_read_with_a_note(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_grid(
        tmp_path / "a.xlsx",
        {"phan_mem": grid_for("phan_mem", []), "co_quan": grid_for("co_quan", [agency()])},
        hidden=("co_quan",),
    )
    wb = read_workbook(str(path), targets)
    assert ("sheet-hidden", "co_quan", {}) in wb.notes
    assert {t.spec.key for t in wb.tables} == {"phan_mem", "co_quan"}


def test_excel_errors_and_unsaved_formulas_are_cell_problems(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency(), agency(ma_don_vi="T002")]})
    wb = openpyxl.load_workbook(path)
    ws = wb["co_quan"]
    ws["G2"] = "#DIV/0!"  # openpyxl writes this as an error cell (t="e")
    ws["M3"] = "=SUM(G3:L3)"  # written by a program: no saved value
    wb.save(path)
    (table,) = read_workbook(str(path), targets).tables
    values = {row: dict(zip(table.keys, vals, strict=True)) for row, vals in table.rows}
    assert values[2]["so_cbcc"].code == "excel-error" and values[2]["so_cbcc"].detail == "#DIV/0!"
    assert values[3]["so_van_ban"].code == "formula-no-value" and values[3]["so_van_ban"].detail == "=SUM(G3:L3)"
    assert values[2]["so_van_ban"] == 1000


def test_missing_required_column_names_what_is_missing_and_found(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    grid = grid_for("doanh_nghiep", [{"huyen": "H", "so_doanh_nghiep": 5, "so_dn_giao_dich_dien_tu": 3}])
    grid = [row[:2] for row in grid]
    path = write_grid(tmp_path / "a.xlsx", {"doanh_nghiep": grid})
    with pytest.raises(InputError) as info:
        read_workbook(str(path), targets)
    err = info.value
    assert err.code == "input-missing-columns"
    msg = err.message("en")
    assert "so_dn_giao_dich_dien_tu" in msg and "Số doanh nghiệp" in msg and "header row 1" in msg


def test_no_form_sheet_lists_what_was_found(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_grid(tmp_path / "a.xlsx", {"Báo cáo": [["Nội dung"], ["abc"]], "Sheet2": [["x"]]})
    with pytest.raises(InputError) as info:
        read_workbook(str(path), targets)
    assert info.value.code == "input-no-form-sheet"
    assert "Báo cáo, Sheet2" in info.value.message("vi") and "co_quan (Cơ quan, đơn vị)" in info.value.message("vi")


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    sample = (SAMPLES / "survey.xlsx").read_bytes()
    files = {
        "empty": ("empty.xlsx", b"", "input-empty"),
        "random": ("random.xlsx", os.urandom(4096), "input-not-workbook"),
        "truncated": ("truncated.xlsx", sample[: len(sample) // 2], "input-corrupt"),
        "csv": ("renamed-csv.xlsx", "ma_don_vi,ten_don_vi\nT001,Sở\n".encode(), "input-not-workbook"),
        "html": (
            "renamed-html.xlsx",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            "input-not-workbook",
        ),
        "lock": ("~$survey.xlsx", b"\x0bqbplan  " + b"\x00" * 150, "input-lock-file"),
        "ole-encrypted": (
            "secret.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512,
            "input-encrypted",
        ),
        "zip-not-workbook": ("plain.xlsx", b"", "input-not-workbook"),
    }
    out = {}
    for key, (name, data, code) in files.items():
        path = tmp / name
        if key == "zip-not-workbook":
            with zipfile.ZipFile(path, "w") as zf:
                zf.writestr("readme.txt", "hello")
        else:
            path.write_bytes(data)
        out[key] = (path, code)
    out["missing"] = (tmp / "nope.xlsx", "input-missing")
    out["directory"] = (tmp, "input-is-directory")
    return out


@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "random",
        "truncated",
        "csv",
        "html",
        "lock",
        "ole-encrypted",
        "zip-not-workbook",
        "missing",
        "directory",
    ],
)
def test_bad_files_are_refused_with_one_line(tmp_path: Path, targets, case: str) -> None:  # type: ignore[no-untyped-def]
    path, code = _bad_files(tmp_path)[case]
    with pytest.raises(InputError) as info:
        read_workbook(str(path), targets)
    assert info.value.code == code
    for lang in ("vi", "en"):
        msg = info.value.message(lang)
        assert msg.startswith(str(path)) and "\n" not in msg


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_permission(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency()]})
    path.chmod(0)
    with pytest.raises(InputError) as info:
        read_workbook(str(path), targets)
    assert info.value.code == "input-permission"


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (64 * 1024 * 1024) + b">")
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(InputError) as info:
        read_workbook(str(path), targets)
    assert info.value.code == "input-zip-bomb"


def test_second_sheet_for_the_same_form_sheet_is_skipped_with_a_note(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_grid(
        tmp_path / "a.xlsx",
        {"co_quan": grid_for("co_quan", [agency()]), "Cơ quan, đơn vị": grid_for("co_quan", [agency(), agency()])},
    )
    wb = read_workbook(str(path), targets)
    assert [(t.sheet, len(t.rows)) for t in wb.tables] == [("co_quan", 1)]
    assert wb.notes == [("sheet-duplicate", "Cơ quan, đơn vị", {"form_sheet": "co_quan", "first": "co_quan"})]
