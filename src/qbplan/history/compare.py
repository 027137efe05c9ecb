"""``check --compare PERIOD``: the check beside the current saved run of an earlier period."""

from __future__ import annotations

import dataclasses
import os

from qbplan.history.periods import Period
from qbplan.history.store import HistoryError, open_store
from qbplan.model.report import Previous, Report


def compared(report: Report, db: str | os.PathLike[str], period: Period) -> Report:
    """A new report with each indicator's result in ``period`` (read from ``db``) beside it.

    A period with no saved run of the report's plan is an error (exit 2): a
    comparison with nothing would read as "no change".
    """
    store = open_store(db, create=False)
    try:
        saved = store.current(report.plan_id, period)
    finally:
        store.close()
    if not saved:
        raise HistoryError("history-no-period", file=str(db), period=period.key, plan=report.plan_id)
    # Saved statuses are the report's own (a Status): stored as text, read back as such.
    previous = {s.indicator: Previous(period.key, s.numerator, s.denominator, s.status) for s in saved}  # type: ignore[arg-type]
    indicators = [dataclasses.replace(ind, previous=previous.get(ind.id)) for ind in report.indicators]
    return dataclasses.replace(report, indicators=indicators, compared_with=period.key)
