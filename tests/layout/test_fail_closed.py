"""No row leaves without a word: every unit's row is counted or named at its row with a finding.

Each class of rows that collided with the layout heuristics (issue 33) has
an example here, and a Hypothesis property draws whole sheets of units
whose names, answers and STT cells are built from sign-off, section and
total words, dates, Roman numerals and letters, with and without totals
rows and a sign-off block.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbplan.read.workbook import read_workbook
from qbplan.register.load import RegisterError, load_register
from qbplan.run.pipeline import CheckOptions, check
from qbplan.validate.sheet import validate_table
from tests.helpers import sheet_columns, write_grid
from tests.helpers.both_paths import both_paths

# Words that have made rows look like layout: sign-off titles and dates,
# section and total words, Roman numerals and letters.
TRICKY = [
    "Kế toán",
    "Kế toán - Tài chính",
    "Lãnh đạo tỉnh qua các thời kỳ",
    "Chủ tịch Hồ Chí Minh với Quảng Bình",
    "Giám đốc",
    "Người lập biểu",
    "Thủ trưởng đơn vị",
    "Xác nhận",
    "Nơi nhận",
    "Đã nâng cấp ngày 12 tháng 5 năm 2024",
    "UBND xã Nam Trạch (thành lập từ ngày 01 tháng 7 năm 2025)",
    "Đồng Hới, ngày 10 tháng 12 năm 2025",
    "Phần mềm một cửa điện tử",
    "Khu vực miền núi",
    "CẤP XÃ",
    "Huyện Minh Hóa",
    "Trong đó",
    "Tổng cục Thống kê",
    "Tổng cộng",
    "Cộng đồng",
    "Cộng",
    "I",
    "II",
    "A",
    "B.",
]
STT_STYLES = ["none", "digits", "roman", "letters"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _header(sheet: str, stt: bool) -> list[Any]:
    return (["STT"] if stt else []) + [c["label"] for c in sheet_columns(sheet)]


def _counted_and_flagged(path: Path, targets: Any) -> tuple[set[int], set[int]]:
    """(rows counted as valid data, rows with a finding) of the file's one sheet."""
    (table,) = read_workbook(str(path), targets).tables
    validated = validate_table(table)
    counted = {row for row, _ in validated.valid.records()}
    flagged = {f.row for f in validated.errors + validated.warnings if f.row is not None}
    return counted, flagged


# --- each class, at its mechanism ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "rows", "stt", "expected"),
    [
        # 1. a sign-off word or a date in a row with no usable answer
        ("phan_mem", [["PM10", "Kế toán", None]], False, ("required", "C3")),
        ("csdl", [["DB1", "Lãnh đạo tỉnh qua các thời kỳ", "VP", None]], False, ("required", "D3")),
        ("csdl", [["DB1", "Chủ tịch Hồ Chí Minh với Quảng Bình", "VP", None]], False, ("required", "D3")),
        ("csdl", [["DB1", "Sổ cái", "Kế toán - Tài chính", None]], False, ("required", "D3")),
        ("phan_mem", [["PM1", "QLVB", "Đã nâng cấp ngày 12 tháng 5 năm 2024"]], False, ("invalid-yesno", "C3")),
        (
            "ho_gia_dinh",
            [["X1", "UBND xã Nam Trạch (thành lập từ ngày 01 tháng 7 năm 2025)", "Bố Trạch", None, None]],
            False,
            ("required", "D3"),
        ),
        # 4. a key with a space, alone on its row
        ("doanh_nghiep", [["Huyện Minh Hóa", None, None]], False, ("required", "B3")),
        ("phan_mem", [["PM 10", None, None]], False, ("required", "B3")),
        # 5. the first rows under the header as a column-number row
        ("phan_mem", [[1, None, "x"]], False, ("required", "B3")),
        # 7. a blank code, a name that opens with a section word, and an answer
        ("phan_mem", [[None, "Phần mềm một cửa điện tử", "Có"]], False, ("required", "A3")),
    ],
)
def test_a_units_row_that_looks_like_layout_is_said_at_its_cell(  # type: ignore[no-untyped-def]
    tmp_path: Path, targets, sheet: str, rows: list[list[Any]], stt: bool, expected: tuple[str, str]
) -> None:
    """The unit's row stands under a valid one (row 2): it is read as data and its fault named at its cell."""
    first = {
        "phan_mem": ["PM0", "QLVB", "Có"],
        "csdl": ["DB0", "Đất đai", "TN&MT", "Có"],
        "ho_gia_dinh": ["X0", "Xã A", "Bố Trạch", 10, 5],
        "doanh_nghiep": ["Lệ Thủy", 5, 3],
    }[sheet]
    path = write_grid(tmp_path / "a.xlsx", {sheet: [_header(sheet, stt), first, *rows]})
    report = check([path], targets)
    assert expected in {(f.code, f.cell) for f in report.errors}
    assert report.layout_rows == 0 and report.exit_code == 3


def test_a_false_signoff_does_not_swallow_the_rows_after_it(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    """2. A section row holding a date, then communes with blank figures: each is said at its cells."""
    grid = [
        _header("ho_gia_dinh", True),
        ["II", "CẤP XÃ (theo Nghị quyết số 1680 ngày 16 tháng 6 năm 2025)", None, None, None, None],
        [1, "X1", "Xã A", "Bố Trạch", None, None],
        [2, "X2", "Xã B", "Bố Trạch", None, None],
        [3, "X3", "Xã C", "Bố Trạch", 10, 5],
    ]
    report = check([write_grid(tmp_path / "a.xlsx", {"ho_gia_dinh": grid})], targets)
    required = sorted((f.row, f.column) for f in report.errors if f.code == "required")
    assert required == [(3, "so_ho"), (3, "so_ho_biet_cntt"), (4, "so_ho"), (4, "so_ho_biet_cntt")]
    # The title in the key column, numbered "II" with units under it, is read as a heading and said so.
    assert [(w.code, w.cell) for w in report.warnings if w.code.startswith("layout-")] == [
        ("layout-section-keyed", "B2")
    ]


def test_a_signoff_word_before_more_units_is_read_again_as_rows(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    """A keyless "Kế toán" opens a presumed sign-off; the unit with figures after it proves it was not one."""
    grid = [_header("phan_mem", False), ["PM1", "QLVB", "Có"], [None, "Kế toán", None], ["PM3", "Một cửa", "Có"]]
    report = check([write_grid(tmp_path / "a.xlsx", {"phan_mem": grid})], targets)
    assert {(f.code, f.cell) for f in report.errors} == {("required", "A3"), ("required", "C3")}
    assert report.rows_read == 3 and report.layout_rows == 0


def test_units_numbered_as_sections_on_a_yesno_sheet_are_counted(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    """6. "I", "II" in the STT of a unit's own row: data, not a section carrying totals."""
    grid = [_header("csdl", True), ["I", "DB1", "Đất đai", "TN&MT", "Có"], ["II", "DB2", "Dân cư", "CA", "Không"]]
    report = check([write_grid(tmp_path / "a.xlsx", {"csdl": grid})], targets)
    assert report.rows_read == 2 and report.layout_rows == 0 and report.errors == []


def test_a_unit_named_like_a_section_and_numbered_i_stands_alone_as_data(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    """A district numbered "I" whose name is a section word, with no rows under it: a unit, counted."""
    grid = [_header("doanh_nghiep", True), ["I", "Huyện Minh Hóa", 5, 3], ["II", "Huyện Tuyên Hóa", 7, 2]]
    report = check([write_grid(tmp_path / "a.xlsx", {"doanh_nghiep": grid})], targets)
    assert report.rows_read == 2 and report.layout_rows == 0 and report.errors == []


def test_a_total_holding_an_answer_is_a_unit_without_its_code(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    """A total states counts; "Cộng | Có" is a unit whose code is missing."""
    grid = [_header("phan_mem", False), ["PM1", "QLVB", "Có"], [None, "Cộng", "Có"]]
    report = check([write_grid(tmp_path / "a.xlsx", {"phan_mem": grid})], targets)
    assert [(f.code, f.cell) for f in report.errors] == [("required", "A3")]


def test_text_in_a_totals_cell_is_said(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    grid = [_header("doanh_nghiep", False), ["Lệ Thủy", 5, 3], ["Tổng cộng", "năm", 3]]
    report = check([write_grid(tmp_path / "a.xlsx", {"doanh_nghiep": grid})], targets)
    assert [(w.code, w.cell, w.value) for w in report.warnings if w.code.startswith("totals")] == [
        ("totals-not-a-count", "B3", "năm")
    ]


def test_a_key_in_the_signoff_under_no_title_is_said(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    """After the last unit, a real sign-off; a code below it, under no title, is a warning at its cell."""
    grid = [
        _header("phan_mem", False),
        ["PM1", "QLVB", "Có"],
        [None, None, "Đồng Hới, ngày 10 tháng 12 năm 2025"],
        [None, "Người lập biểu", "Giám đốc"],
        ["PM2", "Kế toán", None],
    ]
    report = check([write_grid(tmp_path / "a.xlsx", {"phan_mem": grid})], targets)
    assert [(w.code, w.cell, w.value) for w in report.warnings if w.code.startswith("layout-")] == [
        ("layout-signoff-keyed", "A5", "PM2")
    ]
    assert report.rows_read == 1


def test_column_numbers_must_number_every_column_in_order(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    """A row of small numbers that does not number the columns in order is a unit's row."""
    grid = [_header("doanh_nghiep", False), [1, 15, 1], ["Lệ Thủy", 5, 3]]
    report = check([write_grid(tmp_path / "a.xlsx", {"doanh_nghiep": grid})], targets)
    assert report.rows_read == 2 and report.layout_rows == 0


# --- the property: rows counted plus rows with a finding are the rows written ---------------------


@st.composite
def unit_sheets(draw: Any) -> tuple[str, list[list[Any]], set[int]]:
    """A sheet of units with tricky names and answers: (sheet, grid, Excel rows of the units)."""
    sheet = draw(st.sampled_from(["phan_mem", "csdl", "ho_gia_dinh", "doanh_nghiep"]))
    stt_style = draw(st.sampled_from(STT_STYLES))
    n = draw(st.integers(min_value=1, max_value=8))
    grid: list[list[Any]] = [_header(sheet, stt_style != "none")]
    unit_rows: set[int] = set()
    # The enterprises sheet is keyed by the district's name: a key cell that is itself a total
    # label ("Tổng cộng …") is a total by rule, so no district is named so.
    names = [w for w in TRICKY if w not in ("Tổng cộng", "Cộng")] if sheet == "doanh_nghiep" else TRICKY
    for i in range(n):
        name = draw(st.sampled_from(names))
        answer = draw(st.sampled_from(["ok", "blank", "tricky"]))
        row = _unit_row(sheet, i, name, answer, draw(st.sampled_from(TRICKY)))
        if stt_style != "none":
            stt = {"digits": i + 1, "roman": ROMAN[i], "letters": "ABCDEFGH"[i]}[stt_style]
            row = [stt, *row]
        grid.append(row)
        unit_rows.add(len(grid))
    if draw(st.booleans()):
        total = [None] * len(grid[0])
        total[1 if sheet != "doanh_nghiep" or stt_style != "none" else 0] = "Tổng cộng"
        for j, col in enumerate(sheet_columns(sheet)):
            if col["type"] in ("int", "yesno"):
                total[j + (stt_style != "none")] = draw(st.integers(0, 40))
        grid.append(total)
    if draw(st.booleans()):
        width = len(grid[0])
        grid.append([None] * width)
        grid.append([None] * (width - 1) + ["Đồng Hới, ngày 10 tháng 12 năm 2025"])
        grid.append(["Người lập biểu"] + [None] * (width - 2) + ["Giám đốc"])
        grid.append(["(Ký, ghi rõ họ tên)"] + [None] * (width - 2) + ["(Ký tên, đóng dấu)"])
        grid.append(["Nguyễn Văn An"] + [None] * (width - 2) + ["Trần Thị Bình"])
    return sheet, grid, unit_rows


def _unit_row(sheet: str, i: int, name: str, answer: str, tricky: str) -> list[Any]:
    """One unit's row: its code, a tricky name, and figures that are valid, blank or tricky text."""

    def fig(value: Any) -> Any:
        return {"ok": value, "blank": None, "tricky": tricky}[answer]

    if sheet == "phan_mem":
        return [f"PM{i}", name, fig("Có")]
    if sheet == "csdl":
        return [f"DB{i}", name, tricky, fig("Không")]
    if sheet == "ho_gia_dinh":
        return [f"X{i}", name, "Bố Trạch", fig(10 + i), fig(i)]
    # The enterprises sheet is keyed by the district's name: unique, and never a bare total label.
    return [f"{name} {i}", fig(10 + i), fig(i)]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(drawn=unit_sheets())
def test_every_units_row_is_counted_or_said(tmp_path_factory: pytest.TempPathFactory, targets, drawn) -> None:  # type: ignore[no-untyped-def]
    sheet, grid, unit_rows = drawn
    path = write_grid(tmp_path_factory.mktemp("sheet") / "a.xlsx", {sheet: grid})
    counted, flagged = _counted_and_flagged(path, targets)
    assert counted <= unit_rows, "a layout row was counted as a unit"
    assert unit_rows <= counted | flagged, f"rows left without a word: {sorted(unit_rows - counted - flagged)}"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(st.sampled_from(TRICKY), min_size=1, max_size=8),
    stt_style=st.sampled_from(STT_STYLES),
    signoff=st.booleans(),
)
def test_every_keyed_register_row_is_a_unit(  # type: ignore[no-untyped-def]
    tmp_path_factory: pytest.TempPathFactory, targets, names: list[str], stt_style: str, signoff: bool
) -> None:
    """A register of software systems named with tricky words: every coded row is expected, or refused."""
    stt = stt_style != "none"
    grid: list[list[Any]] = [(["STT"] if stt else []) + ["Mã phần mềm", "Tên phần mềm"]]
    for i, name in enumerate(names):
        lead = [{"digits": i + 1, "roman": ROMAN[i], "letters": "ABCDEFGH"[i]}[stt_style]] if stt else []
        grid.append([*lead, f"PM{i}", name])
    if signoff:
        grid += [[None], ["Người lập biểu", None, "Giám đốc"], ["(Ký, ghi rõ họ tên)"], ["Nguyễn Văn An"]]
    path = write_grid(tmp_path_factory.mktemp("register") / "phan_mem.xlsx", {"phan_mem": grid})
    try:
        register = load_register([str(path)], targets)
    except RegisterError as refused:  # refused at a named cell is fail-closed too
        assert refused.params.get("row") is not None
        return
    units = register.sheets["phan_mem"].units
    assert sorted(u.values["ma_phan_mem"] for u in units) == sorted(f"PM{i}" for i in range(len(names)))


def test_a_register_with_kế_toán_second_expects_all_three(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    """ct05 over a register of three systems, one sent: 1 of 3 expected, never 1 of 1."""
    register = write_grid(
        tmp_path / "dm.xlsx",
        {"phan_mem": [["Mã phần mềm", "Tên phần mềm"], ["PM01", "Một cửa"], ["PM02", "Kế toán"], ["PM03", "QLVB"]]},
    )
    sent = write_grid(tmp_path / "a.xlsx", {"phan_mem": [_header("phan_mem", False), ["PM01", "Một cửa", "Có"]]})
    report = check([sent], targets, CheckOptions(register=(str(register),)))
    (ct05,) = [r for r in report.indicators if r.id == "ct05"]
    assert ct05.coverage is not None and (ct05.coverage.expected, ct05.coverage.reported) == (3, 1)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(drawn=unit_sheets())
def test_the_bulk_screen_reads_tricky_sheets_as_the_row_path_does(  # type: ignore[no-untyped-def]
    tmp_path_factory: pytest.TempPathFactory, targets, drawn
) -> None:
    """The screen vouches for keyed rows and hands the rest to the same classifier: one report either way."""
    sheet, grid, _ = drawn
    path = write_grid(tmp_path_factory.mktemp("sheet") / "a.xlsx", {sheet: grid})
    fast, rows = both_paths([path], targets)
    assert fast == rows


def test_a_register_row_under_its_signoff_is_refused_at_its_cell(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    grid = [
        ["Mã phần mềm", "Tên phần mềm"],
        ["PM01", "Một cửa"],
        [None, "Đồng Hới, ngày 10 tháng 12 năm 2025"],
        ["PM02", "Kế toán"],
    ]
    path = write_grid(tmp_path / "phan_mem.xlsx", {"phan_mem": grid})
    with pytest.raises(RegisterError) as refused:
        load_register([str(path)], targets)
    message = refused.value.message("vi")
    assert "A4" in message and "'PM02'" in message and "phần ký tên cuối danh mục" in message
