"""Which targets file a run uses: the rule, light enough for ``qbplan --help`` to ask it."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["bundled_targets_path", "resolve_targets_path"]


def bundled_targets_path() -> Path:
    """The targets file shipped inside the package (Decision 2972/QĐ-UBND)."""
    return Path(__file__).parent.parent / "data" / "targets.yaml"


TARGETS_NAME = "targets.yaml"
# A folder holding one of these is a project's root: the search for targets.yaml stops there.
_ROOT_MARKERS = (".git", ".hg", ".svn")


def resolve_targets_path(explicit: str | os.PathLike[str] | None) -> Path:
    """``--targets`` if given, else the nearest ``targets.yaml`` upward, else the bundled file.

    The search starts in the current folder and goes up, as ruff and git look
    for their files, so a planner in ``nop-2025/`` of a project uses the
    project's plan, not the bundled one. It stops at a repository's root (a
    ``.git`` folder) or the file system's.
    """
    if explicit is not None:
        return Path(explicit)
    found = find_upward(Path.cwd())
    return found if found is not None else bundled_targets_path()


def find_upward(start: Path) -> Path | None:
    """The nearest ``targets.yaml`` in ``start`` or a folder above it, up to a repository's root; None if none."""
    for folder in (start, *start.parents):
        candidate = folder / TARGETS_NAME
        if candidate.is_file():
            # Relative when it is the current folder's: messages then name it as the user would.
            return Path(TARGETS_NAME) if folder == start else candidate
        if any((folder / marker).exists() for marker in _ROOT_MARKERS):
            return None
    return None
