"""Output formats, one module each, behind one interface.

A renderer is ``render(report, out, options)``: it writes ``report`` to the text
stream ``out`` and computes nothing of its own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.report import Report

FORMATS = ("table", "json")


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices that do not change the results."""

    max_findings: int = 20
    color: bool | None = None  # None: decide from the terminal and NO_COLOR
    width: int | None = None


class Renderer(Protocol):
    def __call__(self, report: Report, out: TextIO, options: RenderOptions) -> None: ...


def get_renderer(fmt: str) -> Renderer:
    """The renderer of format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = importlib.import_module(f"qbplan.render.{fmt}_format")
    renderer: Renderer = module.render
    return renderer
