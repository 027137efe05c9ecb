"""``qbplan rank`` in the terminal: the ranking as a Rich table, the rounding said under it."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from qbplan.i18n import ui
from qbplan.render.rank.view import RankView
from qbplan.render.table import text_console

# Below this many columns for the name, the pillars give way (they are on the scorecards and in every file format).
_NAME_MIN = 18


def render_table(view: RankView, out: Any) -> None:
    """Write the ranking table to the text stream ``out``: the pillars too when the terminal is wide enough."""
    console = text_console(out)
    piped = not getattr(out, "isatty", lambda: False)()
    notes = any(row.note for row in view.rows)
    pillar_width = sum(max(len(t), 6) + 3 for t in view.pillar_titles)
    fixed = 5 + 8 + 3 * 6 + 9 + 9 + 11 + (24 if notes else 0)
    with_pillars = console.width - fixed - pillar_width >= _NAME_MIN
    # Groups (--by) have no name of their own: their column is the name.
    names = any(row.name for row in view.rows)
    table = _table(view, names, with_pillars, notes)
    for row in view.rows:
        # The table gives each pillar's points; its maximum is on the scorecard (-f cards).
        pillars = [p.split("/")[0] for p in row.pillars] if with_pillars else []
        cells = [row.rank, row.key, *([row.name] if names else []), *pillars, row.total, row.index, row.grade]
        table.add_row(*cells, *([row.note] if notes else []))
    console.print(table)
    _after(console, view, with_pillars, piped)


def _table(view: RankView, names: bool, with_pillars: bool, notes: bool) -> Table:
    """The ranking's columns: rank, key (and name), the pillars when they fit, total, index, grade, notes."""
    table = Table(title=view.title, title_justify="left")
    table.add_column(ui("rank.col.rank", view.lang), justify="right", no_wrap=True)
    table.add_column(view.headers[1], no_wrap=not names, ratio=None if names else 1)
    if names:
        table.add_column(view.headers[2], ratio=1, min_width=12, overflow="fold")
    if with_pillars:
        for title in view.pillar_titles:
            table.add_column(title, justify="right", no_wrap=True, max_width=max(len(title), 6))
    table.add_column(ui("rank.col.total", view.lang), justify="right", no_wrap=True)
    table.add_column(ui("rank.short.index", view.lang), justify="right", no_wrap=True)
    table.add_column(ui("rank.col.grade", view.lang), no_wrap=True)
    if notes:
        table.add_column(ui("rank.col.note", view.lang), ratio=1, overflow="fold")
    return table


def _after(console: Any, view: RankView, with_pillars: bool, piped: bool) -> None:
    """Under the table: where the pillars are, the units left out, the self-assessments, the summary."""
    if not with_pillars:
        # Piped, there is no window to widen: only the formats that hold the pillars are named.
        console.print(ui("rank.pillars_in_files" if piped else "rank.pillars_elsewhere", view.lang))
    if view.omitted:
        units = ", ".join(f"{r.key} {r.name}".strip() for r in view.omitted)
        console.print(ui("rank.omitted", view.lang, units=units))
    if view.self_lines:
        console.print(ui("rank.self_title", view.lang, count=len(view.self_lines)))
        for place, text in view.self_lines:
            console.print(f"  {place}: {text}", markup=False)
    console.print(view.summary)
    console.print(view.rounding)
