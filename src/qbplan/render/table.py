"""``--format table`` (default): Rich tables for a planner at a terminal."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from qbplan.i18n import format_int, format_percent, ui
from qbplan.render import RenderOptions, summary_text
from qbplan.results.report import Finding, Report

STYLES = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red", "no_data": "dim"}


def _status(status: str, lang: str) -> Text:
    return Text(ui(f"status.{status}", lang), style=STYLES[status])


def _where(f: Finding) -> str:
    parts = [p for p in (f.file, f.sheet, f.cell or (str(f.row) if f.row else None)) if p]
    return " › ".join(parts)


def _findings(console: Console, title: str, findings: list[Finding], limit: int, lang: str) -> None:
    if not findings:
        return
    table = Table(title=f"{title} ({len(findings)})", title_justify="left", show_lines=False)
    table.add_column(ui("col.where", lang), overflow="fold")
    table.add_column(ui("col.code", lang), no_wrap=True)
    table.add_column(ui("col.message", lang), overflow="fold")
    for f in findings[:limit]:
        table.add_row(_where(f), f.code, f.message)
    console.print(table)
    if len(findings) > limit:
        console.print(ui("more_findings", lang, n=len(findings) - limit), style="dim")


def console_for(out: TextIO, options: RenderOptions) -> Console:
    """A Rich console on ``out``: colour only on a terminal, and not with NO_COLOR."""
    return Console(
        file=out,
        force_terminal=options.color,
        no_color=options.color is False or None,
        # Piped output is not bound to 80 columns: keep every column readable.
        width=options.width or (None if out.isatty() else 120),
        highlight=False,
    )


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Print the indicator table, breakdowns, findings and a summary line."""
    lang = report.lang
    console = console_for(out, options)
    table = Table(title=f"{ui('title.indicators', lang)}: {report.plan_title}", title_justify="left")
    table.add_column(ui("col.id", lang), no_wrap=True)
    table.add_column(ui("col.title", lang), ratio=1, min_width=24, overflow="fold")
    table.add_column(ui("col.rate", lang), justify="right", no_wrap=True)
    table.add_column(ui("col.target", lang), justify="right", no_wrap=True)
    table.add_column(ui("col.fraction", lang), justify="right", no_wrap=True)
    show_excluded = any(ind.excluded_rows for ind in report.indicators)
    if show_excluded:
        table.add_column(ui("col.excluded", lang), justify="right", no_wrap=True)
    table.add_column(ui("col.status", lang), no_wrap=True)
    for ind in report.indicators:
        cells: list[str | Text] = [
            ind.id,
            ind.title,
            format_percent(ind.rate, lang),
            ind.goal,
            f"{format_int(ind.numerator, lang)}/{format_int(ind.denominator, lang)}",
        ]
        if show_excluded:
            cells.append(format_int(ind.excluded_rows, lang) if ind.excluded_rows else "")
        cells.append(_status(ind.status, lang))
        table.add_row(*cells)
    console.print(table)

    if report.by:
        for ind in report.indicators:
            if not ind.breakdown:
                continue
            sub = Table(title=f"{ind.id} · {ui('title.breakdown', lang, by=report.by)}", title_justify="left")
            sub.add_column(ui("col.group", lang))
            sub.add_column(ui("col.rate", lang), justify="right")
            sub.add_column(ui("col.fraction", lang), justify="right")
            sub.add_column(ui("col.status", lang))
            for g in ind.breakdown:
                sub.add_row(
                    g.group if g.group is not None else ui("group.none", lang),
                    format_percent(g.rate, lang),
                    f"{format_int(g.numerator, lang)}/{format_int(g.denominator, lang)}",
                    _status(g.status, lang),
                )
            console.print(sub)

    files = Table(title=ui("title.files", lang), title_justify="left")
    for key in ("col.file", "col.sheets", "col.rows", "col.excluded", "col.layout", "col.errors", "col.warnings"):
        files.add_column(ui(key, lang), overflow="fold")
    for f in report.files:
        sheets = ", ".join(f.sheets) if f.readable else ui("unreadable", lang)
        files.add_row(
            f.file,
            sheets,
            format_int(f.rows_read, lang),
            format_int(f.rows_excluded, lang),
            format_int(sum(f.layout_rows.values()), lang),
            format_int(f.errors, lang),
            format_int(f.warnings, lang),
        )
    console.print(files)

    _findings(console, ui("title.errors", lang), report.errors, options.max_findings, lang)
    _findings(console, ui("title.warnings", lang), report.warnings, options.max_findings, lang)
    console.print(summary_text(report))
