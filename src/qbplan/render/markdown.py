"""``--format markdown``: a merge-request comment (GitHub and GitLab flavour)."""

from __future__ import annotations

from typing import TextIO

from qbplan.i18n import format_int, format_percent, ui
from qbplan.render import RenderOptions, summary_text
from qbplan.results.report import Finding, Report

_ICONS = {"pass": "✅", "warn": "⚠️", "fail": "❌", "no_data": "➖"}


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, no line breaks."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def _where(f: Finding) -> str:
    parts = [p for p in (f.file, f.sheet, f.cell or (str(f.row) if f.row else None)) if p]
    return " › ".join(parts)


def _findings(lines: list[str], title: str, findings: list[Finding], limit: int, lang: str) -> None:
    if not findings:
        return
    lines += ["", f"### {title} ({len(findings)})", ""]
    lines.append(_row([ui("col.where", lang), ui("col.code", lang), ui("col.message", lang)]))
    lines.append("|---|---|---|")
    for f in findings[:limit]:
        lines.append(_row([_where(f), f"`{f.code}`", f.message]))
    if len(findings) > limit:
        lines += ["", "_" + cell(ui("more_findings", lang, n=len(findings) - limit)) + "_"]


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    """Indicators, files, then findings (up to ``max_findings`` of each kind)."""
    lang = report.lang
    lines = [f"## {ui('title.indicators', lang)}: {cell(report.plan_title)}", ""]
    lines.append(summary_text(report))
    lines.append("")
    header = ["col.id", "col.title", "col.rate", "col.target", "col.fraction", "col.excluded", "col.status"]
    lines.append(_row([ui(k, lang) for k in header]))
    lines.append("|---|---|--:|--:|--:|--:|---|")
    for ind in report.indicators:
        lines.append(
            _row(
                [
                    ind.id,
                    ind.title,
                    format_percent(ind.rate, lang),
                    ind.goal,
                    f"{format_int(ind.numerator, lang)}/{format_int(ind.denominator, lang)}",
                    format_int(ind.excluded_rows, lang),
                    f"{_ICONS[ind.status]} {ui(f'status.{ind.status}', lang)}",
                ]
            )
        )
    lines += ["", f"### {ui('title.files', lang)}", ""]
    header = ["col.file", "col.sheets", "col.rows", "col.excluded", "col.layout", "col.errors", "col.warnings"]
    lines.append(_row([ui(k, lang) for k in header]))
    lines.append("|---|---|--:|--:|--:|--:|--:|")
    for f in report.files:
        sheets = ", ".join(f.sheets) if f.readable else ui("unreadable", lang)
        lines.append(
            _row(
                [
                    f"`{f.file}`",
                    sheets,
                    format_int(f.rows_read, lang),
                    format_int(f.rows_excluded, lang),
                    format_int(sum(f.layout_rows.values()), lang),
                    f.errors,
                    f.warnings,
                ]
            )
        )
    _findings(lines, ui("title.errors", lang), report.errors, options.max_findings, lang)
    _findings(lines, ui("title.warnings", lang), report.warnings, options.max_findings, lang)
    out.write("\n".join(lines) + "\n")
