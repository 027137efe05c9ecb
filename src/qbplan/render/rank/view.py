"""The rows every format of ``qbplan rank`` shows, made once, in the chosen language.

Renderers lay these out; the points, indices, grades and ranks come from
:mod:`qbplan.model.scores`. Rounding happens here, and only for display:
each row keeps the exact values for the formats that give them (JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from qbplan.i18n import localized, ui
from qbplan.i18n.numbers import format_decimal, format_int, format_percent
from qbplan.model.scores import CriterionScore, Ranking, UnitScore
from qbplan.model.wording import describe, place_text

POINT_DIGITS = 2
INDEX_DIGITS = 4


@dataclass(frozen=True)
class CardLine:
    """One criterion on a unit's scorecard."""

    id: str
    title: str
    pillar: str
    data: str
    rate: str
    rule: str
    points: str
    max: str
    counted: bool
    score: CriterionScore


@dataclass(frozen=True)
class RankRow:
    """One ranked (or omitted) unit, its numbers shown and kept."""

    rank: str
    key: str
    name: str
    pillars: tuple[str, ...]
    total: str
    most: str
    index: str
    grade: str
    note: str
    lines: tuple[CardLine, ...]
    unit: UnitScore


@dataclass(frozen=True)
class RankView:
    """A ranking as every format shows it."""

    lang: str
    title: str
    source: str
    by_label: str | None
    pillar_titles: tuple[str, ...]
    pillar_keys: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[RankRow, ...]
    omitted: tuple[RankRow, ...]
    summary: str
    rounding: str
    ranking: Ranking
    # The self-assessments' findings: (where, what), worded.
    self_lines: tuple[tuple[str, str], ...] = ()


def points_text(value: Fraction, lang: str) -> str:
    """Points as shown: 2 decimals, half away from zero."""
    return format_decimal(value, lang, POINT_DIGITS)


def index_text(value: Fraction, lang: str) -> str:
    """An index as shown: 4 decimals, half away from zero."""
    return format_decimal(value, lang, INDEX_DIGITS)


def rank_view(ranking: Ranking, lang: str) -> RankView:
    """The rows of ``ranking`` in ``lang``."""
    pillar_titles = tuple(localized(p.title_vi, p.title_en, lang) for p in ranking.pillars)
    first = ui("rank.col.group", lang) if ranking.by else ui("rank.col.key", lang)
    headers = (
        ui("rank.col.rank", lang),
        ranking.by_label or first,
        ui("rank.col.name", lang),
        *pillar_titles,
        ui("rank.col.total", lang),
        ui("rank.col.index", lang),
        ui("rank.col.grade", lang),
        ui("rank.col.note", lang),
    )
    rows = tuple(_row(u, ranking, lang) for u in ranking.units)
    omitted = tuple(_row(u, ranking, lang) for u in ranking.omitted)
    counts: dict[str, int] = {}
    for u in ranking.units:
        label = localized(u.grade.label_vi, u.grade.label_en, lang) if u.grade else ""
        counts[label] = counts.get(label, 0) + 1
    grades = ", ".join(
        f"{localized(g.label_vi, g.label_en, lang)} {counts.get(localized(g.label_vi, g.label_en, lang), 0)}"
        for g in ranking.grades
    )
    return RankView(
        lang=lang,
        title=localized(ranking.title_vi, ranking.title_en, lang),
        source=ranking.source,
        by_label=ranking.by_label,
        pillar_titles=pillar_titles,
        pillar_keys=tuple(p.key for p in ranking.pillars),
        headers=headers,
        rows=rows,
        omitted=omitted,
        summary=ui("rank.summary", lang, ranked=format_int(len(rows), lang), grades=grades),
        rounding=ui("rank.rounding", lang),
        ranking=ranking,
        self_lines=tuple(
            (place_text(f.file, f.sheet, f.cell, f.row), describe(f, lang)) for f in ranking.self_findings
        ),
    )


def _row(unit: UnitScore, ranking: Ranking, lang: str) -> RankRow:
    notes = []
    if unit.missing and not unit.missing_units:
        notes.append(ui("rank.missing", lang))
    if unit.missing_units:
        notes.append(ui("rank.missing_units", lang, count=format_int(unit.missing_units, lang)))
    pillars = []
    for p in ranking.pillars:
        points, most = unit.pillar(p.key)
        pillars.append(f"{points_text(points, lang)}/{points_text(most, lang)}" if most else "—")
    titles = {p.key: localized(p.title_vi, p.title_en, lang) for p in ranking.pillars}
    return RankRow(
        rank=str(unit.rank) if unit.rank is not None else "—",
        key=unit.key,
        name=unit.name or "",
        pillars=tuple(pillars),
        total=points_text(unit.total, lang),
        most=points_text(unit.most, lang),
        index=index_text(unit.index, lang),
        grade=localized(unit.grade.label_vi, unit.grade.label_en, lang) if unit.grade else "—",
        note="; ".join(notes),
        lines=tuple(_line(c, titles.get(c.pillar, c.pillar), lang) for c in unit.criteria),
        unit=unit,
    )


def _line(c: CriterionScore, pillar: str, lang: str) -> CardLine:
    if not c.applies:
        data = rate = ui("rank.not_applicable", lang)
    elif not c.denominator:
        data, rate = ui("rank.no_data", lang), "—"
    else:
        data = f"{format_int(c.numerator, lang)}/{format_int(c.denominator, lang)}"
        rate = format_percent(c.rate, lang)
    return CardLine(
        id=c.id,
        title=localized(c.title_vi, c.title_en, lang),
        pillar=pillar,
        data=data,
        rate=rate,
        rule=rule_text(c, lang),
        points=points_text(c.points, lang) if c.counted else "—",
        max=points_text(c.max, lang),
        counted=c.counted,
        score=c,
    )


def rule_text(c: CriterionScore, lang: str) -> str:
    """The rule a criterion was scored by, in words and numbers."""
    most = points_text(c.max, lang)
    if c.method == "linear":
        return ui("rank.rule.linear", lang, max=most)
    if c.method == "capped":
        return ui("rank.rule.capped", lang, target=format_percent(c.target, lang), max=most)
    if c.method == "bands":
        bands = "; ".join(
            ui("rank.band", lang, min=format_percent(low, lang), points=points_text(pts, lang)) for low, pts in c.bands
        )
        return ui("rank.rule.bands", lang, bands=bands)
    best = format_percent(c.best, lang) if c.best is not None else "—"
    return ui("rank.rule.best", lang, best=best, max=most)
