"""Saving a check: the run, with the bytes of every file and of the targets behind it."""

from __future__ import annotations

import datetime as _dt
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qbplan.errors import EXIT_CANNOT_RUN
from qbplan.files.digest import sha256_of
from qbplan.history.location import Database, HistoryError, Location
from qbplan.history.periods import Period
from qbplan.history.store import SavedFile, SavedScore, open_store
from qbplan.model.report import Report
from qbplan.model.scores import Ranking
from qbplan.model.version import __version__

# Options whose value is a secret: never stored in the command line of a run.
_SECRET_OPTIONS = ("--password",)
# user:password@ in a URL, up to the last @ (a password may hold one).
_URL_PASSWORD = re.compile(r"://([^:@/\s]*):(\S*)@")


def redacted(argv: Sequence[str]) -> str:
    """The command line as typed, every password replaced by ``***``.

    That is the workbook's (``--password X`` and ``--password=X``) and a
    server's in a URL (``--db postgresql://user:X@host/db``).
    """
    out: list[str] = []
    hide = False
    for arg in argv:
        if hide:
            out.append("***")
            hide = False
        elif arg in _SECRET_OPTIONS:
            out.append(arg)
            hide = True
        elif arg.startswith(tuple(f"{o}=" for o in _SECRET_OPTIONS)):
            out.append(arg.split("=", 1)[0] + "=***")
        else:
            out.append(_URL_PASSWORD.sub(r"://\1:***@", arg))
    return shlex.join(out)


def _scores(ranking: Ranking, period: Period) -> list[SavedScore]:
    return [
        SavedScore(
            unit_key=u.key,
            unit_name=u.name,
            rank=u.rank,
            total=u.total,
            most=u.most,
            index=u.index,
            grade_vi=u.grade.label_vi if u.grade else "",
            grade_en=u.grade.label_en if u.grade else "",
            missing=u.missing,
            period=period,
        )
        for u in (*ranking.units, *ranking.omitted)
    ]


def _saved_file(path: str) -> SavedFile:
    found = sha256_of(path)
    return SavedFile(path, *found) if found else SavedFile(path, None, None)


@dataclass(frozen=True)
class Saved:
    """Where a run was saved: its id, the database, and the copy made before a migration, if any."""

    run_id: int
    db: Location
    backup: Path | None


def save_run(
    report: Report,
    period: Period,
    db: Database,
    command: Sequence[str],
    saved_at: _dt.datetime | None = None,
    ranking: Ranking | None = None,
) -> Saved:
    """Save ``report`` as a run of ``period`` in the history database ``db`` (created when missing).

    ``saved_at`` defaults to now (a sample database gives fixed times, to be reproducible).
    ``ranking``, from ``qbplan rank``, keeps each unit's score with the run.
    A run that could not read an input (exit 2) is refused, not saved.
    """
    if report.exit_code == EXIT_CANNOT_RUN:
        # It would become the period's current result with files missing from it.
        raise HistoryError("history-not-saved", file=str(db))
    files = [_saved_file(summary.file) for summary in report.files]
    targets = sha256_of(report.targets_file)
    with open_store(db, create=True) as store:
        run = store.save(
            report,
            period,
            targets_sha256=targets[0] if targets else "",
            files=files,
            command=redacted(command),
            qbplan_version=__version__,
            saved_at=saved_at,
            scores=_scores(ranking, period) if ranking is not None else (),
        )
    return Saved(run, store.where, store.backup)
