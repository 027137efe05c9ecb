"""The annex a province files: its layout, its words, one page."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.render.annex import COLUMNS, HEADER_ROW
from tests.conftest import SAMPLES


def test_the_annex_has_the_official_layout_and_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "phu-luc.xlsx"
    args = ["check", str(SAMPLES / "survey.xlsx"), "-f", "annex", "-o", str(out)]
    args += ["--unit", "Sở Khoa học và Công nghệ", "--report-number", "123/BC-SKHCN", "--signer", "Nguyễn Văn A"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output  # the sample misses targets
    ws = openpyxl.load_workbook(out).worksheets[0]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in texts and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    assert any(t.startswith("Phụ lục: Kết quả thực hiện các chỉ tiêu đến năm 2025") for t in texts)
    assert any("Kèm theo Báo cáo số 123/BC-SKHCN" in t for t in texts)
    assert "NGƯỜI LẬP BIỂU" in texts and "THỦ TRƯỞNG ĐƠN VỊ" in texts and "Nguyễn Văn A" in texts
    assert [c.value for c in ws[HEADER_ROW]][:7] == list(COLUMNS)
    rows = {r[1].value: [c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 14)}
    assert len(rows) == 14
    ct02b = next(v for k, v in rows.items() if k.startswith("Viên chức"))
    assert ct02b[3:] == ["70 %", "81,8 %", "116,9 %", "Vượt"]  # 81.8 % against 70 %: exceeded
    ct11 = next(v for k, v in rows.items() if k.startswith("Hộ gia đình"))
    assert ct11[3:] == ["70 %", "70,0 %", "100,0 %", "Đạt"]  # exactly at its target
    assert {v[6] for v in rows.values()} <= {"Đạt", "Vượt", "Chưa đạt", "Không có số liệu"}
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToHeight == 1
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_the_annex_needs_an_output_file() -> None:
    result = CliRunner().invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "annex"])
    assert result.exit_code == 2
