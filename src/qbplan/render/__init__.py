"""Output formats, one module each, behind one interface.

A renderer is ``render(report, out, options)``: it writes ``report`` to the
stream ``out`` (text, or bytes for :data:`BINARY_FORMATS`) and computes nothing
of its own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.results.report import Report

FORMATS = ("table", "json", "junit", "markdown", "csv", "html", "xlsx")
# Formats written as bytes (to a file opened in binary mode).
BINARY_FORMATS = frozenset({"xlsx"})


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices that do not change the results."""

    max_findings: int = 20
    color: bool | None = None  # None: decide from the terminal and NO_COLOR
    width: int | None = None


class Renderer(Protocol):
    def __call__(self, report: Report, out: Any, options: RenderOptions) -> None: ...


def summary_text(report: Report) -> str:
    """The one-paragraph summary of a report, in its language (files, rows, statuses, findings)."""
    from qbplan.i18n import format_int, ui

    lang = report.lang
    return ui(
        "summary",
        lang,
        files=len(report.files),
        rows=format_int(report.rows_read, lang),
        excluded=format_int(report.rows_excluded, lang),
        blank=format_int(report.blank_rows, lang),
        layout=format_int(report.layout_rows, lang),
        errors=len(report.errors),
        warnings=len(report.warnings),
        **report.status_counts,
    )


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
