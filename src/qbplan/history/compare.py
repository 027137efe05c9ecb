"""``check --compare PERIOD``: the check beside the current saved run of an earlier period."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from qbplan.config.targets import Targets
from qbplan.history.location import Database, HistoryError
from qbplan.history.periods import Period
from qbplan.history.store import SavedIndicator, open_store
from qbplan.model.findings import Finding
from qbplan.model.report import Previous, Report
from qbplan.validate.since_last import since_last


@dataclasses.dataclass(frozen=True)
class Prior:
    """An earlier period's saved results, read before the check: the plan they were saved under and each indicator's."""

    period: Period
    plan: str
    saved: tuple[SavedIndicator, ...]
    # Each unit's figures of that run, (sheet, unit, column) -> value; empty when saved without them.
    figures: Mapping[tuple[str, str, str], int | bool] = dataclasses.field(default_factory=dict)


def read_prior(db: Database, period: Period, lineage: tuple[str, ...]) -> Prior:
    """The current saved run of ``period`` under the nearest plan of ``lineage`` (the report's plan first).

    A period with no saved run of any of them is an error (exit 2): a
    comparison with nothing would read as "no change". Needs no input: a
    check reads it before its files, so the refusal comes at once.
    """
    plan, saved, figures = _current(db, lineage, period)
    return Prior(period, plan, tuple(saved), figures)


def beside(report: Report, prior: Prior, targets: Targets | None = None) -> Report:
    """A new report with each indicator's result in the prior period beside it.

    With ``targets``, each unit's figures are also read against its figures of that period by
    the columns' ``since_last`` rules: their findings join the report's, at their cells.
    """
    other = prior.plan if prior.plan != report.plan_id else None
    # Saved statuses are the report's own (a Status): stored as text, read back as such.
    previous = {
        s.indicator: Previous(prior.period.key, s.numerator, s.denominator, s.status, other)  # type: ignore[arg-type]
        for s in prior.saved
    }
    indicators = [dataclasses.replace(ind, previous=previous.get(ind.id)) for ind in report.indicators]
    found: list[Finding] = []
    if targets is not None:
        # Saved under the plan before the reorganisation: read through this plan's map of units.
        unit_map = targets.plan.unit_map if other is not None else {}
        found = since_last(targets, report.figures, prior.figures, prior.period.key, unit_map)
    return dataclasses.replace(
        report,
        indicators=indicators,
        compared_with=prior.period.key,
        compared_plan=other,
        errors=[*report.errors, *(f for f in found if f.severity == "error")],
        warnings=[*report.warnings, *(f for f in found if f.severity == "warning")],
    )


def compared(report: Report, db: Database, period: Period, lineage: tuple[str, ...] = ()) -> Report:
    """A new report with each indicator's result in ``period`` (read from ``db``) beside it.

    The period is looked for under the report's plan, then under each plan it
    follows (its lineage): a 2025 two-tier check compares with 2024 saved under
    the old structure, and says the series breaks there. ``lineage`` is
    :meth:`Targets.lineage` of the report's targets (the report's plan alone when not given).
    """
    return beside(report, read_prior(db, period, lineage or (report.plan_id,)))


def _current(
    db: Database, lineage: tuple[str, ...], period: Period
) -> tuple[str, list[SavedIndicator], dict[tuple[str, str, str], int | bool]]:
    """The nearest plan of ``lineage`` with a saved run of ``period``: that run's indicators and unit figures."""
    with open_store(db, create=False) as store:
        for plan in lineage:
            saved = store.current(plan, period)
            if saved:
                return plan, saved, store.figures(plan, period)
        # Named as the store names it: a server's URL without its password.
        raise HistoryError("history-no-period", file=str(store.where), period=period.key, plan=", ".join(lineage))
