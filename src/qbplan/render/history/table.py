"""``qbplan history`` as a table on the terminal."""

from __future__ import annotations

from typing import Any, TextIO

from rich.table import Table
from rich.text import Text

from qbplan.render.history.view import HistoryView, SeriesRow, latest_change
from qbplan.render.options import RenderOptions
from qbplan.render.safe import visible
from qbplan.render.table import STYLES, console_for


def render_table(view: HistoryView, out: TextIO, width: int | None = None) -> None:
    """One table of every indicator's periods, then a projection line per indicator; or the runs."""
    console = console_for(out, RenderOptions(width=width))
    if view.runs:
        _runs_table(console, view)
    else:
        _series_table(console, view)


_RIGHT = frozenset({"col.rate", "col.fraction", "col.target", "col.change"})


def _series_table(console: Any, view: HistoryView) -> None:
    table = Table(title=Text(f"{view.title}: {view.plan}"), title_justify="left")
    # Narrower than this, the numerator/denominator and the run (both in JSON and --runs) make way.
    keys = _table_keys(wide=console.width >= 100)
    rows = [_table_row(s, i) for s in view.series for i in range(len(s.points))]
    for key in keys:
        justify = "right" if key in _RIGHT else "left"
        table.add_column(view.label(key), justify=justify, min_width=_widest(key, rows))  # type: ignore[arg-type]
    for row in rows:
        cells = [Text(row["text"], style=STYLES.get(row[k], "")) if k == "col.status" else row[k] for k in keys]
        table.add_row(*cells, end_section=bool(row["end"]))
    console.print(table)
    _under_table(console, view)


def _under_table(console: Any, view: HistoryView) -> None:
    """Each indicator's projection, the note on what a projection is, and the database read."""
    if view.break_note:
        console.print(Text(view.break_note))
    for sid, text in view.projections:
        console.print(Text(f"{sid}: {text}"))
    if view.projected:
        console.print(Text(view.note, style="dim"))
    console.print(Text(view.label("history.db", db=view.db), style="dim"))


def _widest(key: str, rows: list[dict[str, str]]) -> int:
    """The column's widest value: a value never wraps ("Năm / 2022" would read as two things); a heading may."""
    return max((len(row["text" if key == "col.status" else key]) for row in rows), default=1)


def _table_keys(wide: bool) -> list[str]:
    keys = ["col.id", "col.period", "col.rate"] + (["col.fraction"] if wide else [])
    return keys + ["col.target", "col.status", "col.change"] + (["col.run"] if wide else [])


def _table_row(s: SeriesRow, i: int) -> dict[str, str]:
    """Period ``i`` of ``s`` by column key; the id on its first period only, the section ending after its last."""
    p = s.points[i]
    last = i == len(s.points) - 1
    return {
        "col.id": "" if i else s.id,
        "col.period": p.period,
        "col.rate": p.rate,
        "col.fraction": p.fraction,
        "col.target": p.target,
        "col.status": p.status,
        "col.change": latest_change(s, i),
        "col.run": p.run,
        "text": p.status_text,
        "end": "1" if last else "",
    }


def _runs_table(console: Any, view: HistoryView) -> None:
    table = Table(title=view.label("history.runs"), title_justify="left")
    for key in ("col.run", "col.period", "col.saved", "col.version", "col.targets", "col.files", "col.command"):
        table.add_column(view.label(key), overflow="fold")
    for r in view.runs:
        mark = " *" if r.current else ""
        # A file name or a command line may hold anything: shown, never acted on by the terminal.
        files = "\n".join(visible(f"{f.path} {(f.sha256 or '—')[:12]}") for f in r.files)
        table.add_row(
            f"#{r.id}{mark}",
            r.period.label(view.lang),
            r.saved_at,
            visible(r.qbplan_version),
            Text(visible(f"{r.targets_file} {r.targets_sha256[:12]}")),
            Text(files),
            Text(visible(r.command)),
        )
    console.print(table)
    console.print(Text(view.label("history.current_mark"), style="dim"))


# --- JSON and CSV
