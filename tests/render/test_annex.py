"""The annex a province files, as Decree 30/2020/NĐ-CP lays it out: its layout, words, fonts and margins."""

from __future__ import annotations

import io

import openpyxl
import pytest
from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.render.annex import HEADER_ROW, columns
from tests.helpers import SAMPLES, printed


def _annex_path(tmp_path, *extra: str):  # type: ignore[no-untyped-def]
    out = tmp_path / "phu-luc.xlsx"
    args = ["check", str(SAMPLES / "survey.xlsx"), "-f", "annex", "-o", str(out), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output  # the sample misses targets
    return out


def _annex(tmp_path, *extra: str):  # type: ignore[no-untyped-def]
    return openpyxl.load_workbook(_annex_path(tmp_path, *extra)).worksheets[0]


def test_the_annex_has_the_decree_30_heading_and_the_full_reference_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = _annex(
        tmp_path,
        *("--unit", "Sở Khoa học và Công nghệ", "--report-number", "123/BC-SKHCN", "--report-date", "15/12/2025"),
        *("--signer", "Nguyễn Văn A", "--period", "2024-H1"),
    )
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    # The parent authority from the plan, the unit from the option, both in capitals.
    assert ws["A1"].value == "UBND TỈNH QUẢNG BÌNH" and ws["A2"].value == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "Độc lập - Tự do - Hạnh phúc" in texts
    assert ws["A4"].value == "Phụ lục"
    title = ws["A5"].value
    assert title == title.upper() and "6 THÁNG ĐẦU NĂM 2024" in title and "ĐẾN NĂM 2025" not in title.split("CỦA")[0]
    assert ws["A6"].value == (
        "(Kèm theo Báo cáo số 123/BC-SKHCN ngày 15 tháng 12 năm 2025 của Sở Khoa học và Công nghệ)"
    )
    lines = [line for t in texts for line in t.split("\n")]
    assert "NGƯỜI LẬP BIỂU" in lines and "THỦ TRƯỞNG ĐƠN VỊ" in lines and "Nguyễn Văn A" in lines


def test_the_sign_off_is_one_row_that_no_page_break_can_split(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = openpyxl.load_workbook(_annex_path(tmp_path, "--signer", "Nguyễn Văn A"), rich_text=True).worksheets[0]
    signing = next(c for row in ws.iter_rows() for c in row if "THỦ TRƯỞNG ĐƠN VỊ" in str(c.value or ""))
    text = str(signing.value)
    assert text.index("THỦ TRƯỞNG ĐƠN VỊ") < text.index("(Ký tên, đóng dấu)") < text.index("Nguyễn Văn A")
    preparing = next(c for c in ws[signing.row] if "NGƯỜI LẬP BIỂU" in str(c.value or ""))
    assert preparing.row == signing.row
    # The head's title bold, the note under it italic: a rich text, in Times New Roman.
    fonts = {block.text.strip(): block.font for block in signing.value if hasattr(block, "font")}
    assert fonts["THỦ TRƯỞNG ĐƠN VỊ"].b and fonts["(Ký tên, đóng dấu)"].i
    assert {f.rFont for f in fonts.values()} == {"Times New Roman"}


def test_every_cell_is_times_new_roman_in_black_at_the_decrees_sizes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = _annex(tmp_path)
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert {c.font.name for c in cells} == {"Times New Roman"}
    assert {c.font.color.rgb for c in cells} == {"00000000"}
    slogan = next(c for c in cells if c.value == "Độc lập - Tự do - Hạnh phúc")
    assert slogan.font.b and slogan.font.u == "single" and slogan.font.sz == 14
    assert ws["A4"].font.b and ws["A4"].font.sz == 14 and ws["A6"].font.i
    # Decree 30: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm (Excel keeps inches).
    mm = {side: getattr(ws.page_margins, side) * 25.4 for side in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25 and 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert all(c.data_type != "f" for c in cells)


def test_the_table_has_the_columns_and_the_rows_under_roman_sections(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = _annex(tmp_path)
    assert [c.value for c in ws[HEADER_ROW]] == columns(compared=False)
    assert columns(compared=False) == [
        "STT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Thực hiện kỳ này",
        "Tỷ lệ so với mục tiêu", "Đánh giá", "Ghi chú",
    ]  # fmt: skip
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 18)]
    sections = [(r[0], r[1]) for r in body if isinstance(r[0], str)]
    assert sections == [
        ("I", "Hạ tầng kỹ thuật CNTT"),
        ("II", "Ứng dụng CNTT trong cơ quan nhà nước"),
        ("III", "Ứng dụng CNTT phục vụ người dân và doanh nghiệp"),
        ("IV", "Nguồn nhân lực CNTT"),
    ]
    rows = {r[1]: r for r in body if isinstance(r[0], int)}
    assert [r[0] for r in rows.values()] == list(range(1, 15))  # numbered on across the sections
    ct02b = next(v for k, v in rows.items() if k.startswith("Viên chức"))
    assert ct02b[2:7] == ["%", "70 %", "1.147/1.401 (81,8 %)", "116,9 %", "Vượt"]  # 81.8 % against 70 %
    ct11 = next(v for k, v in rows.items() if k.startswith("Hộ gia đình"))
    assert ct11[3:7] == ["70 %", "243.936/348.480 (70,0 %)", "100,0 %", "Đạt"]  # exactly at its target
    ct07b = next(v for k, v in rows.items() if k.startswith("UBND cấp xã"))
    assert ct07b[4] == "108/154 (70,1 %)" and ct07b[6] == "Chưa đạt"


def test_the_sign_off_can_be_left_out(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = _annex(tmp_path, "--no-sign-off")
    texts = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert "NGƯỜI LẬP BIỂU" not in texts and "THỦ TRƯỞNG ĐƠN VỊ" not in texts


def test_the_annex_goes_to_a_pipe_as_a_workbook() -> None:
    # Not a terminal (tests/test_emit.py holds the refusal there): the workbook's bytes, whole.
    result = CliRunner().invoke(app, ["check", str(SAMPLES / "survey.xlsx"), "-f", "annex"])
    assert result.exit_code == 1
    assert openpyxl.load_workbook(io.BytesIO(result.stdout_bytes)).sheetnames[0].startswith("Phụ lục")


@pytest.mark.slow
def test_libreoffice_prints_the_sign_off_whole_beside_the_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The case that left a last page holding only the repeated heading and the signer's name."""
    out = tmp_path / "phu-luc.xlsx"
    args = ["check", str(SAMPLES / "thieu-don-vi"), "-r", str(SAMPLES / "danh-muc.xlsx"), "--compare", "2024",
            "--db", str(SAMPLES / "history.db"), "--signer", "Nguyễn Văn A", "-f", "annex", "-o", str(out)]  # fmt: skip
    assert CliRunner().invoke(app, args).exit_code == 1
    pages = [p for p in printed(out, tmp_path).split("\f") if p.strip()]
    signer = next(p for p in pages if "Nguyễn Văn A" in p)
    # The head's title, the note and the name on one page, with the table's last row above them.
    assert "THỦ TRƯỞNG ĐƠN VỊ" in signer and "(Ký tên, đóng dấu)" in signer and "NGƯỜI LẬP BIỂU" in signer
    assert "Cán bộ lãnh đạo" in signer
