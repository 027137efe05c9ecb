"""A few rows read from the sheet XML are exactly calamine's lines, or the reader says it is not sure."""

from __future__ import annotations

import datetime
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
import xlsxwriter
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qbplan.read.probe import xlsx_sheet_parts
from qbplan.read.xlsx_rows import _plain_format, typed_rows, xlsx_sheet
from tests.helpers import SAMPLES

# Anything an agency types, without what this reader leaves to calamine on purpose.
PLAIN_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"), max_size=12).filter(
    lambda s: "_x" not in s
)
PLAIN = st.one_of(
    st.none(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    PLAIN_TEXT,
    st.sampled_from(["Có", "Không", " x ", "40.5", "a\nb", "", "Tổng cộng", "1e3", "TRUE", "a & <b>"]),
    st.booleans(),
)
ODD = st.one_of(
    st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 1, 1)),
    st.datetimes(datetime.datetime(1990, 1, 1), datetime.datetime(2030, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.sampled_from(["_x000D_", "a\r\nb", "x_x0041_y", "Ngày 12/5\r"]),
)


def _write(path: Path, grid: list[list[Any]], top: int, left: int, writer: str) -> None:
    if writer == "openpyxl":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "S"
        for i, line in enumerate(grid):
            for j, value in enumerate(line):
                if value is not None:
                    cell = ws.cell(top + i + 1, left + j + 1, value)
                    if isinstance(value, datetime.date):
                        cell.number_format = "dd/mm/yyyy"
        wb.save(path)
        return
    book = xlsxwriter.Workbook(str(path), {"constant_memory": writer == "xlsxwriter-inline"})
    sheet = book.add_worksheet("S")
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    bold = book.add_format({"bold": True, "num_format": "#,##0"})
    for i, line in enumerate(grid):
        for j, value in enumerate(line):
            if isinstance(value, datetime.date):
                sheet.write_datetime(top + i, left + j, value, date)
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and j % 2:
                sheet.write_number(top + i, left + j, value, bold)  # a style that is no date
            elif isinstance(value, str):
                sheet.write_string(top + i, left + j, value)
            elif value is not None:
                sheet.write(top + i, left + j, value)
    book.close()


def _calamine(path: Path) -> tuple[dict[int, list[Any]], range]:
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S")
    col0 = (sheet.start or (0, 0))[1]
    lines = {k: [None] * col0 + list(row) for k, row in enumerate(sheet.iter_rows())}
    return lines, range(col0, col0 + sheet.width)


def _ours(path: Path, rows: list[int], columns: range) -> dict[int, list[Any]] | None:
    with zipfile.ZipFile(path) as zf:
        return typed_rows(xlsx_sheet(zf, xlsx_sheet_parts(zf)["S"]), rows, columns)


def _compare(grid: list[list[Any]], top: int, left: int, writer: str) -> dict[int, list[Any]] | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.xlsx"
        _write(path, grid, top, left, writer)
        expected, columns = _calamine(path)
        # The screen asks for rows that hold something, in any order, some twice.
        rows = [r for r, line in expected.items() if any(v not in ("", None) for v in line)][::-1] * 2
        ours = _ours(path, rows, columns)
    if ours is not None:
        assert ours == {r: expected[r] for r in rows}
        # Same values of the same types: 1 == 1.0 == True would hide a type calamine keeps.
        assert {r: [type(v) for v in line] for r, line in ours.items()} == {
            r: [type(v) for v in expected[r]] for r in ours
        }
    return ours


GRIDS = st.lists(st.lists(PLAIN, max_size=6), min_size=1, max_size=6)
WRITERS = st.sampled_from(["openpyxl", "xlsxwriter", "xlsxwriter-inline"])


@settings(max_examples=60, deadline=None)
@given(grid=GRIDS, top=st.integers(0, 3), left=st.integers(0, 3), writer=WRITERS)
# openpyxl writes " " as <t> </t>, no xml:space="preserve": calamine, like Excel, reads "".
@example(grid=[[0, " "]], top=0, left=0, writer="openpyxl")
@example(grid=[[" a ", "\tb"]], top=1, left=1, writer="openpyxl")
def test_plain_cells_are_read_as_calamine_reads_them(grid: list[list[Any]], top: int, left: int, writer: str) -> None:
    assert _compare(grid, top, left, writer) is not None


@settings(max_examples=40, deadline=None)
@given(
    grid=st.lists(st.lists(st.one_of(PLAIN, ODD), max_size=5), min_size=1, max_size=5),
    writer=WRITERS,
)
def test_odd_cells_are_read_by_calamine_alone_as_it_reads_the_sheet(grid: list[list[Any]], writer: str) -> None:
    assert _compare(grid, 1, 1, writer) is not None


@pytest.mark.parametrize(
    "value",
    [datetime.date(2025, 1, 2), datetime.datetime(2025, 1, 2, 7, 30), "_x000D_", "a\r\nb", "x_x0041_y"],
    ids=["date", "date-time", "escape", "carriage-return", "escaped-letter"],
)
@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter", "xlsxwriter-inline"])
def test_what_calamine_converts_is_read_by_it_without_reading_the_sheet(value: Any, writer: str) -> None:
    # Shared and inline strings, date formats: calamine reads those cells alone, exactly (_compare checks).
    assert _compare([["x", value], [1, "Có"]], 0, 0, writer) is not None


def test_a_date_in_a_1904_workbook_is_read_in_its_date_system(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    book = xlsxwriter.Workbook(str(path), {"date_1904": True})
    sheet = book.add_worksheet("S")
    sheet.write_datetime(0, 0, datetime.date(2025, 7, 1), book.add_format({"num_format": "dd/mm/yyyy"}))
    book.close()
    expected, columns = _calamine(path)
    assert _ours(path, [0], columns) == {0: [datetime.date(2025, 7, 1)]} == expected


def test_rich_text_errors_and_formulas(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    bold = book.add_format({"bold": True})
    sheet.write_rich_string(0, 0, "Sở ", bold, "Nội vụ", " tỉnh")
    sheet.write_formula(0, 1, "=1/0", None, "#DIV/0!")
    sheet.write_formula(0, 2, "=1+1", None, 2)
    sheet.write_formula(0, 3, '="a"&"b"', None, "ab")
    sheet.write_formula(0, 4, "=1+2")  # no saved value
    sheet.write_boolean(0, 5, False)
    book.close()
    expected, columns = _calamine(path)
    assert _ours(path, [0], columns) == {0: expected[0]} == {0: ["Sở Nội vụ tỉnh", "", 2.0, "ab", 0.0, False]}


def test_a_row_that_is_not_in_the_xml_is_left_to_calamine(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    _write(path, [["a"], [None], ["b"]], 0, 0, "xlsxwriter")
    assert _ours(path, [1], range(0, 1)) is None


def test_the_sample_rows_are_calamines() -> None:
    path = SAMPLES / "survey.xlsx"
    with zipfile.ZipFile(path) as zf:
        parts = xlsx_sheet_parts(zf)
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name, member in parts.items():
            sheet = book.get_sheet_by_name(name)
            col0 = (sheet.start or (0, 0))[1]
            expected = {k: [None] * col0 + list(row) for k, row in enumerate(sheet.iter_rows())}
            rows = [k for k, line in expected.items() if any(v != "" for v in line[col0:])]
            ours = typed_rows(xlsx_sheet(zf, member), rows, range(col0, col0 + sheet.width))
            assert ours == {r: expected[r] for r in rows}, name


@pytest.mark.parametrize(
    "fmt",
    ["#,##0", "[Red]#,##0;[Blue]-#,##0", '#,##0 "đồng"', "0.00E+00", "[$-42A]#,##0", "0_);(0)", "@"],
)
def test_a_number_in_a_custom_format_that_is_no_date_is_read_as_calamine_reads_it(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "f.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("S")
    sheet.write_row(0, 0, ["x", 1234.5, -7], book.add_format({"num_format": fmt}))
    book.close()
    expected, columns = _calamine(path)
    assert _ours(path, [0], columns) == {0: expected[0]} == {0: ["x", 1234.5, -7.0]}


@pytest.mark.parametrize("fmt", ["dd/mm/yyyy", "[h]:mm", "mm:ss", "h AM/PM", "[$-F800]dddd"])
def test_a_number_in_a_date_or_time_format_is_converted_by_calamine(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "f.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("S").write_row(0, 0, ["x", 45659.25], book.add_format({"num_format": fmt}))
    book.close()
    expected, columns = _calamine(path)
    ours = _ours(path, [0], columns)
    assert ours == {0: expected[0]} and not isinstance(expected[0][1], float)


@pytest.mark.parametrize("code", ["General", "GENERAL", "general"])
def test_libreoffices_general_custom_format_is_plain(code: str) -> None:
    # LibreOffice saves the default style as <numFmt numFmtId="164" formatCode="General"/>.
    assert _plain_format(164, {164: code}) and not _plain_format(165, {165: "d/m"})
