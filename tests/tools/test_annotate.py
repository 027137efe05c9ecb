"""annotate: the submission's bad cells marked in a copy, the original untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.errors import InputError
from qbplan.model.wording import describe
from qbplan.run.pipeline import check
from qbplan.tools.annotate import ERROR_FILL, annotate
from tests.helpers import SAMPLES, agency, write_form


def test_every_cell_finding_is_marked_and_nothing_else(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "nop.xlsx"
    shutil.copy(SAMPLES / "survey-invalid.xlsx", source)
    before = source.read_bytes()
    report = check([source], targets)
    out = tmp_path / "marked.xlsx"
    marked = annotate(str(source), report.errors + report.warnings, str(out))
    expected = {(f.sheet, f.cell) for f in report.errors if f.cell}
    assert marked == len(expected) == 8
    assert source.read_bytes() == before
    wb = openpyxl.load_workbook(out)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    found[(ws.title, cell.coordinate)] = (cell.comment.text, cell.fill.fgColor.rgb)
    assert set(found) == expected
    for f in report.errors:
        text, color = found[(f.sheet, f.cell)]
        assert f.code in text and describe(f) in text and color.endswith(ERROR_FILL)


def test_formulas_survive_and_warnings_are_yellow(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency(ma_don_vi="A", so_cbcc="nhiều"), agency(ma_don_vi="B")]})
    wb = openpyxl.load_workbook(path)
    wb["co_quan"]["R1"] = "Ghi chú"
    wb["co_quan"]["R3"] = "=1+1"
    wb.save(path)
    report = check([path], targets)
    out = tmp_path / "b.xlsx"
    annotate(str(path), report.errors, str(out))
    ws = openpyxl.load_workbook(out)["co_quan"]
    assert ws["R3"].value == "=1+1" and ws["R3"].data_type == "f"
    assert ws["G2"].comment is not None and "not-a-number" in ws["G2"].comment.text


def test_only_xlsx_can_be_annotated(tmp_path: Path) -> None:
    import xlwt

    path = tmp_path / "a.xls"
    wb = xlwt.Workbook()
    wb.add_sheet("phan_mem").write(0, 0, "x")
    wb.save(str(path))
    with pytest.raises(InputError) as info:
        annotate(str(path), [], str(tmp_path / "out.xlsx"))
    assert info.value.code == "annotate-not-xlsx"


def test_cli_default_name_force_and_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, here = tmp_path / "nop", tmp_path / "work"
    inbox.mkdir()
    here.mkdir()
    monkeypatch.chdir(here)
    source = inbox / "nop.xlsx"
    shutil.copy(SAMPLES / "survey-invalid.xlsx", source)
    runner = CliRunner()
    result = runner.invoke(app, ["annotate", str(source), "--lang", "en"])
    assert result.exit_code == 3 and "marked 8 cells" in result.output
    # In the current folder, never in the inbox, where the next check would count it.
    assert (here / "nop-danh-dau.xlsx").exists() and [p.name for p in inbox.iterdir()] == ["nop.xlsx"]
    again = runner.invoke(app, ["annotate", str(source), "--lang", "en"])
    assert again.exit_code == 2 and "--force" in again.output


def test_a_clean_file_exits_0_whatever_the_targets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLES / "survey.xlsx", tmp_path / "sach.xlsx")
    check = CliRunner().invoke(app, ["check", "sach.xlsx", "-q"])
    assert check.exit_code == 1  # a target missed: the province's verdict, not the file's
    result = CliRunner().invoke(app, ["annotate", "sach.xlsx", "--lang", "en"])
    assert result.exit_code == 0 and "marked 0 cells" in result.output


def _with_picture_and_comment(tmp_path: Path) -> Path:
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image
    from PIL import Image as Picture

    path = write_form(tmp_path / "nop.xlsx", {"co_quan": [agency(ma_don_vi="T1", so_cbcc="nhiều")]})
    wb = openpyxl.load_workbook(path)
    ws = wb["co_quan"]
    Picture.new("RGB", (40, 20), "red").save(tmp_path / "logo.png")
    ws.add_image(Image(str(tmp_path / "logo.png")), "T1")
    ws["G2"].comment = Comment("Số liệu tạm tính, sẽ cập nhật", "Phòng TCHC")
    wb.save(path)
    return path


def test_pictures_and_the_agencys_own_comments_are_kept(tmp_path: Path) -> None:
    import zipfile

    source = _with_picture_and_comment(tmp_path)
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(app, ["annotate", str(source), "-o", str(out)])
    assert result.exit_code == 3, result.output
    assert any(n.startswith("xl/media/") for n in zipfile.ZipFile(out).namelist())  # the picture is still there
    comment = openpyxl.load_workbook(out)["co_quan"]["G2"].comment.text
    assert comment.startswith("Phòng TCHC: Số liệu tạm tính, sẽ cập nhật") and "[not-a-number]" in comment


def test_the_copys_name_must_say_what_its_content_is(tmp_path: Path) -> None:
    source = tmp_path / "nop.xlsx"
    shutil.copy(SAMPLES / "survey-invalid.xlsx", source)
    runner = CliRunner()
    # No macros to keep: an .xlsm name would lie about the content.
    macro_name = runner.invoke(app, ["annotate", str(source), "-o", str(tmp_path / "x.xlsm")])
    assert macro_name.exit_code == 2 and ".xlsm" in macro_name.output and not (tmp_path / "x.xlsm").exists()
    other = runner.invoke(app, ["annotate", str(source), "-o", str(tmp_path / "x.ods")])
    assert other.exit_code == 2 and not (tmp_path / "x.ods").exists()


def test_annotate_is_bounded_like_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from qbplan.cli import annotate as cli

    source = tmp_path / "nop.xlsx"
    shutil.copy(SAMPLES / "survey-invalid.xlsx", source)

    def hangs(*_args: object) -> tuple[int, bytes]:
        time.sleep(60)
        return 0, b""

    monkeypatch.setattr(cli, "_annotated", hangs)  # a workbook openpyxl takes forever on
    start = time.monotonic()
    out = tmp_path / "nop-danh-dau.xlsx"
    result = CliRunner().invoke(app, ["annotate", str(source), "-o", str(out), "--timeout", "2", "--lang", "en"])
    assert result.exit_code == 2 and "longer than 2 seconds" in result.output
    assert time.monotonic() - start < 30 and not out.exists()


def test_control_characters_in_cells_make_a_copy_excel_opens(tmp_path: Path) -> None:
    import zipfile

    # Excel stores U+0001 as _x0001_; the comment quoting the value must stay valid XML.
    plain = write_form(tmp_path / "plain.xlsx", {"co_quan": [agency(ma_don_vi="T1", so_cbcc="PLACEHOLDER")]})
    path = tmp_path / "nop.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename).replace(b"PLACEHOLDER", b"a_x0001_b"))
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(app, ["annotate", str(path), "-o", str(out)])
    assert result.exit_code == 3, result.output
    comment = openpyxl.load_workbook(out)["co_quan"]["G2"].comment.text
    assert "a\\x01b" in comment
