"""``--format table`` (default): Rich tables for a planner at a terminal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from qbplan.model.report import Report
from qbplan.render.options import RenderOptions
from qbplan.render.view import FindingRow, IndicatorRow, UnitRow, View, build_view

STYLES = {
    "pass": "bold green",
    "warn": "bold yellow",
    "fail": "bold red",
    "incomplete": "bold magenta",
    "no_data": "dim",
}


def _status(status: str, text: str) -> Text:
    return Text(text, style=STYLES[status])


def _findings(console: Console, view: View, title: str, rows: tuple[FindingRow, ...], total: int) -> None:
    if not rows:
        return
    table = Table(title=f"{title} ({total})", title_justify="left", show_lines=False)
    table.add_column(view.label("col.where"), overflow="fold")
    table.add_column(view.label("col.code"), no_wrap=True)
    table.add_column(view.label("col.message"), overflow="fold")
    for f in rows:
        table.add_row(Text(f.where), f.code, Text(f.message))
    console.print(table)
    more = view.more(len(rows), total)
    if more:
        console.print(Text(more, style="dim"))


def console_for(out: TextIO, options: RenderOptions) -> Console:
    """A Rich console on ``out``: colour only on a terminal, and not with NO_COLOR."""
    return Console(
        file=out,
        force_terminal=options.color,
        no_color=options.color is False or None,
        width=options.width or (None if out.isatty() else piped_width()),
        highlight=False,
    )


# Piped output without COLUMNS: not bound to 80 columns, every column stays readable.
PIPED_WIDTH = 120


def text_console(out: Any) -> Console:
    """A plain Rich console on ``out`` (rank's tables): the terminal's width, or when piped ``COLUMNS`` or 120."""
    tty = getattr(out, "isatty", lambda: False)()
    return Console(file=out, soft_wrap=False, highlight=False, width=None if tty else piped_width())


def piped_width() -> int:
    """The width of output that goes to no terminal: ``COLUMNS`` when it names one, else :data:`PIPED_WIDTH`."""
    import os

    given = os.environ.get("COLUMNS", "")
    return int(given) if given.isdigit() and 20 <= int(given) <= 1000 else PIPED_WIDTH


# Narrower than this, the table drops its frame and the numerator/denominator
# column (every other format has them) so that the result word still fits.
NARROW = 80
# From this wide, the table also has the "Đã báo cáo" column of a register.
WIDE = 110


@dataclass(frozen=True)
class _Column:
    """One column of the indicator table: its heading, how it is laid out, and its cell of a row."""

    key: str
    cell: Callable[[IndicatorRow], str | Text]
    settings: dict[str, Any]


def _right(key: str, cell: Callable[[IndicatorRow], str | Text], wrap: bool = False) -> _Column:
    return _Column(key, cell, {"justify": "right", "no_wrap": not wrap})


def _indicator_columns(view: View, narrow: bool, width: int) -> list[_Column]:
    """The columns shown at this width: the rate and the result always, the rest where they fit."""
    rows = view.indicators
    compared = view.compared
    # The title wraps first; the result word never: "CHƯA ĐẠT" cut to "CHƯA" would say the opposite.
    widest = max((len(ind.status_text) for ind in rows), default=0)
    optional = [
        (not narrow, _right("col.fraction", lambda i: i.fraction)),
        (not narrow and view.excluded, _right("col.excluded", lambda i: i.excluded if i.result.excluded_rows else "")),
        # Who reported is also in the note under the table: its column only where there is room.
        (width >= WIDE and view.covered, _right("col.reported", lambda i: i.coverage)),
        (compared and not narrow, _right("col.previous", lambda i: i.previous)),
        (compared, _right("col.change", lambda i: i.change, wrap=narrow)),
    ]
    return [
        _Column("col.id", lambda i: i.id, {"no_wrap": True}),
        _Column("col.title", lambda i: Text(i.title), {"ratio": 1, "min_width": 8, "overflow": "fold"}),
        _right("col.rate", lambda i: i.rate),
        _Column("col.target", lambda i: i.goal, {"justify": "right", "overflow": "fold"}),
        *(column for shown, column in optional if shown),
        _Column("col.status", lambda i: _status(i.status, i.status_text), {"no_wrap": True, "min_width": widest}),
    ]


def _indicators(console: Console, view: View) -> None:
    # Bounds ("145–173/192") widen the rate and fraction columns: they need more room
    # before the frame and the fraction (also in the note under the table) fit.
    bounded = any(ind.result.bounds for ind in view.indicators)
    narrow = console.width < (WIDE if bounded else NARROW)
    console.print(_indicator_table(view, narrow, console.width))
    if view.compared_with:
        console.print(Text(view.compared_with, style="dim"))
    if view.break_line:
        console.print(Text(view.break_line, style="bold"))
    for note in view.notes:
        console.print(Text(note, style="magenta"))


def _indicator_table(view: View, narrow: bool, width: int) -> Table:
    """The indicators' table; narrow, it drops its frame's edges and the columns that do not fit."""
    table = Table(
        title=Text(f"{view.title}: {view.plan}"),
        title_justify="left",
        box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
        pad_edge=not narrow,
    )
    columns = _indicator_columns(view, narrow, width)
    for column in columns:
        table.add_column(view.label(column.key), **column.settings)
    for ind in view.indicators:
        table.add_row(*(column.cell(ind) for column in columns))
    return table


def _breakdowns(console: Console, view: View) -> None:
    for breakdown in view.breakdowns:
        sub = Table(title=Text(breakdown.heading), title_justify="left")
        for key in ("col.group", "col.rate", "col.fraction", "col.status"):
            sub.add_column(view.label(key), justify="right" if key in ("col.rate", "col.fraction") else "left")
        for g in breakdown.groups:
            sub.add_row(Text(g.name), g.rate, g.fraction, _status(g.status, g.status_text))
        console.print(sub)


def path_lines(path: str, width: int) -> str:
    """``path`` broken into lines of at most ``width`` at its separators, so a name is never cut mid-word.

    A single part longer than ``width`` stays whole on its own line (the column then folds only it).
    """
    parts = [p + "/" for p in path.split("/")[:-1]] + [path.rsplit("/", 1)[-1]]
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return "\n".join(line for line in lines if line)


# The file column: at least as wide as the longest file name (from 12 up to 36), and up to half of what the
# terminal leaves beside the counts for the folders before it; paths broken at their "/".
_FILE_WIDTH = (12, 36)
_BESIDE_FILES = 62  # the counts' columns, the sheets' narrowest and the borders


def _files(console: Console, view: View) -> None:
    files = Table(title=view.label("title.files"), title_justify="left")
    names = [f.file.rsplit("/", 1)[-1] for f in view.files]
    least = min(max([_FILE_WIDTH[0], *map(len, names)]), _FILE_WIDTH[1])
    longest = max([0, *(len(f.file) for f in view.files)])
    width = max(least, min(longest, (console.width - _BESIDE_FILES) // 2))
    files.add_column(view.label("col.file"), overflow="fold", min_width=width, ratio=1)
    files.add_column(view.label("col.sheets"), overflow="fold", ratio=1)
    # Counts: their headings wrap by word ("Dòng / đọc") rather than take the row's width.
    for key in ("col.rows", "col.excluded", "col.layout", "col.errors", "col.warnings"):
        files.add_column(view.label(key), justify="right", max_width=6)
    for f in view.files:
        cells = (Text(path_lines(f.file, width)), Text(f.sheets), f.rows, f.excluded, f.layout, f.errors, f.warnings)
        files.add_row(*cells)
    console.print(files)


def _unit_keys(rows: tuple[UnitRow, ...], where: bool) -> list[str]:
    """The group (when any unit has one), key and name, and where it was written (for unknown units)."""
    keys = ["col.group"] if any(u.group for u in rows) else []
    return keys + ["col.key", "col.name"] + (["col.where"] if where else [])


def _units(console: Console, view: View, title: str, rows: tuple[UnitRow, ...], limit: int, where: bool) -> None:
    if not rows:
        return
    table = Table(title=f"{title} ({len(rows)})", title_justify="left")
    keys = _unit_keys(rows, where)
    for key in keys:
        table.add_column(view.label(key), overflow="fold")
    for u in rows[:limit]:
        cells = {"col.group": u.group, "col.key": u.key, "col.name": u.name, "col.where": u.where}
        table.add_row(*(Text(cells[k]) for k in keys))
    console.print(table)
    more = view.more(min(limit, len(rows)), len(rows))
    if more:
        console.print(Text(more, style="dim"))


def _completeness(console: Console, view: View, limit: int) -> None:
    if not view.completeness:
        return
    console.print(Text(view.label("title.completeness"), style="bold"))
    for c in view.completeness:
        console.print(Text(c.heading))
        _units(console, view, f"{c.sheet} · {view.label('title.missing')}", c.missing, limit, where=False)
        _units(console, view, f"{c.sheet} · {view.label('title.unknown')}", c.unknown, limit, where=True)


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Print the indicator table, breakdowns, files, findings and a summary line."""
    view = build_view(report, options.lang, options.max_findings)
    console = console_for(out, options)
    _indicators(console, view)
    _breakdowns(console, view)
    _completeness(console, view, options.max_findings)
    _files(console, view)
    _findings(console, view, view.label("title.errors"), view.errors, len(report.errors))
    _findings(console, view, view.label("title.warnings"), view.warnings, len(report.warnings))
    console.print(Text(view.summary))
    console.print(Text(view.targets_line, style="dim"))
    if view.register_line:
        console.print(Text(view.register_line, style="dim"))
