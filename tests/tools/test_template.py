"""The blank form: round trip, dropdowns and validations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.run.pipeline import check
from qbplan.tools.template import FIRST_DATA_ROW, HEADER_ROW, KEY_ROW, TITLE_ROW, write_template
from tests.helpers import agency
from tests.tools.filled import filled_template

ROWS: dict[str, list[dict[str, Any]]] = {
    "co_quan": [
        agency(ma_don_vi="T1"),
        agency(ma_don_vi="H1", cap="huyen", loai="ubnd_huyen", huyen="Lệ Thủy", co_trang_ttdt=False),
        agency(ma_don_vi="X1", cap="xa", loai="ubnd_xa", huyen="Lệ Thủy"),
    ],
    "csdl": [{"ma_csdl": "DB1", "ten_csdl": "Đất đai", "linh_vuc": "TN&MT", "dat_chuan": True}],
    "phan_mem": [{"ma_phan_mem": "PM1", "ten_phan_mem": "QLVB", "da_nang_cap": True}],
    "doanh_nghiep": [{"huyen": "Lệ Thủy", "so_doanh_nghiep": 400, "so_dn_giao_dich_dien_tu": 300}],
    "ho_gia_dinh": [
        {"ma_xa": "19381", "ten_xa": "An Xuân", "huyen": "Lệ Thủy", "so_ho": 3669, "so_ho_biet_cntt": 2086}
    ],
}


def test_a_template_filled_in_correctly_checks_with_no_findings(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = filled_template(targets, tmp_path / "bieu-mau.xlsx", ROWS)
    report = check([path], targets)
    # Only the word that, without a register, ct03 and ct05 count the rows the file lists.
    said = [(w.code, w.params["indicator"], w.params["count"]) for w in report.warnings]
    counts = {"ct03": len(ROWS["csdl"]), "ct05": len(ROWS["phan_mem"])}
    assert report.errors == [] and said == [("denominator-from-files", i, n) for i, n in counts.items()]
    assert report.rows_read == sum(len(rows) for rows in ROWS.values())
    # The hidden key row, the column numbers and the sign-off block are layout, never data.
    assert report.files[0].layout_rows == {"column-numbers": 5, "header": 5, "signoff": 15}
    ct07a = next(r for r in report.indicators if r.id == "ct07a")
    assert (ct07a.numerator, ct07a.denominator) == (1, 2)


def test_dropdowns_validations_headers_and_guide(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.xlsx"
    write_template(targets, str(path))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[-2:] == ["Hướng dẫn", "DanhMuc"] and wb["DanhMuc"].sheet_state == "hidden"
    ws = wb["Cơ quan, đơn vị"]
    assert [c.value for c in ws[HEADER_ROW]][:3] == ["Mã đơn vị", "Tên cơ quan, đơn vị", "Cấp"]
    assert [c.value for c in ws[KEY_ROW]][:3] == ["ma_don_vi", "ten_don_vi", "cap"]
    assert ws.row_dimensions[KEY_ROW].hidden and ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    by_column = {}
    for dv in ws.data_validations.dataValidation:
        for cells in dv.sqref.ranges:
            by_column[cells.coord.split(":")[0].rstrip("0123456789")] = dv
    cap, yes_no, number = by_column["C"], by_column["F"], by_column["G"]
    assert cap.type == "list" and cap.formula1.startswith("=DanhMuc!")
    lists = wb["DanhMuc"]
    column = cap.formula1.split("!")[1].split(":")[0].strip("$").rstrip("0123456789").strip("$")
    assert [lists[f"{column}{r}"].value for r in range(2, 5)] == ["Tỉnh", "Huyện", "Xã"]
    assert yes_no.type == "list" and number.type == "whole" and number.operator == "greaterThanOrEqual"
    assert number.formula1 == "0" and number.showInputMessage and number.prompt
    guide = "\n".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert targets.form.version in guide and "ct11" in guide
    # People read labels; keys stay in the hidden row for qbplan.
    assert "Số hộ có người biết sử dụng CNTT" in guide and "so_ho_biet_cntt" not in guide
    assert targets.form.version in ws.cell(TITLE_ROW, 1).value


def test_template_command_refuses_to_overwrite(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qbplan.cli import app

    out = tmp_path / "bieu-mau.xlsx"
    runner = CliRunner()
    assert runner.invoke(app, ["template", "-o", str(out)]).exit_code == 0
    again = runner.invoke(app, ["template", "-o", str(out), "--lang", "en"])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, ["template", "-o", str(out), "--force"]).exit_code == 0


def test_the_guide_speaks_in_labels_and_takes_its_year_from_the_deadlines(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from qbplan.tools.template import GUIDE_SHEET

    later = targets.model_copy(
        update={"indicators": [i.model_copy(update={"deadline": 2030}) for i in targets.indicators]}
    )
    path = tmp_path / "bieu-mau.xlsx"
    write_template(later, str(path))
    ws = openpyxl.load_workbook(path)[GUIDE_SHEET]
    text = "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    assert "Chỉ tiêu năm 2030" in text and "Chỉ tiêu năm 2025" not in text
    ct02a = next(row for row in ws.iter_rows(values_only=True) if row[0] == "ct02a")
    assert ct02a[3] == "Cơ quan, đơn vị"  # the sheet's label, not co_quan
    assert "so_cbcc" not in ct02a[4] and "Số cán bộ, công chức" in ct02a[4]
    ct04a = next(row for row in ws.iter_rows(values_only=True) if row[0] == "ct04a")
    assert "cap ∈" not in ct04a[4] and "Cấp: Tỉnh, Huyện" in ct04a[4]


def test_the_form_reads_like_an_official_form(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from qbplan.tools.template import AUTHORITY_ROW, BLANK_ROWS, MOTTO_ROW, NOTE_ROW

    path = tmp_path / "bieu-mau.xlsx"
    write_template(targets, str(path))
    wb = openpyxl.load_workbook(path)
    co_quan, csdl = wb["Cơ quan, đơn vị"], wb["CSDL chuyên ngành"]
    texts = [str(c.value) for row in co_quan.iter_rows() for c in row if c.value]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "Độc lập - Tự do - Hạnh phúc" in texts
    assert co_quan.cell(AUTHORITY_ROW, 1).value.startswith("CƠ QUAN, ĐƠN VỊ BÁO CÁO") and MOTTO_ROW == 2
    assert "NGƯỜI LẬP BIỂU" in texts and "THỦ TRƯỞNG ĐƠN VỊ" in texts
    assert any("ngày … tháng … năm" in text for text in texts)
    # Each sheet says what one row is.
    assert "một cơ quan, đơn vị" in co_quan.cell(NOTE_ROW, 1).value
    assert "một cơ sở dữ liệu" in csdl.cell(NOTE_ROW, 1).value and "cơ quan" not in csdl.cell(NOTE_ROW, 1).value
    # Input messages: labels, not keys, in whole sentences.
    prompts = [dv.prompt for dv in co_quan.data_validations.dataValidation]
    assert not any("so_cbcc" in p for p in prompts)
    assert any("Không lớn hơn 'Số cán bộ, công chức'." in p for p in prompts)
    assert not any("tỉnh Có thể" in p for p in prompts)
    # Printing: A4 landscape, one page wide, the header on every page, the form and its sign-off only.
    assert co_quan.page_setup.orientation == "landscape" and co_quan.page_setup.fitToWidth == 1
    assert co_quan.print_area.endswith(f"$A$1:$Q${FIRST_DATA_ROW + BLANK_ROWS + 5}")


# --- prefilled from a register


def _unit_rows() -> list[dict[str, Any]]:
    return [
        agency(ma_don_vi="T001", ten_don_vi="Sở Nội vụ"),
        agency(ma_don_vi="X001", ten_don_vi="UBND xã An Thủy", cap="xa", loai="ubnd_xa", huyen="Huyện Lệ Thủy"),
    ]


def test_a_prefilled_form_locks_each_units_identifying_cells_and_checks_back_complete(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from qbplan.register.load import load_register
    from qbplan.run.pipeline import CheckOptions
    from tests.helpers import write_register

    units = _unit_rows()
    register_path = write_register(tmp_path / "dm.xlsx", {"co_quan": units})
    register = load_register([str(register_path)], targets)
    form = tmp_path / "bieu-mau.xlsx"
    from qbplan.tools.template import register_units

    write_template(targets, str(form), register_units(register))
    wb = openpyxl.load_workbook(form)
    ws = wb["Cơ quan, đơn vị"]
    assert ws.protection.sheet
    identifying = {"ma_don_vi", "ten_don_vi", "cap", "loai", "huyen"}
    for i, unit in enumerate(units, start=FIRST_DATA_ROW):
        for j, col in enumerate(targets.sheet("co_quan").columns, start=1):
            cell = ws.cell(i, j)
            assert cell.protection.locked == (col.key in identifying), (i, col.key)
        assert ws.cell(i, 1).value == unit["ma_don_vi"] and ws.cell(i, 3).value in ("Tỉnh", "Xã")
    # An agency fills in the open cells (openpyxl ignores the protection, as Excel's user cannot).
    for i, unit in enumerate(units, start=FIRST_DATA_ROW):
        for j, col in enumerate(targets.sheet("co_quan").columns, start=1):
            if col.key not in identifying:
                value = unit[col.key]
                ws.cell(i, j, ("Có" if value else "Không") if col.type == "yesno" else value)
    keep = wb["Cơ quan, đơn vị"]
    for name in wb.sheetnames:
        if name not in (keep.title, "Hướng dẫn", "DanhMuc"):
            del wb[name]
    wb.save(form)
    report = check([form], targets, CheckOptions(register=(str(register_path),)))
    assert report.errors == []
    (co_quan,) = report.completeness
    assert (co_quan.expected, co_quan.submitted, co_quan.missing) == (2, 2, ())


def test_per_unit_forms_are_one_file_per_registered_agency(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qbplan.cli import app
    from tests.helpers import write_register

    register = write_register(tmp_path / "dm.xlsx", {"co_quan": _unit_rows()})
    out = tmp_path / "forms"
    result = CliRunner().invoke(app, ["template", "-r", str(register), "--per-unit", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["T001.xlsx", "X001.xlsx"]
    wb = openpyxl.load_workbook(out / "X001.xlsx")
    assert wb.sheetnames[0] == "Cơ quan, đơn vị" and "CSDL chuyên ngành" not in wb.sheetnames
    ws = wb["Cơ quan, đơn vị"]
    assert [ws.cell(FIRST_DATA_ROW, j).value for j in range(1, 6)] == [
        "X001",
        "UBND xã An Thủy",
        "Xã",
        "UBND cấp xã",
        "Huyện Lệ Thủy",
    ]
    assert ws.cell(FIRST_DATA_ROW + 1, 1).value is None
    # Again: nothing is overwritten without --force, not even the files that would be new.
    (out / "X001.xlsx").unlink()
    before = (out / "T001.xlsx").read_bytes()
    again = CliRunner().invoke(app, ["template", "-r", str(register), "--per-unit", "-o", str(out)])
    assert again.exit_code == 2 and "đã có; thêm --force để ghi đè" in again.stderr
    assert (out / "T001.xlsx").read_bytes() == before and not (out / "X001.xlsx").exists()


def test_per_unit_needs_a_register_and_a_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qbplan.cli import app
    from tests.helpers import write_register

    result = CliRunner().invoke(app, ["template", "--per-unit", "-o", str(tmp_path / "f")])
    assert result.exit_code == 2
    assert result.stderr == "qbplan: --per-unit cần danh mục đơn vị báo cáo: thêm --register DANH_MỤC\n"
    register = write_register(tmp_path / "dm.xlsx", {"co_quan": _unit_rows()})
    a_file = tmp_path / "x.xlsx"
    a_file.write_bytes(b"keep")
    result = CliRunner().invoke(app, ["template", "-r", str(register), "--per-unit", "-o", str(a_file)])
    assert result.exit_code == 2 and "là một tệp; với --per-unit, --output là thư mục" in result.stderr
    assert a_file.read_bytes() == b"keep"


def test_a_register_longer_than_the_blank_rows_pushes_the_sign_off_down(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from qbplan.tools.template import BLANK_ROWS

    many = [{"ma_phan_mem": f"PM{i:03d}", "ten_phan_mem": f"Phần mềm {i}"} for i in range(BLANK_ROWS + 10)]
    path = tmp_path / "f.xlsx"
    write_template(targets, str(path), {"phan_mem": many})
    ws = openpyxl.load_workbook(path)["Phần mềm dùng chung"]
    last = FIRST_DATA_ROW + len(many) - 1
    assert ws.cell(last, 1).value == many[-1]["ma_phan_mem"]
    texts = {ws.cell(r, c).value for r in range(FIRST_DATA_ROW, last + 1) for c in range(1, 4)}
    assert "NGƯỜI LẬP BIỂU" not in texts
    assert any(ws.cell(r, 2).value == "NGƯỜI LẬP BIỂU" for r in range(last + 1, last + 5))


def test_a_form_is_made_under_timeout_and_nothing_is_left_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A huge register's form is built in a bounded worker, like a read: stopped, and no file written."""
    import time

    from qbplan.tools import template as template_module

    def slow(*_args: object, **_kwargs: object) -> None:
        time.sleep(60)

    monkeypatch.setattr(template_module, "write_template", slow)
    out = tmp_path / "bieu-mau.xlsx"
    start = time.monotonic()
    result = CliRunner().invoke(app, ["template", "-o", str(out), "--timeout", "2", "--lang", "en"])
    assert result.exit_code == 2 and "longer than 2 seconds" in result.stderr
    assert time.monotonic() - start < 30 and list(tmp_path.iterdir()) == []
