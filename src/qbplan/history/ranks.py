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
    db: Database, targets: Targets, start: Period | None = None, end: Period | None = None
) -> list[UnitSeries]:
    """Each unit's saved scores of the targets' plan (and the plans it follows), between ``start`` and ``end``.

    A period is taken from the nearest plan of the lineage that ranked it. An
    error (exit 2) when no run of them was saved by ``qbplan rank --save``.
    """
    lineage = targets.lineage()
    store = open_store(db, create=False)
    try:
        chosen = nearest(lineage, {plan: store.scores(plan) for plan in lineage})
        where = str(store.where)
    finally:
        store.close()
    if not chosen:
        raise HistoryError("history-no-ranks", file=where, plan=targets.plan.id)
    units: dict[str, list[SavedScore]] = {}
    names: dict[str, str | None] = {}
    for score in chosen:
        if within(score.period, start, end):
            units.setdefault(score.unit_key, []).append(score)
            names[score.unit_key] = score.unit_name or names.get(score.unit_key)
    return [
        UnitSeries(key, names[key], tuple(sorted(points, key=lambda s: s.period.sort_key)))
        for key, points in sorted(units.items())
    ]
