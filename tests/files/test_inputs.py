"""Inputs: folders searched recursively, globs, order and de-duplication."""

from __future__ import annotations

from pathlib import Path

import pytest

from qbplan.files.inputs import Problem, collect


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
        Problem("input-empty-folder", str(tmp_path / "empty")),
        Problem("input-no-match", str(tmp_path / "*.xlsx")),
    ]
    # A missing plain path is kept: reading it reports input-missing.
    assert inputs.files == [str(tmp_path / "missing.xlsx")]


def test_every_skip_in_a_folder_is_reported_with_its_reason(tmp_path: Path) -> None:
    import os

    _touch(tmp_path, "ok.xlsx", "~$ok.xlsx", ".old.xlsx", "notes.txt", "elsewhere/real.xlsx")
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "elsewhere" / "real.xlsx")
    (tmp_path / "linked-dir").symlink_to(tmp_path / "elsewhere")
    inputs = collect([tmp_path])
    assert inputs.files == [str(tmp_path / "ok.xlsx"), str(tmp_path / "elsewhere" / "real.xlsx")]
    skipped = {Path(p.path).name: p.reason for p in inputs.problems if p.code == "input-skipped"}
    # notes.txt is not a workbook: not a skip worth a line.
    assert skipped == {
        ".old.xlsx": "hidden",
        "link.xlsx": "symlink",
        "linked-dir": "symlink",
        "pipe.xlsx": "not-regular",
        "~$ok.xlsx": "lock-file",
    }


def test_an_unreadable_subfolder_is_an_error_not_silence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    from qbplan.files import inputs as module

    _touch(tmp_path, "ok.xlsx", "locked/x.xlsx")
    real = os.scandir

    def scandir(path: str) -> object:
        # chmod 000 does not stop root (CI runs as root): refuse as the kernel would.
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path)

    monkeypatch.setattr(module.os, "scandir", scandir)
    found = collect([tmp_path])
    assert found.files == [str(tmp_path / "ok.xlsx")]
    assert [(p.code, Path(p.path).name, p.reason) for p in found.problems] == [
        ("input-unreadable", "locked", "Permission denied")
    ]
