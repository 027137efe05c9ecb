"""The rows every history format shows, made once by :func:`history_view`."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from qbplan.history.store import RunInfo
from qbplan.history.trend import MIN_POINTS, Projection, Series
from qbplan.i18n import localized, ui
from qbplan.render.safe import visible
from qbplan.render.view import change_text, goal_text, rate_text, share_text, status_text


@dataclass(frozen=True, slots=True)
class PointRow:
    """One period of one indicator, as shown."""

    period: str  # "Năm 2024"
    key: str  # "2024"
    rate: str
    fraction: str
    target: str
    status: str
    status_text: str
    change: str  # "+3,2", "" for the first period
    run: str  # "#3"
    plan: str  # the plan it was saved under
    broken: bool = False  # saved under another plan than the period before: the series breaks here
    partial: bool = False  # saved while units were missing: its rate is a bound, drawn as a band


@dataclass(frozen=True, slots=True)
class SeriesRow:
    """One indicator across periods, as shown."""

    id: str
    title: str
    heading: str
    points: tuple[PointRow, ...]
    arrow: str  # ↑ ↓ → on the latest change, "" with one period
    projection: str  # one sentence, "" without enough yearly points
    series: Series


@dataclass(frozen=True)
class HistoryView:
    """The whole history, ready to lay out."""

    lang: str
    title: str
    plan: str
    db: str
    series: tuple[SeriesRow, ...]
    runs: tuple[RunInfo, ...]
    note: str  # the projection is a straight line, not a promise
    projections: tuple[tuple[str, str], ...]  # (id, sentence) of each indicator with one
    projected: bool  # some indicator has a projection, so the note is shown
    # "(*) …": a series runs across plans of a lineage and breaks where the structure changed; "" otherwise.
    break_note: str = ""

    def label(self, key: str, **params: object) -> str:
        """Interface text in the view's language."""
        return ui(key, self.lang, **params)


def _arrow(change: Fraction | None) -> str:
    if change is None:
        return ""
    return "↑" if change > 0 else ("↓" if change < 0 else "→")


def projection_text(p: Projection | None, s: Series, lang: str) -> str:
    """The projection in one sentence: met, reached in a year (on track or behind), or not at this pace."""
    if p is None:
        years = len({pt.period.year for pt in s.points if pt.period.kind == "year" and pt.rate is not None})
        return ui("history.too_few", lang, n=years, min=MIN_POINTS) if years else ""
    goal = goal_text(s.target, None, lang)
    slope = change_text(p.slope * 100, lang)
    return ui(_verdict(p), lang, goal=goal, year=p.reach_year, deadline=s.deadline, points=p.points, slope=slope)


def _verdict(p: Projection) -> str:
    """The message key of a projection: met already, never at this pace, or reached on time or late."""
    if p.met:
        return "history.met"
    if p.reach_year is None:
        return "history.never"
    return "history.on_track" if p.on_track else "history.behind"


def _point(s: Series, i: int, lang: str) -> PointRow:
    p = s.points[i]
    change = s.changes[i] if i < len(s.changes) else None
    broken = i in s.breaks
    return PointRow(
        period=p.period.label(lang) + (" (*)" if broken else ""),
        key=p.period.key,
        # A partial round as the check showed it: both bounds ("92,8–100,0 %", "26–28/28"), never a point.
        rate=rate_text(p, lang),
        fraction=share_text(p, lang),
        target=goal_text(p.target, None, lang),
        status=p.status,
        status_text=status_text("exceeded" if p.exceeded else p.status, lang),
        change="" if i == 0 else change_text(change, lang),
        run=f"#{p.run_id}",
        plan=p.plan_id,
        broken=broken,
        partial=p.partial,
    )


def history_view(
    series: list[Series], runs: list[RunInfo], lang: str, plan: str, db: str, with_runs: bool = False
) -> HistoryView:
    """The rows every history format shows."""
    rows = []
    for s in series:
        title = visible(localized(s.title_vi, s.title_en, lang))
        goal = goal_text(s.target, None, lang)
        rows.append(
            SeriesRow(
                id=s.id,
                title=title,
                heading=visible(ui("history.heading", lang, id=s.id, title=title, goal=goal, deadline=s.deadline)),
                points=tuple(_point(s, i, lang) for i in range(len(s.points))),
                arrow=_arrow(s.changes[-1]) if len(s.points) > 1 else "",
                projection=projection_text(s.projection, s, lang),
                series=s,
            )
        )
    return HistoryView(
        lang=lang,
        title=ui("history.title", lang),
        plan=visible(plan),
        db=visible(db),
        series=tuple(rows),
        runs=tuple(runs) if with_runs else (),
        note=ui("history.note", lang),
        projections=tuple((r.id, r.projection) for r in rows if r.projection),
        projected=any(r.series.projection for r in rows),
        break_note=_break_note(rows, lang),
    )


def _break_note(rows: list[SeriesRow], lang: str) -> str:
    """What the (*) on a period means: from there on, another plan and structure."""
    broken = sorted({p.plan for r in rows for p in r.points if p.broken})
    return visible(ui("history.break", lang, plans=", ".join(broken))) if broken else ""


# --- table


def latest_change(row: SeriesRow, i: int) -> str:
    """A point's change; the latest one with its arrow."""
    point = row.points[i]
    return f"{point.change} {row.arrow}" if i == len(row.points) - 1 and row.arrow else point.change
