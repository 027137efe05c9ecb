"""``--format html``: one self-contained page to show at a meeting.

No script, no font, no image from the network: the styles are inline and the
chart is an SVG drawn in the page. It holds the pass/fail table, a chart of
each indicator's rate against its target, the breakdown (with ``--by``), the
files read, and the findings with their cells.
"""

from __future__ import annotations

from html import escape
from typing import TextIO

from qbplan import __version__
from qbplan.i18n import format_int, format_percent, ui
from qbplan.render import RenderOptions
from qbplan.results.report import Finding, GroupResult, IndicatorResult, Report

COLORS = {"pass": "#1a7f37", "warn": "#b08800", "fail": "#cf222e", "no_data": "#8c959f"}

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
@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _badge(status: str, lang: str) -> str:
    return f'<span class="badge" style="background:{COLORS[status]}">{_e(ui(f"status.{status}", lang))}</span>'


def _fraction(num: int, den: int, lang: str) -> str:
    return f"{format_int(num, lang)}/{format_int(den, lang)}"


def _chart(indicators: list[IndicatorResult], lang: str) -> str:
    """Horizontal bars of rate, with a black tick at each target."""
    label_w, bar_w, row_h, pad = 70, 760, 26, 8
    width = label_w + bar_w + 80
    height = pad * 2 + row_h * len(indicators) + 20
    parts = [
        f'<svg role="img" aria-label="{_e(ui("title.chart", lang))}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in range(0, 101, 20):
        x = label_w + bar_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{height - 20}" stroke="#eaeef2"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 5}" text-anchor="middle" fill="#57606a">{tick}%</text>')
    for i, ind in enumerate(indicators):
        y = pad + i * row_h
        rate = float(ind.rate) if ind.rate is not None else 0.0
        target = float(ind.target)
        parts.append(f'<text x="0" y="{y + 17}">{_e(ind.id)}</text>')
        parts.append(
            f'<rect class="bar" x="{label_w}" y="{y + 5}" width="{bar_w * min(rate, 1.0):.1f}" height="{row_h - 10}" '
            f'fill="{COLORS[ind.status]}"><title>{_e(ind.title)}: {_e(format_percent(ind.rate, lang))}</title></rect>'
        )
        tx = label_w + bar_w * min(target, 1.0)
        parts.append(
            f'<line class="target" x1="{tx:.1f}" y1="{y + 1}" x2="{tx:.1f}" y2="{y + row_h - 1}" '
            f'stroke="#1f2328" stroke-width="3"><title>{_e(ui("col.target", lang))}: {_e(ind.goal)}</title></line>'
        )
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 17}">{_e(format_percent(ind.rate, lang))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _where(f: Finding) -> str:
    return " › ".join(_e(p) for p in (f.file, f.sheet) if p)


def _findings(title: str, findings: list[Finding], lang: str) -> list[str]:
    if not findings:
        return []
    out = [f"<h2>{_e(title)} ({len(findings)})</h2>", "<table><thead><tr>"]
    for key in ("col.where", "col.cell", "col.value", "col.code", "col.message"):
        out.append(f"<th>{_e(ui(key, lang))}</th>")
    out.append("</tr></thead><tbody>")
    for f in findings:
        cell = f.cell or (str(f.row) if f.row else "")
        value = "" if f.value is None else f.value
        out.append(
            f"<tr><td>{_where(f)}</td><td>{_e(cell)}</td><td>{_e(value)}</td>"
            f"<td><code>{_e(f.code)}</code></td><td>{_e(f.message)}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _breakdown(ind: IndicatorResult, groups: tuple[GroupResult, ...], by: str, lang: str) -> list[str]:
    out = [f"<h3>{_e(ind.id)} · {_e(ui('title.breakdown', lang, by=by))}</h3><table><thead><tr>"]
    for key in ("col.group", "col.rate", "col.fraction", "col.status"):
        out.append(f"<th>{_e(ui(key, lang))}</th>")
    out.append("</tr></thead><tbody>")
    for g in groups:
        name = g.group if g.group is not None else ui("group.none", lang)
        out.append(
            f'<tr><td>{_e(name)}</td><td class="num">{_e(format_percent(g.rate, lang))}</td>'
            f'<td class="num">{_e(_fraction(g.numerator, g.denominator, lang))}</td>'
            f"<td>{_badge(g.status, lang)}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Write the whole page."""
    lang = report.lang
    counts = report.status_counts
    html = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(ui('title.indicators', lang))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(ui('title.indicators', lang))}</h1>",
        f'<p class="meta">{_e(report.plan_title)}<br>qbplan {_e(__version__)} · {_e(report.targets_file)}</p>',
        '<p class="counts">' + "".join(f"<span>{_badge(s, lang)} {n}</span>" for s, n in counts.items()) + "</p>",
        f"<h2>{_e(ui('title.chart', lang))}</h2>",
        _chart(report.indicators, lang),
        f"<h2>{_e(ui('title.table', lang))}</h2><table><thead><tr>",
    ]
    for key in ("col.id", "col.title", "col.rate", "col.target", "col.fraction", "col.excluded", "col.status"):
        html.append(f"<th>{_e(ui(key, lang))}</th>")
    html.append("</tr></thead><tbody>")
    for ind in report.indicators:
        html.append(
            f'<tr id="{_e(ind.id)}"><td>{_e(ind.id)}</td><td>{_e(ind.title)}</td>'
            f'<td class="num">{_e(format_percent(ind.rate, lang))}</td><td class="num">{_e(ind.goal)}</td>'
            f'<td class="num">{_e(_fraction(ind.numerator, ind.denominator, lang))}</td>'
            f'<td class="num">{_e(format_int(ind.excluded_rows, lang))}</td><td>{_badge(ind.status, lang)}</td></tr>'
        )
    html.append("</tbody></table>")
    if report.by:
        for ind in report.indicators:
            if ind.breakdown:
                html += _breakdown(ind, ind.breakdown, report.by, lang)
    html.append(f"<h2>{_e(ui('title.files', lang))}</h2><table><thead><tr>")
    for key in ("col.file", "col.sheets", "col.rows", "col.excluded", "col.layout", "col.errors", "col.warnings"):
        html.append(f"<th>{_e(ui(key, lang))}</th>")
    html.append("</tr></thead><tbody>")
    for f in report.files:
        sheets = ", ".join(f.sheets) if f.readable else ui("unreadable", lang)
        cells = [f.rows_read, f.rows_excluded, sum(f.layout_rows.values()), f.errors, f.warnings]
        html.append(
            f"<tr><td>{_e(f.file)}</td><td>{_e(sheets)}</td>"
            + "".join(f'<td class="num">{_e(format_int(c, lang))}</td>' for c in cells)
            + "</tr>"
        )
    html.append("</tbody></table>")
    html += _findings(ui("title.errors", lang), report.errors, lang)
    html += _findings(ui("title.warnings", lang), report.warnings, lang)
    html.append("</body></html>")
    out.write("\n".join(html) + "\n")
