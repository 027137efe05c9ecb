"""Inputs: folders searched recursively, globs, order and de-duplication."""

from __future__ import annotations

from pathlib import Path

from qbplan.files.inputs import collect


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_folders_are_searched_recursively_in_sorted_order(tmp_path: Path) -> None:
    _touch(tmp_path, "b/x.xlsx", "a/z.ODS", "a/y.xls", "c.xlsm", "notes.txt", "~$c.xlsx", ".hidden/h.xlsx", ".d.xlsx")
    found = collect([tmp_path]).files
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found] == ["c.xlsm", "a/y.xls", "a/z.ODS", "b/x.xlsx"]


def test_globs_files_and_duplicates(tmp_path: Path) -> None:
    _touch(tmp_path, "h1.xlsx", "h2.xlsx", "readme.md")
    named = str(tmp_path / "h2.xlsx")
    inputs = collect([named, str(tmp_path / "*"), str(tmp_path)])
    assert inputs.files == [named, str(tmp_path / "h1.xlsx")]
    assert inputs.problems == []


def test_empty_folders_and_unmatched_globs_are_problems(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    inputs = collect([tmp_path / "empty", str(tmp_path / "*.xlsx"), tmp_path / "missing.xlsx"])
    assert inputs.problems == [
        ("input-empty-folder", str(tmp_path / "empty")),
        ("input-no-match", str(tmp_path / "*.xlsx")),
    ]
    # A missing plain path is kept: reading it reports input-missing.
    assert inputs.files == [str(tmp_path / "missing.xlsx")]
