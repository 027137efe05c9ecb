"""How ``qbplan history`` shows the series of each indicator: one module per format.

Like the check's renderers these lay out rows made once, by
:func:`~qbplan.render.history.view.history_view`, and compute nothing: rates,
changes and the projection come from :mod:`qbplan.history.trend`.
"""

from __future__ import annotations

from typing import Any

from qbplan.render.history.view import HistoryView, history_view
from qbplan.render.options import HistoryFormat, assert_never

__all__ = ["HistoryView", "history_view", "render"]


def render(view: HistoryView, fmt: HistoryFormat | str, out: Any) -> None:
    """Write ``view`` in ``fmt`` to ``out`` (binary when :func:`qbplan.render.is_binary`), importing that one only."""
    kind = HistoryFormat(fmt)
    match kind:
        case HistoryFormat.table:
            from qbplan.render.history.table import render_table

            render_table(view, out)
        case HistoryFormat.json:
            from qbplan.render.history.json import render_json

            render_json(view, out)
        case HistoryFormat.csv:
            from qbplan.render.history.csv import render_csv

            render_csv(view, out)
        case HistoryFormat.html:
            from qbplan.render.history.html import render_html

            render_html(view, out)
        case HistoryFormat.xlsx:
            from qbplan.render.history.xlsx import render_xlsx

            render_xlsx(view, out)
        case _:
            assert_never(kind)
