"""Reading workbooks: finding sheets and headers, and refusing bad files."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from qbplan.errors import InputError
from qbplan.model.cells import column_letter
from qbplan.read.workbook import read_workbook
from tests.helpers import SAMPLES, agency, grid_for, write_form, write_grid
from tests.helpers.odsfile import ods_cell, write_ods


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
    assert ("sheet-hidden", "co_quan", {}) in _notes(wb)
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
    assert _notes(wb) == [("sheet-duplicate", "Cơ quan, đơn vị", {"form_sheet": "co_quan", "first": "co_quan"})]


def _xls(
    path: Path,
    sheet: str,
    grid: list[list[object]],
    errors: dict[tuple[int, int], int] | None = None,
    hidden_rows: tuple[int, ...] = (),
) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if value is not None:
                ws.write(i, j, value)
    for (i, j), code in (errors or {}).items():
        ws.row(i).set_cell_error(j, code)
    for i in hidden_rows:
        ws.row(i).hidden = True
    wb.save(str(path))
    return path


def test_xls_is_read_with_its_error_cells_and_hidden_rows(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    grid = grid_for("phan_mem", [{"ma_phan_mem": f"PM{i}", "ten_phan_mem": "A", "da_nang_cap": "Có"} for i in range(3)])
    grid[2][2] = None  # becomes the error cell
    path = _xls(tmp_path / "bao-cao.xls", "Phần mềm dùng chung", grid, errors={(2, 2): 0x07}, hidden_rows=(3,))
    wb = read_workbook(str(path), targets)
    (table,) = wb.tables
    values = dict(table.rows)
    assert values[2] == ("PM0", "A", "Có")
    assert values[3][2].code == "excel-error" and values[3][2].detail == "#DIV/0!"
    assert table.hidden_rows == [4]
    assert ("rows-hidden", "Phần mềm dùng chung", {"count": 1, "rows": "4"}) in _notes(wb)


def test_ods_formulas_without_values_and_errors_are_cell_problems(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    header = "".join(ods_cell(v) for v in ["Mã phần mềm", "Tên phần mềm", "Đã đầu tư nâng cấp"])
    ok = "".join(ods_cell(v) for v in ["PM1", "A", "Có"])
    no_value = ods_cell("PM2") + ods_cell("B") + '<table:table-cell table:formula="of:=IF([.A1]=1;&quot;Có&quot;)"/>'
    error = (
        ods_cell("PM3")
        + ods_cell("C")
        + '<table:table-cell table:formula="of:=1/0" office:value-type="float" office:value="0" '
        'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
    )
    collapsed = '<table:table-row table:visibility="collapse">' + "".join(ods_cell(v) for v in ["PM4", "D", "Không"])
    rows = "".join(f"<table:table-row>{r}</table:table-row>" for r in (header, ok, no_value, error)) + collapsed
    path = write_ods(tmp_path / "bao-cao.ods", "phan_mem", rows + "</table:table-row>")
    wb = read_workbook(str(path), targets)
    (table,) = wb.tables
    values = dict(table.rows)
    assert values[2] == ("PM1", "A", "Có")
    assert values[3][2].code == "formula-no-value"
    assert values[4][2].code == "excel-error" and values[4][2].detail == "#DIV/0!"
    assert table.hidden_rows == [5]


def test_xlsx_hidden_rows_are_read_and_noted(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency(ma_don_vi="A"), agency(ma_don_vi="B")]})
    wb = openpyxl.load_workbook(path)
    wb["co_quan"].row_dimensions[3].hidden = True
    wb.save(path)
    workbook = read_workbook(str(path), targets)
    assert workbook.tables[0].hidden_rows == [3] and len(workbook.tables[0].rows) == 2
    assert _notes(workbook) == [("rows-hidden", "co_quan", {"count": 1, "rows": "3"})]


def test_xlsm_and_misnamed_extensions_are_detected_by_content(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    source = write_form(tmp_path / "a.xlsx", {"co_quan": [agency()]})
    for name in ("a.xlsm", "a.xls", "a.ods", "a.bin"):
        (tmp_path / name).write_bytes(source.read_bytes())
        assert len(read_workbook(str(tmp_path / name), targets).tables[0].rows) == 1


@pytest.fixture(scope="session")
def real_zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ~3 MB .xlsx whose sheet XML inflates to 1.1 GB (the sizes in the zip are honest)."""
    from tests.corpus.build import xlsx

    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    base = zipfile.ZipFile(io.BytesIO(xlsx("<worksheet/>")))
    row = b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' * 20000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for info in base.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(info.filename, base.read(info.filename))
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            written = 0
            while written < 1100 * 1024 * 1024:
                member.write(row)
                written += len(row)
    return path


@pytest.mark.slow
def test_a_real_zip_bomb_is_refused_fast(real_zip_bomb: Path, targets) -> None:  # type: ignore[no-untyped-def]
    assert real_zip_bomb.stat().st_size < 4 * 1024 * 1024
    with pytest.raises(InputError) as info:
        read_workbook(str(real_zip_bomb), targets)
    assert info.value.code == "input-zip-bomb" and "limit 1073741824" in info.value.message("en")


def test_the_unzipped_limit_is_an_option(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from qbplan.read.sniff import Limits

    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency()]})
    with pytest.raises(InputError) as info:
        read_workbook(str(path), targets, Limits(max_unzipped=1000))
    assert info.value.code == "input-zip-bomb"
    assert read_workbook(str(path), targets, Limits(max_unzipped=10**9)).tables


def _notes(workbook: Any) -> list[tuple[str, str | None, dict[str, Any]]]:
    return [(n.code, n.sheet, dict(n.params)) for n in workbook.notes]


def test_an_xls_the_error_cell_probe_cannot_read_is_still_read_with_a_warning(
    tmp_path: Path, targets, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # xlrd asserts on a shared-strings count that calamine, Excel and LibreOffice accept.
    from qbplan.read import workbook

    def fails(_path: str) -> None:
        raise AssertionError("SST count")

    monkeypatch.setattr(workbook, "audit_xls", fails)
    grid = grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "A", "da_nang_cap": "Có"}])
    path = _xls(tmp_path / "sst.xls", "Phần mềm dùng chung", grid)
    wb = read_workbook(str(path), targets)
    assert [row for row, _ in wb.tables[0].rows] == [2]
    assert _notes(wb)[0][0] == "probe-skipped" and "SST count" in _notes(wb)[0][2]["detail"]


def test_xlrd_diagnostics_never_reach_stdout(tmp_path: Path, targets, capfd: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    # A file whose size is not a whole number of sectors makes xlrd print
    # "WARNING *** file size (…) not 512 + multiple of sector size".
    grid = grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "A", "da_nang_cap": "Có"}])
    path = _xls(tmp_path / "odd.xls", "Phần mềm dùng chung", grid)
    path.write_bytes(path.read_bytes() + b"\0" * 100)
    read_workbook(str(path), targets)
    assert capfd.readouterr().out == ""


@pytest.mark.parametrize("part", ["xl/custom.dat", "xl/worksheets/sheet9.XML", "customXml/item1"])
def test_a_dtd_is_refused_whatever_the_part_is_named(tmp_path: Path, targets, part: str) -> None:  # type: ignore[no-untyped-def]
    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency()]})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(part, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(InputError) as info:
        read_workbook(str(path), targets)
    assert info.value.code == "input-xml-dtd" and info.value.params["part"] == part


def _repacked(source: Path, target: Path, rename: Any) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = rename(info.filename, zin.read(info.filename))
            zout.writestr(name, data)
    return target


def test_a_package_with_backslash_part_names_is_read(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    source = write_form(tmp_path / "a.xlsx", {"co_quan": [agency()]})

    def backslashes(name: str, data: bytes) -> tuple[str, bytes]:
        return (name.replace("/", "\\") if name.startswith("xl/") else name), data

    path = _repacked(source, tmp_path / "backslash.xlsx", backslashes)
    (table,) = read_workbook(str(path), targets).tables
    assert [row for row, _ in table.rows] == [2]


def test_the_workbook_part_is_found_through_the_package_relationships(tmp_path: Path) -> None:
    from qbplan.read.sniff import sniff

    source = write_form(tmp_path / "a.xlsx", {"co_quan": [agency()]})

    def moved(name: str, data: bytes) -> tuple[str, bytes]:
        if name in ("_rels/.rels", "[Content_Types].xml"):
            data = data.replace(b"xl/workbook.xml", b"book/workbook.xml")
        return (name.replace("xl/", "book/", 1) if name.startswith("xl/") else name), data

    assert sniff(str(_repacked(source, tmp_path / "moved.xlsx", moved))) == "xlsx"

    def binary(name: str, data: bytes) -> tuple[str, bytes]:
        if name in ("_rels/.rels", "[Content_Types].xml"):
            data = data.replace(b"xl/workbook.xml", b"xl/workbook.bin")
        return name.replace("xl/workbook.xml", "xl/workbook.bin"), data

    # An Excel binary workbook is a workbook, read by calamine; never "not a workbook".
    assert sniff(str(_repacked(source, tmp_path / "book.xlsb", binary))) == "xlsb"


def test_an_xls_with_excels_default_password_opens_without_asking(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from tests.read.xls_crypto import encrypt_xls

    grid = grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "A", "da_nang_cap": "Có"}])
    plain = _xls(tmp_path / "plain.xls", "Phần mềm dùng chung", grid)
    locked = encrypt_xls(plain, tmp_path / "velvet.xls")
    (table,) = read_workbook(str(locked), targets).tables
    assert table.rows == [(2, ("PM1", "A", "Có"))] and table.file == str(locked)


def test_an_xls_with_a_real_password_needs_it(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from tests.read.xls_crypto import encrypt_xls

    grid = grid_for("phan_mem", [{"ma_phan_mem": "PM1", "ten_phan_mem": "A", "da_nang_cap": "Có"}])
    locked = encrypt_xls(_xls(tmp_path / "plain.xls", "Phần mềm dùng chung", grid), tmp_path / "k.xls", "mat-khau")
    with pytest.raises(InputError) as info:
        read_workbook(str(locked), targets)
    assert info.value.code == "input-encrypted"
    with pytest.raises(InputError) as info:
        read_workbook(str(locked), targets, password="sai")
    assert info.value.code == "input-password-wrong"
    (table,) = read_workbook(str(locked), targets, password="mat-khau").tables
    assert [row for row, _ in table.rows] == [2]


@pytest.mark.parametrize("times", ["100000", "1000000000"])
def test_an_ods_repeating_a_data_row_a_million_times_is_refused_fast(tmp_path: Path, targets, times: str) -> None:  # type: ignore[no-untyped-def]
    header = "".join(ods_cell(c) for c in ("Mã phần mềm", "Tên phần mềm", "Đã đầu tư nâng cấp"))
    row = "".join(ods_cell(c) for c in ("PM1", "A", "Không có"))
    rows = f"<table:table-row>{header}</table:table-row>"
    rows += f'<table:table-row table:number-rows-repeated="{times}">{row}</table:table-row>'
    path = write_ods(tmp_path / "amp.ods", "Phần mềm dùng chung", rows)
    assert path.stat().st_size < 2048
    with pytest.raises(InputError) as info:
        read_workbook(str(path), targets)
    assert info.value.code == "input-repeated-rows"


def test_blank_rows_repeated_to_the_end_of_an_ods_are_normal(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    header = "".join(ods_cell(c) for c in ("Mã phần mềm", "Tên phần mềm", "Đã đầu tư nâng cấp"))
    row = "".join(ods_cell(c) for c in ("PM1", "A", "Có"))
    rows = f"<table:table-row>{header}</table:table-row><table:table-row>{row}</table:table-row>"
    rows += '<table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row>'
    (table,) = read_workbook(str(write_ods(tmp_path / "ok.ods", "Phần mềm dùng chung", rows)), targets).tables
    assert len(table.rows) == 1


def test_one_bad_sheet_is_refused_alone_and_the_others_are_checked(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from qbplan.run.pipeline import check

    bad = [["Mã phần mềm", "Tên phần mềm"], ["PM1", "A"]]  # lacks a required column
    path = write_grid(tmp_path / "a.xlsx", {"phan_mem": bad, "co_quan": grid_for("co_quan", [agency()])})
    report = check([path], targets)
    assert [(f.code, f.sheet) for f in report.errors] == [("input-missing-columns", "phan_mem")]
    assert report.files[0].readable and report.rows_read == 1  # co_quan was read and counted
    assert next(i for i in report.indicators if i.id == "ct02a").denominator > 0
    assert report.exit_code == 2  # a sheet could not be used at all
