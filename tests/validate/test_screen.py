"""The columnar path gives exactly what the row path gives, on the same inputs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbplan.read import large as fastpath
from qbplan.read.workbook import read_workbook
from qbplan.run.pipeline import bulk_screen, check
from tests.corpus.build import OUT as CORPUS
from tests.helpers import SAMPLES, agency, grid_for, write_form, write_grid
from tests.helpers.both_paths import both_paths
from tests.helpers.layouts import Layout, write_admin
from tests.helpers.strategies import agencies, typed_like_people


@pytest.mark.parametrize("name", ["survey.xlsx", "survey-compliant.xlsx", "survey-invalid.xlsx"])
def test_samples_are_identical_on_both_paths(name: str, targets) -> None:  # type: ignore[no-untyped-def]
    fast, rows = both_paths([SAMPLES / name], targets, by="huyen")
    assert fast == rows


def test_the_corpus_is_identical_on_both_paths(targets) -> None:  # type: ignore[no-untyped-def]
    fast, rows = both_paths([CORPUS], targets)
    assert fast == rows


def test_layouts_and_duplicates_across_files_are_identical(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    rows = [agency(ma_don_vi="A"), agency(ma_don_vi="B", cap="xa", loai="ubnd_xa", huyen="H")]
    write_admin(tmp_path / "admin.xlsx", {"co_quan": rows})
    write_form(tmp_path / "clean.xlsx", {"co_quan": rows})  # the same codes again: duplicates
    write_form(tmp_path / "other.xlsx", {"co_quan": [agency(ma_don_vi="c")]})
    fast, slow = both_paths([tmp_path], targets)
    assert fast == slow
    # clean.xlsx repeats every row of admin.xlsx: one finding naming both files.
    assert {e["code"] for e in fast["errors"]} == {"file-repeats-file"}


def test_a_bad_cell_costs_its_row_not_its_sheet(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency(ma_don_vi=f"U{i}") for i in range(30)]})
    saved = fastpath.FAST_MIN_BYTES
    fastpath.FAST_MIN_BYTES = 0
    try:
        (table,) = read_workbook(str(path), targets, screen=bulk_screen).tables
        assert table.screened is not None and table.rows == [] and table.data_rows == 30
        assert list(table.screened.excel_rows) == list(range(2, 32))
        rows = [agency(ma_don_vi=f"U{i}") for i in range(30)]
        rows[17] = agency(ma_don_vi="U17", so_cbcc="nhiều")
        bad = write_form(tmp_path / "b.xlsx", {"co_quan": rows})
        (table,) = read_workbook(str(bad), targets, screen=bulk_screen).tables
        # A bad cell costs its row, not its sheet: only row 19 goes to the row model.
        assert table.screened is not None and len(table.screened) == 29 and [row for row, _ in table.rows] == [19]
        report = check([bad], targets)
        assert [(f.code, f.cell) for f in report.errors] == [("not-a-number", "G19")]
        assert report.rows_read == 30 and report.rows_excluded == 1
    finally:
        fastpath.FAST_MIN_BYTES = saved


ODD_TEXT = st.sampled_from(
    ["Sở  Nội vụ", " Sở Y tế", "Sở\u00a0Tài chính", "Sở Tư pháp\t", "2025-01-02", "12.5", "Sở Xây dựng"]
)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=agencies(max_rows=15),
    layout=st.none() | st.builds(Layout, grand_total=st.sampled_from(["none", "bottom"])),
    names=st.lists(ODD_TEXT, max_size=3),
    data=st.data(),
)
def test_generated_workbooks_are_identical_on_both_paths(
    rows: list[dict[str, Any]], layout: Layout | None, names: list[str], data: Any
) -> None:
    from qbplan.config.targets import load_targets
    from tests.helpers import TARGETS_YAML

    typed = typed_like_people(rows, data.draw)
    for row, name in zip(typed, names, strict=False):
        row["ten_don_vi"] = name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.xlsx"
        if layout is None:
            write_form(path, {"co_quan": typed})
        else:
            write_admin(path, {"co_quan": typed}, layout)
        fast, slow = both_paths([path], load_targets(TARGETS_YAML), by="huyen")
    assert fast == slow


def test_the_screen_never_vouches_for_an_inconsistent_row(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    rows = [agency(ma_don_vi=f"U{i}") for i in range(20)]
    rows[7] = agency(ma_don_vi="U7", cap="tinh", loai="ubnd_xa", huyen="H")
    fast, slow = both_paths([write_form(tmp_path / "a.xlsx", {"co_quan": rows})], targets)
    assert fast == slow
    assert [(e["code"], e["cell"]) for e in fast["errors"]] == [("inconsistent", "C9")]


def test_a_sheet_that_starts_below_and_right_of_a1_is_identical(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    # Agencies leave the top rows and the first column blank. The doubtful
    # rows must be read again at their own place: calamine's iter_rows()
    # counts rows from the top of the sheet but columns from the range.
    rows = [agency(ma_don_vi=f"U{i}") for i in range(20)]
    rows[7] = agency(ma_don_vi="U7", so_cbcc="nhiều")
    grid = [[], []] + [[None, *line] for line in grid_for("co_quan", rows)]
    path = write_grid(tmp_path / "a.xlsx", {"Cơ quan, đơn vị": grid})
    fast, slow = both_paths([path], targets)
    assert fast == slow
    # Header on row 3, data from row 4: the eighth agency is on row 11, so_cbcc in column H.
    assert [(e["code"], e["cell"]) for e in fast["errors"]] == [("not-a-number", "H11")]
