"""``--format markdown``: a merge-request comment (GitHub and GitLab flavour)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from qbplan.model.report import Report
from qbplan.render.options import RenderOptions
from qbplan.render.safe import markdown_text
from qbplan.render.view import FindingRow, UnitRow, View, build_view

_ICONS = {"pass": "✅", "warn": "⚠️", "fail": "❌", "incomplete": "❔", "no_data": "➖"}


def cell(text: object) -> str:
    """Text inert inside a Markdown table cell: markup, links, HTML, mentions and pipes escaped, one line."""
    return markdown_text(str(text))


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def _findings(lines: list[str], view: View, title: str, rows: tuple[FindingRow, ...], total: int) -> None:
    if not rows:
        return
    lines += ["", f"### {title} ({total})", ""]
    lines.append(_row([view.label("col.where"), view.label("col.code"), view.label("col.message")]))
    lines.append("|---|---|---|")
    for f in rows:
        lines.append(_row([f.where, f.code, f.message]))
    more = view.more(len(rows), total)
    if more:
        lines += ["", "_" + cell(more) + "_"]


def _units(lines: list[str], view: View, title: str, rows: tuple[UnitRow, ...], limit: int, where: bool) -> None:
    if not rows:
        return
    keys = ["col.group", "col.key", "col.name"] + (["col.where"] if where else [])
    lines += ["", f"#### {cell(title)} ({len(rows)})", ""]
    lines.append(_row([view.label(k) for k in keys]))
    lines.append("|" + "---|" * len(keys))
    for u in rows[:limit]:
        lines.append(_row([u.group, u.key, u.name] + ([u.where] if where else [])))
    more = view.more(min(limit, len(rows)), len(rows))
    if more:
        lines += ["", "_" + cell(more) + "_"]


def _completeness(lines: list[str], view: View, limit: int) -> None:
    if not view.completeness:
        return
    lines += ["", f"### {view.label('title.completeness')}", "", cell(view.register_line)]
    lines += [""] + [f"- {cell(note)}" for note in view.notes]
    for c in view.completeness:
        lines += ["", cell(c.heading)]
        _units(lines, view, f"{c.sheet} · {view.label('title.missing')}", c.missing, limit, where=False)
        _units(lines, view, f"{c.sheet} · {view.label('title.unknown')}", c.unknown, limit, where=True)


def _indicator_table(lines: list[str], view: View) -> None:
    header = ["col.id", "col.title", "col.rate", "col.target", "col.fraction", "col.excluded", "col.status"]
    extra = list(view.extra_keys)
    lines.append(_row([view.label(k) for k in header + extra]))
    lines.append("|---|---|--:|--:|--:|--:|---|" + "--:|" * len(extra))
    for ind in view.indicators:
        status = f"{_ICONS[ind.status]} {ind.status_text}"
        cells = [ind.id, ind.title, ind.rate, ind.goal, ind.fraction, ind.excluded, status, *view.extra_cells(ind)]
        lines.append(_row(cells))
    if view.compared:
        lines += ["", cell(view.compared_with)]
        if view.break_line:
            lines += ["", cell(view.break_line)]


def _breakdowns(lines: list[str], view: View) -> None:
    for breakdown in view.breakdowns:
        lines += ["", f"#### {cell(breakdown.heading)}", ""]
        lines.append(_row([view.label(k) for k in ("col.group", "col.rate", "col.fraction", "col.status")]))
        lines.append("|---|--:|--:|---|")
        for g in breakdown.groups:
            lines.append(_row([g.name, g.rate, g.fraction, f"{_ICONS[g.status]} {g.status_text}"]))


def _files(lines: list[str], view: View) -> None:
    lines += ["", f"### {view.label('title.files')}", ""]
    header = ["col.file", "col.sheets", "col.rows", "col.excluded", "col.layout", "col.errors", "col.warnings"]
    lines.append(_row([view.label(k) for k in header]))
    lines.append("|---|---|--:|--:|--:|--:|--:|")
    for f in view.files:
        lines.append(_row([f.file, f.sheets, f.rows, f.excluded, f.layout, f.errors, f.warnings]))


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Indicators, breakdowns, who reported, files, then findings (up to ``max_findings`` of each kind)."""
    view = build_view(report, options.lang, options.max_findings)
    lines = [f"## {view.title}: {cell(view.plan)}", "", view.summary, "", cell(view.targets_line), ""]
    _indicator_table(lines, view)
    _breakdowns(lines, view)
    _completeness(lines, view, options.max_findings)
    _files(lines, view)
    _findings(lines, view, view.label("title.errors"), view.errors, len(report.errors))
    _findings(lines, view, view.label("title.warnings"), view.warnings, len(report.warnings))
    out.write("\n".join(lines) + "\n")
