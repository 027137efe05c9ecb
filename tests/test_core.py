"""The core ``check``: many files, bad files among good ones, mutated bytes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qbplan.core import check
from qbplan.errors import QbplanError

from .conftest import SAMPLES, agency, write_form


def test_no_inputs_is_a_usage_error(targets) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QbplanError) as info:
        check([], targets)
    assert info.value.code == "usage-no-inputs" and info.value.exit_code == 2


def test_files_are_summarised(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    path = write_form(tmp_path / "a.xlsx", {"co_quan": [agency(), agency(ma_don_vi="T2", so_cbcc="x")]})
    report = check([path], targets)
    (summary,) = report.files
    assert (summary.rows_read, summary.rows_excluded, summary.errors, summary.sheets) == (2, 1, 1, ("co_quan",))
    assert report.exit_code == 3


@pytest.mark.parametrize("seed", range(3))
def test_flipped_bytes_never_escape_as_exceptions(tmp_path: Path, targets, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Each mutated workbook is either checked or refused as a finding."""
    original = (SAMPLES / "survey.xlsx").read_bytes()
    rng = random.Random(seed)
    for i in range(25):
        data = bytearray(original)
        for _ in range(rng.randint(1, 16)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"m{i}.xlsx"
        path.write_bytes(bytes(data))
        report = check([path], targets)  # must not raise
        assert len(report.files) == 1
        if not report.files[0].readable:
            assert report.errors[0].code.startswith("input-") and report.errors[0].file == str(path)


def test_unusable_sheet_is_named_in_the_file_finding(tmp_path: Path, targets) -> None:  # type: ignore[no-untyped-def]
    from .conftest import grid_for, write_grid

    grid = [row[:2] for row in grid_for("doanh_nghiep", [{"huyen": "H", "so_doanh_nghiep": 5}])]
    path = write_grid(tmp_path / "a.xlsx", {"Doanh nghiệp": grid})
    report = check([path], targets)
    (finding,) = report.errors
    assert (finding.code, finding.file, finding.sheet) == ("input-missing-columns", str(path), "Doanh nghiệp")
    assert report.exit_code == 2
