"""How ``qbplan history`` shows the series of each indicator: table, JSON, CSV, HTML (with SVG trends) or xlsx.

Like the check's renderers these lay out rows made once, by :func:`history_view`,
and compute nothing: rates, changes and the projection come from
:mod:`qbplan.history.trend`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from html import escape
from typing import IO, Any, TextIO

from openpyxl import Workbook
from openpyxl.styles import Font
from rich.table import Table
from rich.text import Text

from qbplan.history.store import RunInfo
from qbplan.history.trend import MIN_POINTS, Projection, Series
from qbplan.i18n import localized, ui
from qbplan.i18n.numbers import format_percent
from qbplan.model.version import __version__
from qbplan.render.csv import safe
from qbplan.render.html import badge, page_head
from qbplan.render.options import HISTORY_FORMATS, RenderOptions
from qbplan.render.safe import visible
from qbplan.render.table import STYLES, console_for
from qbplan.render.view import change_text, floor_per_mille, fraction_text, goal_text, status_text

FORMATS = HISTORY_FORMATS


@dataclass(frozen=True, slots=True)
class PointRow:
    """One period of one indicator, as shown."""

    period: str  # "Năm 2024"
    key: str  # "2024"
    rate: str
    fraction: str
    target: str
    status: str
    status_text: str
    change: str  # "+3,2", "" for the first period
    run: str  # "#3"


@dataclass(frozen=True, slots=True)
class SeriesRow:
    """One indicator across periods, as shown."""

    id: str
    title: str
    heading: str
    points: tuple[PointRow, ...]
    arrow: str  # ↑ ↓ → on the latest change, "" with one period
    projection: str  # one sentence, "" without enough yearly points
    series: Series


@dataclass(frozen=True)
class HistoryView:
    """The whole history, ready to lay out."""

    lang: str
    title: str
    plan: str
    db: str
    series: tuple[SeriesRow, ...]
    runs: tuple[RunInfo, ...]
    note: str  # the projection is a straight line, not a promise
    projections: tuple[tuple[str, str], ...]  # (id, sentence) of each indicator with one
    projected: bool  # some indicator has a projection, so the note is shown

    def label(self, key: str, **params: object) -> str:
        """Interface text in the view's language."""
        return ui(key, self.lang, **params)


def _arrow(change: Fraction | None) -> str:
    if change is None:
        return ""
    return "↑" if change > 0 else ("↓" if change < 0 else "→")


def projection_text(p: Projection | None, s: Series, lang: str) -> str:
    """The projection in one sentence: met, reached in a year (on track or behind), or not at this pace."""
    if p is None:
        years = len({pt.period.year for pt in s.points if pt.period.kind == "year" and pt.rate is not None})
        return ui("history.too_few", lang, n=years, min=MIN_POINTS) if years else ""
    goal = goal_text(s.target, None, lang)
    slope = change_text(p.slope * 100, lang)
    return ui(_verdict(p), lang, goal=goal, year=p.reach_year, deadline=s.deadline, points=p.points, slope=slope)


def _verdict(p: Projection) -> str:
    """The message key of a projection: met already, never at this pace, or reached on time or late."""
    if p.met:
        return "history.met"
    if p.reach_year is None:
        return "history.never"
    return "history.on_track" if p.on_track else "history.behind"


def _point(s: Series, i: int, lang: str) -> PointRow:
    p = s.points[i]
    change = s.changes[i] if i < len(s.changes) else None
    return PointRow(
        period=p.period.label(lang),
        key=p.period.key,
        rate=format_percent(p.rate, lang),
        fraction=fraction_text(p.numerator, p.denominator, lang),
        target=goal_text(p.target, None, lang),
        status=p.status,
        status_text=status_text("exceeded" if p.exceeded else p.status, lang),
        change="" if i == 0 else change_text(change, lang),
        run=f"#{p.run_id}",
    )


def history_view(
    series: list[Series], runs: list[RunInfo], lang: str, plan: str, db: str, with_runs: bool = False
) -> HistoryView:
    """The rows every history format shows."""
    rows = []
    for s in series:
        title = visible(localized(s.title_vi, s.title_en, lang))
        goal = goal_text(s.target, None, lang)
        rows.append(
            SeriesRow(
                id=s.id,
                title=title,
                heading=visible(ui("history.heading", lang, id=s.id, title=title, goal=goal, deadline=s.deadline)),
                points=tuple(_point(s, i, lang) for i in range(len(s.points))),
                arrow=_arrow(s.changes[-1]) if len(s.points) > 1 else "",
                projection=projection_text(s.projection, s, lang),
                series=s,
            )
        )
    return HistoryView(
        lang=lang,
        title=ui("history.title", lang),
        plan=visible(plan),
        db=visible(db),
        series=tuple(rows),
        runs=tuple(runs) if with_runs else (),
        note=ui("history.note", lang),
        projections=tuple((r.id, r.projection) for r in rows if r.projection),
        projected=any(r.series.projection for r in rows),
    )


# --- table


def render_table(view: HistoryView, out: TextIO, width: int | None = None) -> None:
    """One table of every indicator's periods, then a projection line per indicator; or the runs."""
    console = console_for(out, RenderOptions(width=width))
    if view.runs:
        _runs_table(console, view)
    else:
        _series_table(console, view)


def _latest(row: SeriesRow, i: int) -> str:
    """A point's change; the latest one with its arrow."""
    point = row.points[i]
    return f"{point.change} {row.arrow}" if i == len(row.points) - 1 and row.arrow else point.change


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
        "col.change": _latest(s, i),
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


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def as_dict(view: HistoryView) -> dict[str, Any]:
    """The history as plain JSON-ready data (every hash in full with --runs)."""
    if view.runs:
        return {
            "qbplan": __version__,
            "db": view.db,
            "runs": [
                {
                    "id": r.id,
                    "period": r.period.key,
                    "saved_at": r.saved_at,
                    "qbplan": r.qbplan_version,
                    "plan_id": r.plan_id,
                    "targets": r.targets_file,
                    "targets_sha256": r.targets_sha256,
                    "command": r.command,
                    "exit_code": r.exit_code,
                    "current": r.current,
                    "files": [{"path": f.path, "sha256": f.sha256, "size": f.size} for f in r.files],
                }
                for r in view.runs
            ],
        }
    return {
        "qbplan": __version__,
        "db": view.db,
        "plan": view.plan,
        "indicators": [_series(s) for s in view.series],
        "projection_note": view.note,
    }


def _series(row: SeriesRow) -> dict[str, Any]:
    s = row.series
    p = s.projection
    return {
        "id": s.id,
        "title": row.title,
        "target": float(s.target),
        "deadline": s.deadline,
        "points": [
            {
                "period": pt.period.key,
                "run": pt.run_id,
                "numerator": pt.numerator,
                "denominator": pt.denominator,
                "rate": _float(pt.rate),
                "rate_exact": _exact(pt.rate),
                "target": float(pt.target),
                "status": pt.status,
                "exceeded": pt.exceeded,
                "change_pp": _float(s.changes[i]),
                "change_pp_exact": _exact(s.changes[i]),
                **(
                    {"coverage": {"expected": pt.coverage_expected, "reported": pt.coverage_reported}}
                    if pt.coverage_expected is not None
                    else {}
                ),
            }
            for i, pt in enumerate(s.points)
        ],
        "projection": None
        if p is None
        else {
            "points": p.points,
            "slope_pp_per_year": float(p.slope * 100),
            "met": p.met,
            "reach_year": p.reach_year,
            "on_track": p.on_track,
            "text": row.projection,
        },
    }


def render_json(view: HistoryView, out: TextIO) -> None:
    """One indented JSON document."""
    json.dump(as_dict(view), out, ensure_ascii=False, indent=2)
    out.write("\n")


CSV_COLUMNS: tuple[str, ...] = ("kind", "id", "period", "run", "numerator", "denominator", "rate", "rate_exact")
CSV_COLUMNS += ("target", "status", "change_pp", "reach_year", "on_track", "path", "sha256", "size", "command")


def render_csv(view: HistoryView, out: TextIO, bom: bool = True) -> None:
    """One row per indicator and period, then one per projection; with --runs, one per run and file."""
    if bom:
        out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = _run_rows(view) + [r for row in view.series for r in _point_rows(row.series)]
    for line in rows:
        writer.writerow({k: safe(v) for k, v in line.items()})


def _run_rows(view: HistoryView) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for r in view.runs:
        base = {"kind": "run", "id": r.id, "period": r.period.key, "run": r.id, "command": r.command}
        rows.append(base | {"path": r.targets_file, "sha256": r.targets_sha256, "status": r.exit_code})
        rows += [{"kind": "file", "run": r.id, "path": f.path, "sha256": f.sha256, "size": f.size} for f in r.files]
    return rows


def _six(value: Fraction | None) -> str:
    return "" if value is None else f"{float(value):.6f}"


def _point_rows(s: Series) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {
            "kind": "point",
            "id": s.id,
            "period": p.period.key,
            "run": p.run_id,
            "numerator": p.numerator,
            "denominator": p.denominator,
            "rate": _six(p.rate),
            "rate_exact": _exact(p.rate) or "",
            "target": _six(p.target),
            "status": p.status,
            "change_pp": _six(s.changes[i]),
        }
        for i, p in enumerate(s.points)
    ]
    if s.projection is not None:
        pr = s.projection
        rows.append({"kind": "projection", "id": s.id, "reach_year": pr.reach_year, "on_track": pr.on_track})
    return rows


# --- HTML


def _e(text: object) -> str:
    return escape(str(text), quote=True)


@dataclass(frozen=True)
class _Plot:
    """Where a period and a rate fall in the SVG, in pixels."""

    n: int  # periods
    width: int = 640
    height: int = 200
    left: int = 52
    right: int = 30
    top: int = 12
    bottom: int = 28

    def x(self, i: int) -> float:
        plot_w = self.width - self.left - self.right
        return self.left + (plot_w * i / (self.n - 1) if self.n > 1 else plot_w / 2)

    def y(self, rate: Fraction) -> float:
        # Floats only place pixels; every number shown is exact text.
        return self.top + (self.height - self.top - self.bottom) * (1 - min(float(rate), 1.0))

    def hline(self, at: Fraction) -> str:
        """The attributes of a line across the plot at rate ``at``."""
        ty = self.y(at)
        return f'x1="{self.left}" y1="{ty:.1f}" x2="{self.width - self.right}" y2="{ty:.1f}"'


def _svg(row: SeriesRow, lang: str) -> str:
    """The series as an inline SVG: the rate line and points, the final target as a dashed line."""
    plot = _Plot(len(row.points))
    parts = [
        f'<svg role="img" aria-label="{_e(row.heading)}" viewBox="0 0 {plot.width} {plot.height}" width="100%" '
        f'style="max-width:{plot.width}px" font-size="12" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in range(0, 101, 25):
        ty = plot.y(Fraction(tick, 100))
        parts.append(f'<line {plot.hline(Fraction(tick, 100))} stroke="#eaeef2"/>')
        parts.append(f'<text x="{plot.left - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#57606a">{tick}%</text>')
    parts.append(
        f'<line class="target" {plot.hline(row.series.target)} stroke="#1f2328" '
        f'stroke-width="2" stroke-dasharray="6 4"><title>{_e(ui("col.target", lang))}</title></line>'
    )
    parts += _rate_marks(row, plot)
    for i, point in enumerate(row.points):
        parts.append(
            f'<text x="{plot.x(i):.1f}" y="{plot.height - 8}" text-anchor="middle" fill="#57606a">'
            f"{_e(point.key)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _rate_marks(row: SeriesRow, plot: _Plot) -> list[str]:
    """The line through the known rates (two or more) and a point with its tooltip on each."""
    known = [(i, p.rate) for i, p in enumerate(row.series.points) if p.rate is not None]
    marks = []
    if len(known) > 1:
        path = " ".join(f"{plot.x(i):.1f},{plot.y(r):.1f}" for i, r in known)
        marks.append(f'<polyline class="rate" points="{path}" fill="none" stroke="#0969da" stroke-width="2.5"/>')
    for i, r in known:
        point = row.points[i]
        marks.append(
            f'<circle cx="{plot.x(i):.1f}" cy="{plot.y(r):.1f}" r="4" fill="#0969da">'
            f"<title>{_e(point.period)}: {_e(point.rate)}</title></circle>"
        )
    return marks


_HTML_KEYS = ("col.period", "col.rate", "col.fraction", "col.target", "col.status", "col.change", "col.run")


def _html_series(s: SeriesRow, view: HistoryView) -> list[str]:
    """One indicator's heading, trend, table of periods and projection."""
    html = [f'<h2 id="{_e(s.id)}">{_e(s.heading)}</h2>', _svg(s, view.lang)]
    html.append("<table><thead><tr>" + "".join(f"<th>{_e(view.label(k))}</th>" for k in _HTML_KEYS) + "</tr></thead>")
    html.append("<tbody>")
    for i, p in enumerate(s.points):
        cells = "".join(f'<td class="num">{_e(c)}</td>' for c in (p.rate, p.fraction, p.target))
        html.append(
            f"<tr><td>{_e(p.period)}</td>{cells}<td>{badge(p.status, p.status_text)}</td>"
            f'<td class="num">{_e(_latest(s, i))}</td><td>{_e(p.run)}</td></tr>'
        )
    html.append("</tbody></table>")
    if s.projection:
        html.append(f"<p><strong>{_e(s.projection)}</strong></p>")
    return html


def render_html(view: HistoryView, out: TextIO) -> None:
    """One self-contained page: per indicator its trend against its target, its periods and its projection."""
    html = page_head(
        view.lang, view.title, f"{view.plan}\nqbplan {__version__} · {view.label('history.db', db=view.db)}"
    )
    for s in view.series:
        html += _html_series(s, view)
    if view.projected:
        html.append(f'<p class="meta">{_e(view.note)}</p>')
    html.append("</body></html>")
    out.write("\n".join(html) + "\n")


# --- xlsx


def render_xlsx(view: HistoryView, out: IO[bytes]) -> None:
    """A workbook: one row per indicator and period (rates as numbers), then the projections; with --runs, the runs."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    _series_sheet(ws, view)
    if view.runs:
        runs = wb.create_sheet(view.label("history.runs")[:31])
        runs.append([view.label(k) for k in ("col.run", "col.period", "col.saved", "col.version", "col.command")])
        for r in view.runs:
            runs.append([r.id, r.period.key, r.saved_at, r.qbplan_version, r.command])
        _as_text(runs)
    wb.save(out)


_SHEET_KEYS = ("col.id", "col.period", "col.rate", "col.fraction", "col.target", "col.status", "col.change", "col.run")


def _series_sheet(ws: Any, view: HistoryView) -> None:
    _sheet_head(ws, view)
    for s in view.series:
        for p, point in zip(s.points, s.series.points, strict=True):
            ws.append(
                [s.id, p.period, floor_per_mille(point.rate), p.fraction, p.target, p.status_text, p.change, p.run]
            )
            ws.cell(ws.max_row, 3).number_format = "0.0%"
    ws.append([])
    for sid, text in view.projections:
        ws.append([sid, text])
    if view.projected:
        ws.append([view.note])
    _as_text(ws)


def _sheet_head(ws: Any, view: HistoryView) -> None:
    """The title lines and the bold column headings in row 5, frozen above the rows, and the column widths."""
    ws.title = view.label("history.title")[:31]
    for line in (view.title, view.plan, view.label("history.db", db=view.db), ""):
        ws.append([line])
    ws.append([view.label(k) for k in _SHEET_KEYS])
    for cell in ws[5]:
        cell.font = Font(bold=True)
    ws["A1"].font = Font(bold=True, size=14)
    for letter, width in zip("ABCDEFGH", (8, 22, 10, 18, 10, 18, 18, 8), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A6"


def _as_text(ws: Any) -> None:
    """Every text cell written as text: never a formula, whatever a file name or command holds."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def render(view: HistoryView, fmt: str, out: Any) -> None:
    """Write ``view`` in ``fmt`` (one of :data:`FORMATS`) to ``out`` (binary when :func:`qbplan.render.is_binary`)."""
    writers: dict[str, Callable[[HistoryView, Any], None]] = {
        "table": render_table,
        "json": render_json,
        "csv": render_csv,
        "html": render_html,
        "xlsx": render_xlsx,
    }
    writers[fmt](view, out)
