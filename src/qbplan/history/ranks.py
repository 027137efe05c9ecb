"""``history --ranks``: each unit's index and rank over the periods ``qbplan rank --save`` kept."""

from __future__ import annotations

from dataclasses import dataclass

from qbplan.config.targets import Targets
from qbplan.history.location import Database, HistoryError
from qbplan.history.periods import Period
from qbplan.history.store import SavedScore, open_store
from qbplan.history.trend import nearest, within


@dataclass(frozen=True)
class UnitSeries:
    """One unit's scores, one per period, oldest first."""

    key: str
    name: str | None
    points: tuple[SavedScore, ...]


def read_rank_history(
    db: Database,
    targets: Targets,
    start: Period | None = None,
    end: Period | None = None,
    *,
    any_plan: bool = False,
) -> tuple[list[UnitSeries], str]:
    """Each unit's saved scores of the targets' plan (and the plans it follows), between ``start`` and ``end``,
    and the plan they were saved under.

    A period is taken from the nearest plan of the lineage that ranked it.
    With ``any_plan`` (no targets file was named), the one plan the database
    holds rankings of is taken when the default plan has none: rankings are
    saved under the scoring plan's own id. An error (exit 2) otherwise, naming
    the plans that have rankings and the targets file to give for each.
    """
    lineage = targets.lineage()
    with open_store(db, create=False) as store:
        chosen = nearest(lineage, {plan: store.scores(plan) for plan in lineage})
        plan_used = targets.plan.id
        where = str(store.where)
        ranked = store.ranked_plans() if not chosen else []
        if not chosen and any_plan and len(ranked) == 1:
            plan_used = ranked[0][0]
            chosen = store.scores(plan_used)
    if not chosen:
        found = ", ".join(f"{plan} (-t {file})" for plan, file in ranked)
        if found:
            raise HistoryError("history-ranks-other-plan", file=where, plan=targets.plan.id, found=found)
        raise HistoryError("history-no-ranks", file=where, plan=targets.plan.id)
    units: dict[str, list[SavedScore]] = {}
    names: dict[str, str | None] = {}
    for score in chosen:
        if within(score.period, start, end):
            units.setdefault(score.unit_key, []).append(score)
            names[score.unit_key] = score.unit_name or names.get(score.unit_key)
    series = [
        UnitSeries(key, names[key], tuple(sorted(points, key=lambda s: s.period.sort_key)))
        for key, points in sorted(units.items())
    ]
    return series, plan_used
