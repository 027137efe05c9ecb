"""Saving a run from the command line (``check --save``, ``rank --save``), said on stderr."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from qbplan.error_handler import say

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.history.location import Location
    from qbplan.history.periods import Period
    from qbplan.model.report import Report
    from qbplan.model.scores import Ranking


def save_and_say(report: Report, period: Period, db: Location, lang: str, ranking: Ranking | None = None) -> None:
    """Save a run, and say where on stderr; a run that could not read an input is reported, not saved."""
    from qbplan.history.record import save_run
    from qbplan.history.store import HistoryError
    from qbplan.i18n import ui
    from qbplan.model.wording import sentence

    try:
        # The command as typed, by its name: not the path of the console script.
        saved = save_run(report, period, db, ["qbplan", *sys.argv[1:]], ranking=ranking)
    except HistoryError as exc:
        if exc.code != "history-not-saved":
            raise
        # The library refused a run that could not read an input: said here, and the report is
        # still written (it says which file could not be used); the exit code stays the report's 2.
        say(sentence(exc.code, exc.params, lang))
        return
    if saved.backup is not None:
        say(ui("history.backup", lang, backup=str(saved.backup)))
    say(ui("history.saved", lang, run=saved.run_id, period=period.label(lang), db=str(db)))
