"""The rows every format of ``qbplan rank`` shows, made once, in the chosen language.

Renderers lay these out; the points, indices, grades and ranks come from
:mod:`qbplan.model.scores`. Rounding happens here, and only for display:
each row keeps the exact values for the formats that give them (JSON).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache

from qbplan.i18n import localized, ui
from qbplan.i18n.numbers import format_decimal, format_int, format_percent
from qbplan.model.scores import CriterionScore, Ranking, UnitScore
from qbplan.model.wording import describe, place_text
from qbplan.render.view import group_name

POINT_DIGITS = 2
INDEX_DIGITS = 4


@dataclass(frozen=True)
class _Rule:
    method: str
    max: Fraction
    target: Fraction
    bands: tuple[tuple[Fraction, Fraction], ...]
    best: Fraction | None


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
    """One ranked (or omitted) unit, its numbers shown and kept.

    The shown numbers are worded when a format asks for them (JSON gives the
    exact ones instead): thousands of units are otherwise worded for nothing.
    """

    rank: str
    key: str
    name: str
    grade: str
    note: str
    lines: tuple[CardLine, ...]
    unit: UnitScore
    lang: str = "vi"
    pillar_keys: tuple[str, ...] = ()

    @cached_property
    def pillars(self) -> tuple[str, ...]:
        """Each pillar's "points/most", or "—" when none of its criteria counts for the unit."""
        out = []
        for key in self.pillar_keys:
            points, most = self.unit.pillar(key)
            out.append(f"{points_text(points, self.lang)}/{points_text(most, self.lang)}" if most else "—")
        return tuple(out)

    @cached_property
    def total(self) -> str:
        """The points earned, shown."""
        return points_text(self.unit.total, self.lang)

    @cached_property
    def most(self) -> str:
        """The most points the unit could have earned, shown."""
        return points_text(self.unit.most, self.lang)

    @cached_property
    def index(self) -> str:
        """The index, shown to 4 decimals."""
        return index_text(self.unit.index, self.lang)


@dataclass(frozen=True)
class RankView:
    """A ranking as every format shows it."""

    lang: str
    title: str
    source: str
    # The --by column's label, or None: each unit on its own.
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


def rank_view(ranking: Ranking, lang: str, *, cards: bool = False) -> RankView:
    """The rows of ``ranking`` in ``lang``; with ``cards``, each unit's criteria worded for its scorecard."""
    pillar_titles = tuple(localized(p.title_vi, p.title_en, lang) for p in ranking.pillars)
    grouping = ranking.grouping
    first = ui("rank.col.group", lang) if grouping else ui("rank.col.key", lang)
    headers = (
        ui("rank.col.rank", lang),
        grouping.label if grouping else first,
        ui("rank.col.name", lang),
        *pillar_titles,
        ui("rank.col.total", lang),
        ui("rank.col.index", lang),
        ui("rank.col.grade", lang),
        ui("rank.col.note", lang),
    )
    rows = tuple(_row(u, ranking, lang, cards) for u in ranking.units)
    omitted = tuple(_row(u, ranking, lang, cards) for u in ranking.omitted)
    counts = Counter(u.grade for u in ranking.units)
    grades = ", ".join(f"{localized(g.label_vi, g.label_en, lang)} {counts[g]}" for g in ranking.grades)
    return RankView(
        lang=lang,
        title=localized(ranking.title_vi, ranking.title_en, lang),
        source=ranking.source,
        by_label=grouping.label if grouping else None,
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


def _row(unit: UnitScore, ranking: Ranking, lang: str, cards: bool) -> RankRow:
    notes = []
    if unit.missing and not unit.missing_units:
        notes.append(ui("rank.missing", lang))
    if unit.missing_units:
        notes.append(ui("rank.missing_units", lang, count=format_int(unit.missing_units, lang)))
    titles = {p.key: localized(p.title_vi, p.title_en, lang) for p in ranking.pillars} if cards else {}
    return RankRow(
        rank=str(unit.rank) if unit.rank is not None else "—",
        # A group as people read it: an enum's label, a blank district as "Cấp tỉnh".
        key=group_name(unit.key or None, ranking.grouping, lang) if ranking.grouping else unit.key,
        name=unit.name or "",
        grade=localized(unit.grade.label_vi, unit.grade.label_en, lang) if unit.grade else "—",
        note="; ".join(notes),
        # Worded only for the scorecards: thousands of units × criteria cost more than the scoring.
        lines=tuple(_line(c, titles.get(c.pillar, c.pillar), lang) for c in unit.criteria) if cards else (),
        unit=unit,
        lang=lang,
        pillar_keys=tuple(p.key for p in ranking.pillars),
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
    return _rule_text(c.method, c.max, c.target, c.bands, c.best, lang)


@lru_cache(maxsize=4096)
def _rule_text(
    method: str,
    most_points: Fraction,
    target: Fraction,
    bands: tuple[tuple[Fraction, Fraction], ...],
    best_rate: Fraction | None,
    lang: str,
) -> str:
    # The same few rules for thousands of units: worded once each.
    c = _Rule(method, most_points, target, bands, best_rate)
    most = points_text(c.max, lang)
    if c.method == "linear":
        return ui("rank.rule.linear", lang, max=most)
    if c.method == "capped":
        return ui("rank.rule.capped", lang, target=format_percent(c.target, lang), max=most)
    if c.method == "bands":
        words = "; ".join(
            ui("rank.band", lang, min=format_percent(low, lang), points=points_text(pts, lang)) for low, pts in c.bands
        )
        return ui("rank.rule.bands", lang, bands=words)
    best = format_percent(c.best, lang) if c.best is not None else "—"
    return ui("rank.rule.best", lang, best=best, max=most)
