"""How ``qbplan rank`` shows a ranking: one module per format, over rows made once.

Like the check's renderers these lay out what
:func:`~qbplan.render.rank.view.rank_view` made, and compute nothing: the
points, indices, grades and ranks come from :mod:`qbplan.model.scores`.
"""

from __future__ import annotations

from typing import Any

from qbplan.render.options import RankFormat, assert_never
from qbplan.render.rank.view import RankView, rank_view

__all__ = ["RankView", "is_binary", "rank_view", "render"]


def is_binary(fmt: RankFormat | str) -> bool:
    """Whether ``fmt`` writes bytes (a workbook) rather than text."""
    from qbplan.render.formats import RANK

    return RANK.get(RankFormat(fmt).value).binary


def render(view: RankView, fmt: RankFormat | str, out: Any) -> None:
    """Write ``view`` in ``fmt`` to ``out`` (binary when :func:`is_binary`), importing that one only."""
    kind = RankFormat(fmt)
    match kind:
        case RankFormat.table:
            from qbplan.render.rank.table import render_table

            render_table(view, out)
        case RankFormat.json:
            from qbplan.render.rank.json import render_json

            render_json(view, out)
        case RankFormat.csv:
            from qbplan.render.rank.csv import render_csv

            render_csv(view, out)
        case RankFormat.xlsx:
            from qbplan.render.rank.xlsx import render_xlsx

            render_xlsx(view, out)
        case RankFormat.cards:
            from qbplan.render.rank.xlsx import render_cards

            render_cards(view, out)
        case _:
            assert_never(kind)
