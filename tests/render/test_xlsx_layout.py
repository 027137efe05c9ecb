"""The xlsx report opened where planners open it: nothing cut, numbers apart, rows as tall as their text."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from tests.helpers import SAMPLES, printed


def _report(tmp_path: Path) -> Path:
    out = tmp_path / "bao-cao.xlsx"
    args = ["check", str(SAMPLES / "survey.xlsx"), "-r", str(SAMPLES / "danh-muc.xlsx"), "-o", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 1  # the sample misses targets
    return out


def test_the_rate_and_the_target_are_right_aligned_with_a_space_from_the_border(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_report(tmp_path)).worksheets[0]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "ct04a")
    for col in (3, 4, 5, 6):  # rate, target, fraction, rows left out
        alignment = ws.cell(row, col).alignment
        assert (alignment.horizontal, alignment.indent) == ("right", 1), col


def test_a_long_cell_wraps_and_its_row_is_given_its_lines(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_report(tmp_path))
    files = wb.worksheets[2]
    sheets = files.cell(2, 2)
    # "Cơ quan, đơn vị, CSDL chuyên ngành, …, Hộ gia đình": longer than its 50-character column.
    assert len(sheets.value) > 50 and sheets.alignment.wrap_text
    assert files.row_dimensions[2].height >= 2 * 15
    header = wb.worksheets[0]
    wrapped = [
        c for c in header[5] if c.value and len(str(c.value)) > (header.column_dimensions[c.column_letter].width or 10)
    ]
    assert wrapped and header.row_dimensions[5].height >= 2 * 15  # "Khoảng tỷ lệ khi còn thiếu đơn vị"


@pytest.mark.slow
def test_libreoffice_prints_every_sheet_name_and_heading_whole(tmp_path: Path) -> None:
    words_printed = printed(_report(tmp_path), tmp_path, layout=False)
    words = " ".join(words_printed.split())
    assert "Doanh nghiệp, Hộ gia đình" in words  # the files sheet's last sheet name, not cut
    assert "Khoảng tỷ lệ khi còn thiếu đơn vị" in words  # the results' last heading, whole
