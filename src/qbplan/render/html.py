"""``--format html``: one self-contained page to show at a meeting.

No script, no font, no image from the network: the styles are inline and the
chart is an SVG drawn in the page. It holds the pass/fail table, a chart of
each indicator's rate against its target, the breakdown (with ``--by``), the
files read, and the findings with their cells.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TextIO

from qbplan.model.report import Report
from qbplan.model.version import __version__
from qbplan.render.options import RenderOptions
from qbplan.render.view import Breakdown, FindingRow, IndicatorRow, UnitRow, View, build_view

COLORS = {"pass": "#1a7f37", "warn": "#b08800", "fail": "#cf222e", "incomplete": "#8250df", "no_data": "#8c959f"}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#1f2328;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
.meta{color:#57606a;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.1rem .45rem;border-radius:1rem;color:#fff;font-weight:600;white-space:nowrap;
font-size:.8rem}
.counts span{margin-right:1rem}
svg text{font-family:inherit;font-size:12px}
code{font-size:.85rem}
@page{size:A4 landscape;margin:12mm}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}
thead{display:table-header-group}tr,figure,svg{break-inside:avoid}
.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def page_head(lang: str, title: str, meta: str) -> list[str]:
    """The start of a self-contained page: its language, the styles, the title and a meta line (\n: a line break)."""
    lines = "<br>".join(_e(part) for part in meta.split("\n"))
    return [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{lines}</p>',
    ]


def badge(status: str, text: str) -> str:
    """A status as a coloured badge."""
    return f'<span class="badge" style="background:{COLORS[status]}">{_e(text)}</span>'


def _chart(view: View) -> str:
    """Horizontal bars of rate, with a black tick at each target."""
    indicators = view.indicators
    label_w, bar_w, row_h, pad = 70, 760, 26, 8
    # Room on the right for the longest rate ("92,8–100,0 %" with units missing), ~7 px a character.
    width = label_w + bar_w + max(80, 12 + 7 * max((len(ind.rate) for ind in indicators), default=0))
    height = pad * 2 + row_h * len(indicators) + 20
    parts = [
        f'<svg role="img" aria-label="{_e(view.label("title.chart"))}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in range(0, 101, 20):
        x = label_w + bar_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{height - 20}" stroke="#eaeef2"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 5}" text-anchor="middle" fill="#57606a">{tick}%</text>')
    for i, ind in enumerate(indicators):
        parts += _bar(view, ind, pad + i * row_h, (label_w, bar_w, row_h))
    parts.append("</svg>")
    return "".join(parts)


def _bar(view: View, ind: IndicatorRow, y: int, sizes: tuple[int, int, int]) -> list[str]:
    label_w, bar_w, row_h = sizes
    # Floats only place pixels; every number shown is the view's exact text.
    bounds = ind.result.bounds
    if bounds is not None:
        # Units missing: solid to the rate if every one answered no, paler on to the rate if every one answered yes.
        low, high = bounds[0] / bounds[2], bounds[1] / bounds[2]
    else:
        low = high = float(ind.result.rate) if ind.result.rate is not None else 0.0
    tx = label_w + bar_w * min(float(ind.result.target), 1.0)
    title = f"<title>{_e(ind.title)}: {_e(ind.rate)}</title>"
    span = [
        f'<rect class="bar" x="{label_w + bar_w * low:.1f}" y="{y + 5}" width="{bar_w * (min(high, 1.0) - low):.1f}" '
        f'height="{row_h - 10}" fill="{COLORS[ind.status]}" fill-opacity="0.35">{title}</rect>'
    ]
    return [
        f'<text x="0" y="{y + 17}">{_e(ind.id)}</text>',
        f'<rect class="bar" x="{label_w}" y="{y + 5}" width="{bar_w * min(low, 1.0):.1f}" height="{row_h - 10}" '
        f'fill="{COLORS[ind.status]}">{title}</rect>',
        *(span if high > low else []),
        f'<line class="target" x1="{tx:.1f}" y1="{y + 1}" x2="{tx:.1f}" y2="{y + row_h - 1}" '
        f'stroke="#1f2328" stroke-width="3"><title>{_e(view.label("col.target"))}: {_e(ind.goal)}</title></line>',
        f'<text x="{label_w + bar_w + 6}" y="{y + 17}">{_e(ind.rate)}</text>',
    ]


def _table(view: View, keys: tuple[str, ...], rows: Iterable[str]) -> list[str]:
    """A table with ``keys``' labels as its head and ``rows`` (``<tr>`` lines) as its body."""
    head = "<table><thead><tr>" + "".join(f"<th>{_e(view.label(k))}</th>" for k in keys) + "</tr></thead><tbody>"
    return [head, *rows, "</tbody></table>"]


def _num(value: object) -> str:
    return f'<td class="num">{_e(value)}</td>'


def _findings(view: View, title: str, rows: tuple[FindingRow, ...]) -> list[str]:
    if not rows:
        return []
    keys = ("col.where", "col.cell", "col.value", "col.code", "col.message")
    lines = (
        f"<tr><td>{' › '.join(_e(p) for p in (f.file, f.sheet) if p)}</td><td>{_e(f.place)}</td>"
        f"<td>{_e(f.value)}</td><td><code>{_e(f.code)}</code></td><td>{_e(f.message)}</td></tr>"
        for f in rows
    )
    return [f"<h2>{_e(title)} ({len(rows)})</h2>", *_table(view, keys, lines)]


def _breakdown(view: View, breakdown: Breakdown) -> list[str]:
    keys = ("col.group", "col.rate", "col.fraction", "col.status")
    lines = (
        f"<tr><td>{_e(g.name)}</td>{_num(g.rate)}{_num(g.fraction)}<td>{badge(g.status, g.status_text)}</td></tr>"
        for g in breakdown.groups
    )
    return [f"<h3>{_e(breakdown.heading)}</h3>", *_table(view, keys, lines)]


def _indicator_table(view: View) -> list[str]:
    keys: tuple[str, ...] = ("col.id", "col.title", "col.rate", "col.target", "col.fraction", "col.excluded")
    keys += ("col.status", *view.extra_keys)
    lines = (
        f'<tr id="{_e(ind.id)}"><td>{_e(ind.id)}</td><td>{_e(ind.title)}</td>'
        + "".join(_num(c) for c in (ind.rate, ind.goal, ind.fraction, ind.excluded))
        + f"<td>{badge(ind.status, ind.status_text)}</td>"
        + "".join(_num(c) for c in view.extra_cells(ind))
        + "</tr>"
        for ind in view.indicators
    )
    note = [f'<p class="meta">{_e(view.compared_with)}</p>'] if view.compared else []
    if view.break_line:
        note.append(f'<p class="meta" id="break">{_e(view.break_line)}</p>')
    return [f"<h2>{_e(view.label('title.table'))}</h2>", *_table(view, keys, lines), *note]


def _units(view: View, title: str, rows: tuple[UnitRow, ...], where: bool) -> list[str]:
    if not rows:
        return []
    keys = ("col.group", "col.key", "col.name") + (("col.where",) if where else ())
    lines = (
        "<tr>"
        + "".join(f"<td>{_e(c)}</td>" for c in (u.group, u.key, u.name) + ((u.where,) if where else ()))
        + "</tr>"
        for u in rows
    )
    return [f"<h3>{_e(title)} ({len(rows)})</h3>", *_table(view, keys, lines)]


def _completeness(view: View) -> list[str]:
    """Who reported: each sheet's count, every missing unit and every unit the register does not know."""
    if not view.completeness:
        return []
    out = [f"<h2>{_e(view.label('title.completeness'))}</h2>", f'<p class="meta">{_e(view.register_line)}</p>']
    if view.notes:
        out.append("<ul>" + "".join(f"<li>{_e(note)}</li>" for note in view.notes) + "</ul>")
    for c in view.completeness:
        out.append(f"<p>{_e(c.heading)}</p>")
        out += _units(view, f"{c.sheet} · {view.label('title.missing')}", c.missing, where=False)
        out += _units(view, f"{c.sheet} · {view.label('title.unknown')}", c.unknown, where=True)
    return out


def _file_table(view: View) -> list[str]:
    keys = ("col.file", "col.sheets", "col.rows", "col.excluded", "col.layout", "col.errors", "col.warnings")
    lines = (
        f"<tr><td>{_e(f.file)}</td><td>{_e(f.sheets)}</td>"
        + "".join(_num(c) for c in (f.rows, f.excluded, f.layout, f.errors, f.warnings))
        + "</tr>"
        for f in view.files
    )
    return [f"<h2>{_e(view.label('title.files'))}</h2>", *_table(view, keys, lines)]


def _sheet_rows_table(view: View) -> list[str]:
    """How each sheet's rows were read, with their row numbers."""
    keys = ("col.file", "col.sheet", "col.header_row", "col.read_as", "col.count", "col.rows_at")
    lines = (
        f"<tr><td>{_e(r.file)}</td><td>{_e(r.sheet)}</td>{_num(r.header_row)}<td>{_e(r.kind)}</td>"
        f"{_num(r.count_text)}<td>{_e(r.rows)}</td></tr>"
        for r in view.sheet_rows
    )
    return [f"<h2>{_e(view.label('title.sheet_rows'))}</h2>", *_table(view, keys, lines)]


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Write the whole page (every finding, whatever ``max_findings``)."""
    view = build_view(report, options.lang)
    counts = report.status_counts
    badges = "".join(f"<span>{badge(s, view.label(f'status.{s}'))} {n}</span>" for s, n in counts.items())
    html = [
        *page_head(view.lang, view.title, f"{view.plan}\nqbplan {__version__} · {view.targets_line} · {view.date}"),
        f'<p class="counts">{badges}</p>',
        f"<h2>{_e(view.label('title.chart'))}</h2>",
        _chart(view),
    ]
    html += _indicator_table(view)
    for breakdown in view.breakdowns:
        html += _breakdown(view, breakdown)
    html += _completeness(view)
    html += _file_table(view)
    html += _sheet_rows_table(view)
    html += _findings(view, view.label("title.errors"), view.errors)
    html += _findings(view, view.label("title.warnings"), view.warnings)
    html.append("</body></html>")
    out.write("\n".join(html) + "\n")
