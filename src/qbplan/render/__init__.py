"""Output formats, one module each, behind one interface.

A renderer is ``render(report, out, options)``: it writes ``report`` to the
stream ``out`` (text, or bytes when :func:`is_binary`) in ``options.lang``.
Renderers compute nothing of their own: they lay out the rows of
:func:`qbplan.render.view.build_view`.
"""

from __future__ import annotations

from qbplan.render.options import (
    FORMATS,
    HISTORY_FORMATS,
    Annex,
    Format,
    HistoryFormat,
    Renderer,
    RenderOptions,
    assert_never,
)

__all__ = [
    "FORMATS",
    "HISTORY_FORMATS",
    "Annex",
    "Format",
    "HistoryFormat",
    "RenderOptions",
    "Renderer",
    "get_renderer",
    "is_binary",
]


def is_binary(fmt: str) -> bool:
    """Whether ``fmt`` (of check or of history) writes bytes (``out`` is a binary stream) rather than text."""
    from qbplan.render.formats import CHECK

    return CHECK.get(Format(fmt).value).binary


def get_renderer(fmt: str) -> Renderer:
    """The renderer of format ``fmt`` (one of :class:`Format`); each module is imported when asked for."""
    try:
        kind = Format(fmt)
    except ValueError:
        raise ValueError(f"unknown format {fmt!r}") from None
    match kind:
        case Format.table:
            from qbplan.render.table import render as table_renderer

            return table_renderer
        case Format.json:
            from qbplan.render.json import render as json_renderer

            return json_renderer
        case Format.junit:
            from qbplan.render.junit import render as junit_renderer

            return junit_renderer
        case Format.markdown:
            from qbplan.render.markdown import render as markdown_renderer

            return markdown_renderer
        case Format.csv:
            from qbplan.render.csv import render as csv_renderer

            return csv_renderer
        case Format.html:
            from qbplan.render.html import render as html_renderer

            return html_renderer
        case Format.xlsx:
            from qbplan.render.xlsx import render as xlsx_renderer

            return xlsx_renderer
        case Format.annex:
            from qbplan.render.annex import render as annex_renderer

            return annex_renderer
        case _:
            assert_never(kind)
