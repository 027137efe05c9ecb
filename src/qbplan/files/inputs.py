"""Inputs: files, directories and globs to the sorted list of files to check."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# What a directory search picks up; files named on the command line are
# checked whatever their extension (the format is sniffed from the content).
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
_GLOB_CHARS = frozenset("*?[")


@dataclass
class Inputs:
    """Files to check, in a deterministic order, and patterns that matched nothing."""

    files: list[str] = field(default_factory=list)
    # (code, path): an empty directory, a glob with no match
    problems: list[tuple[str, str]] = field(default_factory=list)


def _is_candidate(name: str) -> bool:
    # Excel lock files (~$x.xlsx) and hidden files are not submissions; a
    # folder that someone has open in Excel must not fail the batch.
    return name.lower().endswith(WORKBOOK_EXTENSIONS) and not name.startswith(("~$", "."))


def _walk(directory: str) -> Iterable[str]:
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if _is_candidate(name):
                yield os.path.join(root, name)


def collect(paths: Sequence[str | os.PathLike[str]]) -> Inputs:
    """Expand directories (recursively) and globs; keep named files as given.

    Files found in a directory or by a glob are sorted by path; the order of
    the arguments is kept, and a file reached twice is checked once.
    """
    out = Inputs()
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            out.files.append(path)

    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            found = list(_walk(path))
            if not found:
                out.problems.append(("input-empty-folder", path))
            for file in found:
                add(file)
        elif not os.path.exists(path) and _GLOB_CHARS & set(path):
            matches = sorted(
                m for m in glob.glob(path, recursive=True) if os.path.isfile(m) and _is_candidate(os.path.basename(m))
            )
            if not matches:
                out.problems.append(("input-no-match", path))
            for file in matches:
                add(file)
        else:
            add(path)
    return out
