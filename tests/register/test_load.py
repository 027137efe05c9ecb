"""Reading a register: the reduced form, each format, and one refusal per way a register can be wrong."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.config.targets import Targets
from qbplan.register.load import RegisterError, load_register, register_form
from tests.helpers import SAMPLES, agency, register_columns, write_form, write_grid, write_register
from tests.helpers.odsfile import ods_cell, write_ods

runner = CliRunner()

UNITS = [
    agency(ma_don_vi="T001", ten_don_vi="Sở Nội vụ"),
    agency(ma_don_vi="H001", ten_don_vi="UBND huyện Minh Hóa", cap="huyen", loai="ubnd_huyen", huyen="Huyện Minh Hóa"),
    agency(ma_don_vi="X001", ten_don_vi="UBND xã Hóa Tiến", cap="xa", loai="ubnd_xa", huyen="Huyện Minh Hóa"),
]


def test_the_register_form_keeps_sheets_with_a_key_and_their_identifying_columns(targets: Targets) -> None:
    reduced = register_form(targets)
    assert [s.key for s in reduced.form.sheets] == ["co_quan", "csdl", "phan_mem", "doanh_nghiep", "ho_gia_dinh"]
    co_quan = reduced.form.sheets[0]
    # The identifying columns, then the register's own: the unit that reports the row (the intake's ownership)
    # and the unit's e-mail (where reminders are written to).
    assert [c.key for c in co_quan.columns] == [
        "ma_don_vi", "ten_don_vi", "cap", "loai", "huyen", "don_vi_bao_cao", "thu_dien_tu",
    ]  # fmt: skip
    # The level/type rules hold in a register too.
    assert len(co_quan.rules) == 3
    assert [c.key for c in reduced.form.sheets[3].columns] == ["huyen", "don_vi_bao_cao", "thu_dien_tu"]


def test_a_register_workbook_gives_each_unit_with_its_row(tmp_path: Path, targets: Targets) -> None:
    path = write_register(tmp_path / "danh-muc.xlsx", {"co_quan": UNITS})
    register = load_register([str(path)], targets)
    sheet = register.sheets["co_quan"]
    assert (sheet.key, sheet.name, sheet.group) == ("ma_don_vi", "ten_don_vi", "huyen")
    assert [(u.values["ma_don_vi"], u.values["cap"], u.row) for u in sheet.units] == [
        ("T001", "tinh", 2),
        ("H001", "huyen", 3),
        ("X001", "xa", 4),
    ]


def test_the_sample_register_lists_every_unit_of_the_sample(targets: Targets) -> None:
    import openpyxl

    register = load_register([str(SAMPLES / "danh-muc.xlsx")], targets)
    wb = openpyxl.load_workbook(SAMPLES / "survey.xlsx", read_only=True)
    for key, sheet in register.sheets.items():
        spec = targets.sheet(key)
        assert spec is not None
        rows = [r for r in wb[spec.label].iter_rows(min_row=7, values_only=True) if any(v is not None for v in r)]
        assert sorted(u.values[sheet.key] for u in sheet.units) == sorted(str(r[0]) for r in rows)


def _csv(path: Path, rows: list[list[object]], delimiter: str = ",", bom: bool = True) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def _co_quan_rows() -> list[list[object]]:
    cols = register_columns("co_quan")
    return [[c["label"] for c in cols]] + [["" if u[c["key"]] is None else u[c["key"]] for c in cols] for u in UNITS]


@pytest.mark.parametrize(
    ("name", "delimiter", "bom"), [("co_quan.csv", ",", True), ("Cơ quan, đơn vị.csv", ";", False)]
)
def test_a_csv_register_is_one_sheet_named_by_its_file(
    tmp_path: Path, targets: Targets, name: str, delimiter: str, bom: bool
) -> None:
    path = _csv(tmp_path / name, _co_quan_rows(), delimiter, bom)
    register = load_register([str(path)], targets)
    assert [u.values["ma_don_vi"] for u in register.sheets["co_quan"].units] == ["T001", "H001", "X001"]


def test_a_csv_register_with_another_name_is_known_by_its_header(tmp_path: Path, targets: Targets) -> None:
    path = _csv(tmp_path / "don-vi-2025.csv", _co_quan_rows(), "\t")
    assert set(load_register([str(path)], targets).sheets) == {"co_quan"}


def test_a_folder_of_csv_files_is_one_register(tmp_path: Path, targets: Targets) -> None:
    folder = tmp_path / "danh-muc"
    folder.mkdir()
    _csv(folder / "co_quan.csv", _co_quan_rows())
    _csv(folder / "phan_mem.csv", [["Mã phần mềm", "Tên phần mềm"], ["PM01", "Một cửa điện tử"]])
    register = load_register([str(folder)], targets)
    assert set(register.sheets) == {"co_quan", "phan_mem"}


def test_an_ods_register(tmp_path: Path, targets: Targets) -> None:
    rows = [["Mã phần mềm", "Tên phần mềm"], ["PM01", "Một cửa điện tử"], ["PM02", "Cổng dịch vụ công"]]
    xml = "".join("<table:table-row>" + "".join(ods_cell(v) for v in r) + "</table:table-row>" for r in rows)
    path = write_ods(tmp_path / "danh-muc.ods", "Phần mềm dùng chung", xml)
    units = load_register([str(path)], targets).sheets["phan_mem"].units
    assert [(u.values["ma_phan_mem"], u.row) for u in units] == [("PM01", 2), ("PM02", 3)]


def test_the_targets_file_names_its_register_relative_to_itself(tmp_path: Path) -> None:
    from tests.helpers import TARGETS_YAML

    plan = tmp_path / "plan"
    plan.mkdir()
    write_register(plan / "danh-muc.xlsx", {"co_quan": UNITS})
    (plan / "targets.yaml").write_text(
        TARGETS_YAML.read_text(encoding="utf-8") + "\nregister: danh-muc.xlsx\n", encoding="utf-8"
    )
    submission = write_form(tmp_path / "nop.xlsx", {"co_quan": UNITS[:2]})
    result = runner.invoke(app, ["check", str(submission), "-t", str(plan / "targets.yaml"), "-f", "json"])
    import json

    doc = json.loads(result.stdout)
    assert doc["register"] == [str(plan / "danh-muc.xlsx")]
    (co_quan,) = doc["completeness"]
    assert (co_quan["expected"], co_quan["submitted"]) == (3, 2)
    assert [u["key"] for u in co_quan["missing"]] == ["X001"]


# --- one refusal per way a register can be wrong: exit 2, one line naming file, sheet and cell


def _refusal(tmp_path: Path, register: Path) -> str:
    submission = write_form(tmp_path / "nop.xlsx", {"co_quan": UNITS})
    result = runner.invoke(app, ["check", str(submission), "--register", str(register), "-q"])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    return lines[0]


def test_a_repeated_key_is_refused_at_its_cell(tmp_path: Path) -> None:
    path = write_register(tmp_path / "dm.xlsx", {"co_quan": [*UNITS, UNITS[1]]})
    line = _refusal(tmp_path, path)
    assert line == (
        f"qbplan: danh mục đơn vị báo cáo {path} › co_quan › A5: mã 'H001' ở cột 'Mã đơn vị' lặp lại ô A3; "
        "mỗi đơn vị chỉ ghi một lần trong danh mục"
    )


def test_a_missing_key_column_is_refused(tmp_path: Path) -> None:
    rows = [["Tên cơ quan, đơn vị", "Cấp", "Loại cơ quan"], ["Sở Nội vụ", "Tỉnh", "Sở, ban, ngành"]]
    path = write_grid(tmp_path / "dm.xlsx", {"co_quan": rows})
    line = _refusal(tmp_path, path)
    assert line.startswith(
        f"qbplan: danh mục đơn vị báo cáo: {path}, trang 'co_quan', dòng tiêu đề 1: thiếu cột ma_don_vi"
    )


def test_an_unknown_sheet_is_refused(tmp_path: Path) -> None:
    path = write_grid(
        tmp_path / "dm.xlsx",
        {"co_quan": [["Mã đơn vị", "Tên cơ quan, đơn vị", "Cấp", "Loại cơ quan"]], "Ghi chú": [["Danh mục năm 2025"]]},
    )
    assert _refusal(tmp_path, path).startswith(
        f"qbplan: danh mục đơn vị báo cáo {path} › Ghi chú: trang 'Ghi chú' không phải trang nào của danh mục."
    )


def test_a_blank_extra_sheet_is_not_an_unknown_sheet(tmp_path: Path, targets: Targets) -> None:
    path = write_register(tmp_path / "dm.xlsx", {"co_quan": UNITS})
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Sheet2")
    wb.save(path)
    assert set(load_register([str(path)], targets).sheets) == {"co_quan"}


def test_a_unit_breaking_a_rule_is_refused(tmp_path: Path) -> None:
    bad = dict(UNITS[2], cap="tinh")
    path = write_register(tmp_path / "dm.xlsx", {"co_quan": [UNITS[0], bad]})
    assert _refusal(tmp_path, path) == (
        f"qbplan: danh mục đơn vị báo cáo {path} › co_quan › C3: 'tinh' ở cột 'Cấp' trái quy tắc "
        "Loại cơ quan: UBND cấp xã ⇒ Cấp: Xã"
    )


def test_a_missing_register_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "khong-co.xlsx"
    assert _refusal(tmp_path, path) == f"qbplan: danh mục đơn vị báo cáo: {path}: không tìm thấy tệp"


def test_a_damaged_register_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dm.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    assert _refusal(tmp_path, path).startswith(f"qbplan: danh mục đơn vị báo cáo: {path}:")


def test_a_csv_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "co_quan.csv"
    path.write_bytes("Mã đơn vị,Tên\n".encode("utf-16"))
    assert _refusal(tmp_path, path) == (
        f"qbplan: danh mục đơn vị báo cáo {path}: tệp CSV không phải UTF-8 (dòng 1); lưu lại bằng 'CSV UTF-8'"
    )


def test_an_empty_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "co_quan.csv"
    path.write_bytes(b"")
    assert _refusal(tmp_path, path) == f"qbplan: danh mục đơn vị báo cáo: {path}: tệp rỗng (0 byte)"


def test_a_sheet_given_twice_is_refused(tmp_path: Path) -> None:
    first = write_register(tmp_path / "a.xlsx", {"co_quan": UNITS})
    second = _csv(tmp_path / "co_quan.csv", _co_quan_rows())
    submission = write_form(tmp_path / "nop.xlsx", {"co_quan": UNITS})
    result = runner.invoke(app, ["check", str(submission), "-r", str(first), "-r", str(second), "-q"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"qbplan: danh mục đơn vị báo cáo {second} › co_quan: danh mục của biểu 'co_quan' đã có ở {first} › co_quan"
    )


def test_a_folder_without_registers_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "trong"
    folder.mkdir()
    assert _refusal(tmp_path, folder) == (
        f"qbplan: danh mục đơn vị báo cáo {folder}: thư mục không có tệp .csv, .xlsx, .xlsm, .xlsb, .xls hay .ods nào"
    )


def test_the_refusal_is_english_with_lang_en(tmp_path: Path) -> None:
    path = tmp_path / "khong-co.xlsx"
    submission = write_form(tmp_path / "nop.xlsx", {"co_quan": UNITS})
    result = runner.invoke(app, ["check", str(submission), "-r", str(path), "-q", "--lang", "en"])
    assert result.stderr.strip() == f"qbplan: register of reporting units: {path}: no such file"


def test_a_register_error_crosses_from_the_bounded_reader_as_itself(tmp_path: Path, targets: Targets) -> None:
    from qbplan.run.pipeline import CheckOptions, read_register

    with pytest.raises(RegisterError) as caught:
        read_register(targets, CheckOptions(register=(str(tmp_path / "none.csv"),)))
    assert caught.value.exit_code == 2


def test_a_register_needs_only_its_key_column_and_checks_what_it_gives(tmp_path: Path) -> None:
    """Databases listed by code and name alone, some names blank: no refusal, and only a name that
    disagrees is a finding."""
    import openpyxl

    from qbplan.config.targets import load_targets
    from qbplan.run.pipeline import CheckOptions, check
    from tests.helpers import SAMPLES

    survey = SAMPLES / "survey.xlsx"
    source = openpyxl.load_workbook(survey, read_only=True)["CSDL chuyên ngành"]
    rows = [r for r in source.iter_rows(values_only=True) if r and isinstance(r[0], str) and r[0].startswith("CSDL")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "CSDL chuyên ngành"
    ws.append(["Mã CSDL", "Tên cơ sở dữ liệu"])
    for i, r in enumerate(rows):
        ws.append([r[0], None if i % 2 else r[1]])  # every other name left blank
    ws.cell(2, 2).value = "Một tên khác"  # the first unit's name disagrees with its submission
    path = tmp_path / "danh-muc-csdl.xlsx"
    wb.save(path)
    report = check([str(survey)], load_targets(), CheckOptions(register=(str(path),)))
    assert [(f.code, f.column) for f in report.errors] == [("register-mismatch", "ten_csdl")]
    ct03 = next(i for i in report.indicators if i.id == "ct03")
    assert ct03.coverage is not None and ct03.coverage.expected == len(rows)
    assert ct03.coverage.reported == len(rows) - 1  # the disagreeing row is left out, and said


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_large_csv_register_with_quoted_delimiters_is_read_whole(
    tmp_path: Path, targets: Targets, delimiter: str
) -> None:
    """Names with commas and semicolons inside quotes, 3,000 units: the delimiter is the header's."""
    cols = register_columns("co_quan")
    rows = [[c["label"] for c in cols]]
    for i in range(3000):
        unit = dict(UNITS[0], ma_don_vi=f"T{i:04d}", ten_don_vi=f"Sở số {i}; phòng {i}, tổ {i}")
        rows.append(["" if unit[c["key"]] is None else unit[c["key"]] for c in cols])
    path = _csv(tmp_path / "co_quan.csv", rows, delimiter)
    register = load_register([str(path)], targets)
    units = register.sheets["co_quan"].units
    assert len(units) == 3000 and units[-1].values["ten_don_vi"] == "Sở số 2999; phòng 2999, tổ 2999"


def test_a_control_character_in_a_register_is_refused_at_its_row(tmp_path: Path) -> None:
    rows = _co_quan_rows()
    rows[2][0] = "H0\x0701"
    path = _csv(tmp_path / "co_quan.csv", rows)
    for args in (["template", "-r", str(path), "-o", str(tmp_path / "f.xlsx")], ["check", str(path), "-r", str(path)]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "co_quan.csv › co_quan › 3: 'H0\\x0701' ở cột 'Mã đơn vị' có ký tự điều khiển" in result.stderr
    assert not (tmp_path / "f.xlsx").exists()
