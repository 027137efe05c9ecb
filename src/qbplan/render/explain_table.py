"""How ``qbplan explain`` shows an :class:`~qbplan.explain.Explanation`: a table or JSON."""

from __future__ import annotations

import json
from typing import TextIO

from rich.table import Table
from rich.text import Text

from qbplan.i18n import format_int, format_percent, ui
from qbplan.render import RenderOptions
from qbplan.render.table import STYLES, console_for
from qbplan.tools.explain import Explanation


def _fraction(num: int, den: int, lang: str) -> str:
    return f"{format_int(num, lang)}/{format_int(den, lang)}"


def _status(status: str, lang: str) -> Text:
    return Text(ui(f"status.{status}", lang), style=STYLES[status])


def render_table(exp: Explanation, out: TextIO, options: RenderOptions, lang: str, top: int) -> None:
    """The headline, the gap, the groups and the rows with the biggest gaps."""
    console = console_for(out, options)
    ind = exp.indicator
    headline = ui(
        "explain.title",
        lang,
        id=ind.id,
        title=ind.title,
        rate=format_percent(ind.rate, lang),
        fraction=_fraction(ind.numerator, ind.denominator, lang),
        goal=ind.goal,
    )
    console.print(Text.assemble((headline, "bold"), " — ", _status(ind.status, lang)))
    if exp.gap:
        console.print(ui("explain.gap", lang, gap=format_int(exp.gap, lang), unit=exp.unit, goal=ind.goal))
    elif ind.denominator:
        console.print(ui("explain.met", lang, goal=ind.goal))
    if exp.groups and exp.by:
        table = Table(title=ui("explain.groups", lang, by=exp.by), title_justify="left")
        for key in ("col.group", "col.rate", "col.fraction", "col.gap", "col.status"):
            table.add_column(
                ui(key, lang), justify="right" if key in ("col.rate", "col.fraction", "col.gap") else "left"
            )
        for g in exp.groups:
            table.add_row(
                g.group if g.group is not None else ui("group.none", lang),
                format_percent(g.rate, lang),
                _fraction(g.numerator, g.denominator, lang),
                format_int(g.gap, lang) if g.gap else "",
                _status(g.status, lang),
            )
        console.print(table)
    shown = exp.rows[:top]
    table = Table(title=ui("explain.rows", lang, shown=len(shown), total=len(exp.rows)), title_justify="left")
    for key in ("col.key", "col.name", "col.group", "col.rate", "col.fraction", "col.gap", "col.status", "col.where"):
        table.add_column(ui(key, lang), overflow="fold")
    for r in shown:
        table.add_row(
            r.key or "",
            r.name or "",
            r.group or "",
            format_percent(r.rate, lang),
            _fraction(r.numerator, r.denominator, lang),
            format_int(r.gap, lang) if r.gap else "",
            _status(r.status, lang),
            f"{r.file} › {r.sheet} › {r.row}",
        )
    console.print(table)
    report = exp.report
    if report.errors or report.warnings:
        console.print(
            ui("explain.findings", lang, errors=len(report.errors), warnings=len(report.warnings)), style="dim"
        )


def _rate(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def render_json(exp: Explanation, out: TextIO) -> None:
    """The whole explanation as one JSON document."""
    ind = exp.indicator
    doc = {
        "indicator": ind.id,
        "title": ind.title,
        "numerator": ind.numerator,
        "denominator": ind.denominator,
        "rate": _rate(ind.rate),
        "target": float(ind.target),
        "status": ind.status,
        "unit": exp.unit,
        "gap": exp.gap,
        "by": exp.by,
        "groups": [
            {
                "group": g.group,
                "numerator": g.numerator,
                "denominator": g.denominator,
                "rate": _rate(g.rate),
                "status": g.status,
                "gap": g.gap,
                "rows": g.rows,
            }
            for g in exp.groups
        ],
        "rows": [
            {
                "key": r.key,
                "name": r.name,
                "group": r.group,
                "file": r.file,
                "sheet": r.sheet,
                "row": r.row,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "rate": _rate(r.rate),
                "status": r.status,
                "gap": r.gap,
            }
            for r in exp.rows
        ],
        "errors": len(exp.report.errors),
        "warnings": len(exp.report.warnings),
    }
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")
