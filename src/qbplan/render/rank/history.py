"""``qbplan history --ranks``: each unit's index and rank across the periods saved by ``rank --save``."""

from __future__ import annotations

import csv
import json
from typing import Any

from rich.table import Table

from qbplan.history.ranks import UnitSeries
from qbplan.i18n import localized, ui
from qbplan.i18n.numbers import exact_text, rounded_number
from qbplan.render.csv import safe
from qbplan.render.rank.view import INDEX_DIGITS, index_text, points_text
from qbplan.render.table import text_console


def render_rank_history(series: list[UnitSeries], fmt: str, out: Any, lang: str, title: str, db: str) -> None:
    """Write the units' series in ``fmt`` (table, json or csv) to the text stream ``out``."""
    if fmt == "json":
        _json(series, out)
    elif fmt == "csv":
        _csv(series, out, lang)
    else:
        _table(series, out, lang, title, db)


def _periods(series: list[UnitSeries]) -> list[Any]:
    seen: dict[str, Any] = {}
    for unit in series:
        for p in unit.points:
            seen.setdefault(p.period.key, p.period)
    return sorted(seen.values(), key=lambda p: p.sort_key)


def _table(series: list[UnitSeries], out: Any, lang: str, title: str, db: str) -> None:
    console = text_console(out)
    periods = _periods(series)
    table = Table(title=title, title_justify="left")
    table.add_column(ui("rank.col.key", lang), no_wrap=True)
    table.add_column(ui("rank.col.name", lang), ratio=1, min_width=12, overflow="fold")
    for period in periods:
        # Each period: the index, and the rank under it.
        table.add_column(period.label(lang), justify="right", no_wrap=True)
    for unit in series:
        by_period = {p.period.key: p for p in unit.points}
        cells = []
        for period in periods:
            score = by_period.get(period.key)
            if score is None:
                cells.append("—")
            else:
                place = f"#{score.rank}" if score.rank is not None else "—"
                cells.append(
                    f"{index_text(score.index, lang)}\n{place} {localized(score.grade_vi, score.grade_en, lang)}"
                )
        table.add_row(unit.key, unit.name or "", *cells)
    console.print(table)
    console.print(ui("rank.history_note", lang, db=db))


def _json(series: list[UnitSeries], out: Any) -> None:
    doc = {
        "units": [
            {
                "key": unit.key,
                "name": unit.name,
                "points": [
                    {
                        "period": p.period.key,
                        "run": p.run_id,
                        "rank": p.rank,
                        "index": rounded_number(p.index, INDEX_DIGITS),
                        "index_exact": exact_text(p.index),
                        "total_exact": exact_text(p.total),
                        "most_exact": exact_text(p.most),
                        "grade": {"vi": p.grade_vi, "en": p.grade_en},
                        "missing": p.missing,
                    }
                    for p in unit.points
                ],
            }
            for unit in series
        ]
    }
    # One line, by the C encoder: an indented document of 3,000 units took longer than scoring them.
    out.write(json.dumps(doc, ensure_ascii=False))
    out.write("\n")


def _csv(series: list[UnitSeries], out: Any, lang: str) -> None:
    writer = csv.writer(out, lineterminator="\n")
    keys = ("rank.col.key", "rank.col.name", "col.period", "rank.col.rank", "rank.short.index", "rank.col.total",
            "rank.col.most", "rank.col.grade")  # fmt: skip
    writer.writerow([ui(k, lang) for k in keys])
    for unit in series:
        for p in unit.points:
            row = (unit.key, unit.name or "", p.period.key, p.rank or "",
                   index_text(p.index, lang), points_text(p.total, lang), points_text(p.most, lang),
                   localized(p.grade_vi, p.grade_en, lang))  # fmt: skip
            writer.writerow([safe(c) for c in row])
