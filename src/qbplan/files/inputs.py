"""Inputs: files, directories and globs to the sorted list of files to check.

The rule for what a folder holds, said once: a folder is searched recursively
for regular files ending in .xlsx, .xlsm, .xlsb, .xls or .ods. Inside a folder,
symbolic links (to files or folders) are not followed, and Excel lock files
(``~$…``), hidden entries (``.…``) and anything that is not a regular file
(a FIFO, a device) are not read; each such workbook-looking entry is reported
as skipped, with the reason, and an unreadable subfolder is an error. A file
named on the command line is read whatever it is called or links to.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

# What a directory search picks up; files named on the command line are
# checked whatever their extension (the format is sniffed from the content).
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that gives no file to check: its finding code, the path and why."""

    code: str
    path: str
    reason: str | None = None


@dataclass
class Inputs:
    """Files to check, in a deterministic order, and what was skipped or refused on the way."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _skip_reason(entry: os.DirEntry[str]) -> str | None:
    """Why a folder entry is not read, or None when it is a workbook to check."""
    if entry.is_symlink():
        return "symlink"
    if entry.name.startswith("~$"):
        return "lock-file"
    if entry.name.startswith("."):
        return "hidden"
    if not entry.is_dir(follow_symlinks=False) and not stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
        return "not-regular"
    return None


class _Walk:
    """One folder, searched in sorted order, noting every skip."""

    def __init__(self, problems: list[Problem], extensions: tuple[str, ...]) -> None:
        self.problems, self.extensions = problems, extensions

    def wanted(self, name: str) -> bool:
        """Whether a file of this name is one the walk looks for."""
        return name.lower().endswith(self.extensions)

    def files(self, directory: str) -> Iterator[str]:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.problems.append(Problem("input-unreadable", directory, exc.strerror or type(exc).__name__))
            return
        # A folder's own files first, then its subfolders, each in name order.
        entries.sort(key=lambda e: e.is_dir(follow_symlinks=False) and not e.is_symlink())
        for entry in entries:
            yield from self._entry(entry)

    def _entry(self, entry: os.DirEntry[str]) -> Iterator[str]:
        reason = _skip_reason(entry)
        if reason is not None:
            if entry.is_dir(follow_symlinks=False) or self.wanted(entry.name) or reason == "symlink":
                self.problems.append(Problem("input-skipped", entry.path, reason))
        elif entry.is_dir(follow_symlinks=False):
            yield from self.files(entry.path)
        elif self.wanted(entry.name):
            yield entry.path


def collect(paths: Sequence[str | os.PathLike[str]], extensions: tuple[str, ...] = WORKBOOK_EXTENSIONS) -> Inputs:
    """Expand directories (recursively) and globs; keep named files as given.

    Files found in a directory or by a glob are sorted by path; the order of
    the arguments is kept, and a file reached twice is checked once. A folder
    or a glob gives the files ending in one of ``extensions``.
    """
    out = Inputs()
    seen: set[str] = set()
    walk = _Walk(out.problems, extensions)
    for raw in paths:
        for file in _expand(os.fspath(raw), walk):
            key = os.path.normpath(os.path.abspath(file))
            if key not in seen:
                seen.add(key)
                out.files.append(file)
    return out


def _expand(path: str, walk: _Walk) -> list[str]:
    problems = walk.problems
    if os.path.isdir(path):
        found = list(walk.files(path))
        if not found:
            problems.append(Problem("input-empty-folder", path))
        return found
    if not os.path.exists(path) and _GLOB_CHARS & set(path):
        matches = sorted(m for m in glob.glob(path, recursive=True) if _matched(m, walk))
        if not matches:
            problems.append(Problem("input-no-match", path))
        return matches
    return [path]


def _matched(path: str, walk: _Walk) -> bool:
    """A file a pattern matched that is a workbook to check: not a lock file (~$) or a hidden one."""
    return os.path.isfile(path) and walk.wanted(path) and not os.path.basename(path).startswith(("~$", "."))
