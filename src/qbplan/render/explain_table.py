"""How ``qbplan explain`` shows an :class:`~qbplan.explain.Explanation`: a table or JSON."""

from __future__ import annotations

import json
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from qbplan.i18n import localized, ui
from qbplan.i18n.numbers import format_int, format_percent
from qbplan.model.explain import Explanation, GroupGap, RowGap
from qbplan.render.options import RenderOptions
from qbplan.render.table import STYLES, console_for
from qbplan.render.view import IndicatorRow, fraction_text, group_name, grouping_label, indicator_row, status_text


def _status(status: str, lang: str, exceeded: bool = False) -> Text:
    # VƯỢT (met and beyond) in check's words, in the style of a pass.
    return Text(status_text("exceeded" if exceeded else status, lang), style=STYLES[status])


def _headline(console: Console, exp: Explanation, ind: IndicatorRow, lang: str) -> None:
    headline = ui(
        "explain.title", lang, id=ind.id, title=ind.title, rate=ind.rate, fraction=ind.fraction, goal=ind.goal
    )
    console.print(Text.assemble((headline, "bold"), " — ", _status(ind.status, lang, ind.result.exceeded)))
    if exp.gap:
        unit = exp.spec.unit(lang)
        text = ui("explain.gap", lang, gap=format_int(exp.gap, lang), unit=unit, goal=ind.goal)
        if ind.result.bounds is not None:
            note = ui("explain.gap_missing", lang, n=format_int(ind.result.missing, lang))
            text = f"{text.removesuffix('.')} {note}."
        console.print(Text(text))
    elif ind.result.denominator:
        console.print(Text(ui("explain.met", lang, goal=ind.goal)))


def _groups(console: Console, groups: list[GroupGap], exp: Explanation, lang: str) -> None:
    title = ui("explain.groups", lang, by=grouping_label(exp.report))
    table = Table(title=Text(title), title_justify="left")
    for key in ("col.group", "col.rate", "col.fraction", "col.gap", "col.status"):
        table.add_column(ui(key, lang), justify="right" if key in ("col.rate", "col.fraction", "col.gap") else "left")
    for g in groups:
        table.add_row(
            Text(group_name(g.group, exp.report.grouping, lang)),
            format_percent(g.rate, lang),
            fraction_text(g.numerator, g.denominator, lang),
            format_int(g.gap, lang) if g.gap else "",
            _status(g.status, lang, g.exceeded),
        )
    console.print(table)


def _rows(console: Console, rows: list[RowGap], total: int, lang: str) -> None:
    table = Table(title=ui("explain.rows", lang, shown=len(rows), total=total), title_justify="left")
    for key in ("col.key", "col.name", "col.group", "col.rate", "col.fraction", "col.gap", "col.status", "col.where"):
        table.add_column(ui(key, lang), overflow="fold")
    for r in rows:
        table.add_row(
            Text(r.key or ""),
            Text(r.name or ""),
            Text(r.group or ""),
            format_percent(r.rate, lang),
            fraction_text(r.numerator, r.denominator, lang),
            format_int(r.gap, lang) if r.gap else "",
            _status(r.status, lang, r.exceeded),
            Text(f"{r.file} › {r.sheet} › {r.row}"),
        )
    console.print(table)


def _missing(console: Console, exp: Explanation, top: int, lang: str) -> None:
    if not exp.missing:
        return
    table = Table(title=ui("explain.missing", lang, n=format_int(len(exp.missing), lang)), title_justify="left")
    for key in ("col.key", "col.name", "col.group"):
        table.add_column(ui(key, lang), overflow="fold")
    for u in exp.missing[:top]:
        group = group_name(u.group, exp.report.grouping, lang) if u.group or exp.report.grouping else ""
        table.add_row(Text(u.key), Text(u.name or ""), Text(group))
    console.print(table)
    if len(exp.missing) > top:
        console.print(Text(ui("explain.more_units", lang, n=format_int(len(exp.missing) - top, lang)), style="dim"))


def render_table(exp: Explanation, out: TextIO, options: RenderOptions, top: int) -> None:
    """The headline, the gap, the units that did not report, the groups and the rows with the biggest gaps."""
    lang = options.lang
    console = console_for(out, options)
    row = indicator_row(exp.indicator, lang)
    _headline(console, exp, row, lang)
    if row.note:
        console.print(Text(row.note, style="magenta"))
    # Who did not report comes first: nothing they could do changes a number until they do.
    _missing(console, exp, top, lang)
    if exp.groups and exp.by:
        _groups(console, exp.groups, exp, lang)
    _rows(console, exp.rows[:top], len(exp.rows), lang)
    report = exp.report
    if report.errors or report.warnings:
        text = ui("explain.findings", lang, errors=len(report.errors), warnings=len(report.warnings))
        console.print(Text(text, style="dim"))


def _rate(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def render_json(exp: Explanation, out: TextIO, options: RenderOptions) -> None:
    """The whole explanation as one JSON document."""
    ind = exp.indicator
    doc = {
        "indicator": ind.id,
        "title": localized(ind.title_vi, ind.title_en, options.lang),
        "numerator": ind.numerator,
        "denominator": ind.denominator,
        "rate": _rate(ind.rate),
        "target": float(ind.target),
        "status": ind.status,
        "exceeded": ind.exceeded,
        **(
            {"coverage": {"expected": ind.coverage.expected, "reported": ind.coverage.reported}} if ind.coverage else {}
        ),
        "missing": [{"key": u.key, "name": u.name, "group": u.group} for u in exp.missing],
        "unit": exp.spec.unit(options.lang),
        "gap": exp.gap,
        "by": exp.by,
        "groups": [
            {
                "group": g.group,
                "numerator": g.numerator,
                "denominator": g.denominator,
                "rate": _rate(g.rate),
                "status": g.status,
                "exceeded": g.exceeded,
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
                "exceeded": r.exceeded,
                "gap": r.gap,
            }
            for r in exp.rows
        ],
        "errors": len(exp.report.errors),
        "warnings": len(exp.report.warnings),
    }
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")
