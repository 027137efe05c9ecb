"""Merging files builds new values: no stage's results are edited by the next."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from qbplan.read import large as fastpath
from qbplan.run.pipeline import check_file
from qbplan.validate.merge import merge_files
from tests.helpers import agency, write_form


@pytest.mark.parametrize("bulk", [False, True], ids=["row-path", "bulk-screen"])
def test_merge_leaves_each_files_rows_as_they_were(tmp_path: Path, targets, bulk: bool) -> None:  # type: ignore[no-untyped-def]
    first = write_form(tmp_path / "a.xlsx", {"co_quan": [agency(ma_don_vi=f"U{i}") for i in range(6)]})
    # The second file repeats U2 and U4: the merge takes them out, and says so.
    second = write_form(tmp_path / "b.xlsx", {"co_quan": [agency(ma_don_vi=f"U{i}") for i in (2, 4, 7)]})
    saved = fastpath.FAST_MIN_BYTES
    fastpath.FAST_MIN_BYTES = 0 if bulk else 1 << 62
    try:
        results = [check_file(str(p), targets) for p in (first, second)]
    finally:
        fastpath.FAST_MIN_BYTES = saved
    before = [
        [(list(s.data.excel_rows), {k: list(v) for k, v in s.data.columns.items()}) for s in r.sheets] for r in results
    ]

    merged = merge_files(results, targets)["co_quan"]

    after = [
        [(list(s.data.excel_rows), {k: list(v) for k, v in s.data.columns.items()}) for s in r.sheets] for r in results
    ]
    assert after == before
    assert merged.frame["ma_don_vi"].tolist() == ["U0", "U1", "U2", "U3", "U4", "U5", "U7"]
    assert [f.code for f in merged.findings] == ["duplicate-across-files"] * 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        merged.frame = merged.frame.head(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        results[0].sheets[0].data.columns = {}  # type: ignore[misc]
