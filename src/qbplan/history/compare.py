"""``check --compare PERIOD``: the check beside the current saved run of an earlier period."""

from __future__ import annotations

import dataclasses

from qbplan.history.location import Database, HistoryError
from qbplan.history.periods import Period
from qbplan.history.store import SavedIndicator, open_store
from qbplan.model.report import Previous, Report


def compared(report: Report, db: Database, period: Period, lineage: tuple[str, ...] = ()) -> Report:
    """A new report with each indicator's result in ``period`` (read from ``db``) beside it.

    The period is looked for under the report's plan, then under each plan it
    follows (its lineage): a 2025 two-tier check compares with 2024 saved under
    the old structure, and says the series breaks there. A period with no saved
    run of any of them is an error (exit 2): a comparison with nothing would
    read as "no change". ``lineage`` is :meth:`Targets.lineage` of the report's
    targets (the report's plan alone when not given).
    """
    lineage = lineage or (report.plan_id,)
    plan, saved = _current(db, lineage, period)
    other = plan if plan != report.plan_id else None
    # Saved statuses are the report's own (a Status): stored as text, read back as such.
    previous = {s.indicator: Previous(period.key, s.numerator, s.denominator, s.status) for s in saved}  # type: ignore[arg-type]
    indicators = [dataclasses.replace(ind, previous=previous.get(ind.id)) for ind in report.indicators]
    return dataclasses.replace(report, indicators=indicators, compared_with=period.key, compared_plan=other)


def _current(db: Database, lineage: tuple[str, ...], period: Period) -> tuple[str, list[SavedIndicator]]:
    """The nearest plan of ``lineage`` with a saved run of ``period``, and that run's indicators."""
    store = open_store(db, create=False)
    try:
        for plan in lineage:
            saved = store.current(plan, period)
            if saved:
                return plan, saved
        # Named as the store names it: a server's URL without its password.
        raise HistoryError("history-no-period", file=str(store.where), period=period.key, plan=", ".join(lineage))
    finally:
        store.close()
