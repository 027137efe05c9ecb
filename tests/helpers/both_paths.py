"""Run one check with every sheet forced through each reading path: the bulk screen, then row by row."""

from __future__ import annotations

from typing import Any

from qbplan.read import large as fastpath
from qbplan.render.json import as_dict
from qbplan.run.pipeline import CheckOptions, check


def both_paths(paths: list[Any], targets: Any, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report as JSON with every sheet forced through each path: (bulk screen, row path)."""
    saved = fastpath.FAST_MIN_BYTES
    try:
        fastpath.FAST_MIN_BYTES = 0
        fast = as_dict(check(paths, targets, CheckOptions(**kwargs)))
        fastpath.FAST_MIN_BYTES = 1 << 62
        rows = as_dict(check(paths, targets, CheckOptions(**kwargs)))
    finally:
        fastpath.FAST_MIN_BYTES = saved
    return fast, rows
