"""Output formats, one module each, behind one interface.

A renderer is ``render(report, out, options)``: it writes ``report`` to the
stream ``out`` (text, or bytes for :data:`BINARY_FORMATS`) in ``options.lang``.
Renderers compute nothing of their own: they lay out the rows of
:func:`qbplan.render.view.build_view`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.model.report import Report

FORMATS = ("table", "json", "junit", "markdown", "csv", "html", "xlsx", "annex")
# Formats written as bytes (to a file opened in binary mode).
BINARY_FORMATS = frozenset({"xlsx", "annex"})
# What `qbplan history` writes (qbplan.render.history), here so the CLI can offer them without importing it.
HISTORY_FORMATS = ("table", "json", "csv", "html", "xlsx")


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices that do not change the results."""

    lang: str = "vi"
    max_findings: int = 20
    color: bool | None = None  # None: decide from the terminal and NO_COLOR
    width: int | None = None
    # CSV only: a UTF-8 byte order mark first, for Excel on Windows.
    bom: bool = True
    # The annex only: who files it, its report's number, who signs it.
    annex: Annex | None = None


@dataclass(frozen=True)
class Annex:
    """What the annex of an official report names: the reporting unit, the report's number, the signer."""

    unit: str = ""
    report_number: str = ""
    signer: str = ""


class Renderer(Protocol):
    def __call__(self, report: Report, out: Any, options: RenderOptions) -> None: ...


def is_binary(fmt: str) -> bool:
    """Whether ``fmt`` writes bytes (``out`` is a binary stream) rather than text."""
    return fmt in BINARY_FORMATS


def get_renderer(fmt: str) -> Renderer:
    """The renderer of format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = importlib.import_module(f"qbplan.render.{fmt}")
    renderer: Renderer = module.render
    return renderer
