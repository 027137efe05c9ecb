"""Atomic report writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbplan.files.output import atomic_write


def test_a_failed_write_leaves_the_previous_report_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "results.xml"
    target.write_text("previous")
    with pytest.raises(KeyboardInterrupt), atomic_write(target) as out:
        out.write("<half")
        raise KeyboardInterrupt
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["results.xml"]


def test_a_finished_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    with atomic_write(target, binary=True) as out:
        out.write(b"PK")
    assert target.read_bytes() == b"PK" and oct(target.stat().st_mode & 0o777) != "0o600"
