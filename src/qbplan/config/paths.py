"""Which targets file a run uses: the rule, light enough for ``qbplan --help`` to ask it."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["bundled_targets_path", "resolve_targets_path"]


def bundled_targets_path() -> Path:
    """The targets file shipped inside the package (Decision 2972/QĐ-UBND)."""
    return Path(__file__).parent.parent / "data" / "targets.yaml"


def resolve_targets_path(explicit: str | os.PathLike[str] | None) -> Path:
    """``--targets`` if given, else ``./targets.yaml`` if present, else the bundled file."""
    if explicit is not None:
        return Path(explicit)
    local = Path("targets.yaml")
    if local.is_file():
        return local
    return bundled_targets_path()
