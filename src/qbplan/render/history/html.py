"""``qbplan history --format html``: each series with its SVG trend."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from html import escape
from typing import TextIO

from qbplan.history.store import SavedIndicator
from qbplan.i18n import ui
from qbplan.model.version import __version__
from qbplan.render.history.view import HistoryView, PointRow, SeriesRow, latest_change
from qbplan.render.html import badge, page_head


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
    for i in sorted(row.series.breaks):
        # The change of structure: a vertical rule between the two periods, labelled.
        bx = (plot.x(i - 1) + plot.x(i)) / 2
        parts.append(
            f'<line class="break" x1="{bx:.1f}" y1="{plot.top}" x2="{bx:.1f}" y2="{plot.height - plot.bottom}" '
            f'stroke="#cf222e" stroke-width="1.5" stroke-dasharray="3 3"><title>{_e(ui("history.break_mark", lang))}'
            "</title></line>"
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
    """The line through the whole rates (two or more) and a point on each; a partial round as a band.

    A round saved while units were missing has no rate of its own, only bounds: it is drawn as a
    vertical band from the low to the high bound (count mode), or as a hollow mark at the rate over
    those that reported (sum mode), and the line does not pass through it.
    """
    points = row.series.points
    whole = [(i, p.rate) for i, p in enumerate(points) if p.rate is not None and not p.partial]
    marks = []
    if len(whole) > 1:
        path = " ".join(f"{plot.x(i):.1f},{plot.y(r):.1f}" for i, r in whole)
        marks.append(f'<polyline class="rate" points="{path}" fill="none" stroke="#0969da" stroke-width="2.5"/>')
    for i, r in whole:
        point = row.points[i]
        marks.append(
            f'<circle cx="{plot.x(i):.1f}" cy="{plot.y(r):.1f}" r="4" fill="#0969da">'
            f"<title>{_e(point.period)}: {_e(point.rate)}</title></circle>"
        )
    for i, saved in enumerate(points):
        if saved.partial:
            marks.append(_partial_mark(row.points[i], saved, plot, i))
    return marks


def _partial_mark(point: PointRow, saved: SavedIndicator, plot: _Plot, i: int) -> str:
    """A partial round: a band between its bounds, or a hollow mark where it has none (sum mode)."""
    title = f"<title>{_e(point.period)}: {_e(point.rate)} ({_e(point.status_text)})</title>"
    x = plot.x(i)
    bounds = saved.bounds
    if bounds is None:
        rate = saved.rate
        if rate is None:
            return ""
        return (
            f'<circle class="partial" cx="{x:.1f}" cy="{plot.y(rate):.1f}" r="4" fill="#fff" stroke="#bf8700" '
            f'stroke-width="2">{title}</circle>'
        )
    low, high, of = bounds
    top, bottom = plot.y(Fraction(high, of)), plot.y(Fraction(low, of))
    return (
        f'<rect class="partial" x="{x - 5:.1f}" y="{top:.1f}" width="10" height="{max(bottom - top, 1):.1f}" '
        f'fill="#fff8c5" stroke="#bf8700" stroke-width="1.5">{title}</rect>'
    )


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
            f'<td class="num">{_e(latest_change(s, i))}</td><td>{_e(p.run)}</td></tr>'
        )
    html.append("</tbody></table>")
    if any(p.broken for p in s.points):
        html.append(f'<p class="meta">{_e(view.break_note)}</p>')
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
