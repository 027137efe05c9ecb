"""The history database: every saved check, never overwritten, on an SQLite file or a PostgreSQL server.

One data layer for both engines: the tables are SQLAlchemy Core
(:mod:`qbplan.history.schema`) and the schema moves forward by Alembic
migrations (``migrations/versions``), each in the transaction of the save that
needs it. Several planners may save at once, on one machine or many: each run
is one transaction, so both land, and a run is current when it is the latest
of its period.

On SQLite (the default, one file, nothing to set up) the file is checked
before anything opens it, by reading only: it is recognised by its
``application_id``, its ``user_version`` is the schema version, and nothing is
ever written to a file that is not a qbplan database, that is damaged, or that
a newer qbplan wrote; an older one is copied aside (SQLite's backup API) before
it is migrated forward. Saves wait for each other (``BEGIN IMMEDIATE``, retried)
rather than fail. The rollback journal, not WAL, because a file is shared: a
WAL reader creates ``-wal`` and ``-shm`` files it cannot remove, which then
belong to the colleague who only looked, and the owner's next save fails. A
rollback-journal reader writes nothing, anywhere, and reads in a read-only folder.

On PostgreSQL the revision Alembic records is the schema version; the first
save creates the tables, under an advisory lock so that two first saves at
once do not both try.

Numbers are exact: numerators and denominators are stored as decimal text
(Python ints can pass 64 bits), targets as ``n/d``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from qbplan.errors import QbplanError
from qbplan.history import schema
from qbplan.history.location import DB_ENV, DEFAULT_DB, Database, HistoryError, Location, db_location
from qbplan.history.periods import Period, parse_period
from qbplan.model.report import Coverage, Rated, Report, exact_rate
from qbplan.storage import faults, migrate, sqlite_file
from qbplan.storage.engines import server_engine
from qbplan.storage.faults import driver_error
from qbplan.storage.location import ServerUrl, first_line

__all__ = [
    "APPLICATION_ID",
    "DB_ENV",
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "HistoryError",
    "Location",
    "RunInfo",
    "SavedFile",
    "SavedIndicator",
    "SavedScore",
    "Store",
    "db_location",
    "open_store",
]

# "qbph" in ASCII: what marks an SQLite file as a qbplan history.
APPLICATION_ID = 0x71627068
_VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r"h(\d{4})")
# The newest revision of the migration chain: its files are hNNNN_*.py, revision "hNNNN" (a test holds
# this equal to Alembic's head). Read from the file names, not Alembic's script directory, which costs
# a fifth of a second at every start of ``history``.
SCHEMA_VERSION = max(int(m.group(1)) for m in (_REVISION.match(p.name) for p in _VERSIONS.glob("h*.py")) if m)
# The oldest schema read without migrating it: 3 only added the scores of a ranking and 4 the
# units' figures, so a colleague's database of schema 2 is read as it is (no ranks, no figures).
READABLE_FROM = 2
# How long a save waits for another one to finish, in all.
BUSY_SECONDS = 60.0
# Revision hNNNN is schema version NNNN: an SQLite file's user_version says the same.
CHAIN = migrate.Chain(_VERSIONS, schema.metadata, "qbplan_history_version")


def _revision(version: int) -> str:
    return f"h{version:04d}"


@dataclass(frozen=True, slots=True)
class SavedFile:
    """One input file as a run records it: its path, and what its bytes were."""

    path: str
    sha256: str | None
    size: int | None


@dataclass(frozen=True)
class RunInfo:
    """One saved run, for ``history --runs``: when, what, with which targets, and its files."""

    id: int
    period: Period
    saved_at: str
    qbplan_version: str
    plan_id: str
    targets_file: str
    targets_sha256: str
    command: str
    exit_code: int
    current: bool
    files: tuple[SavedFile, ...]


@dataclass(frozen=True, slots=True)
class SavedIndicator(Rated):
    """One indicator of one run, as saved: with its coverage, its exact bounds as the check had them."""

    run_id: int
    period: Period
    indicator: str
    title_vi: str
    title_en: str
    mode: str
    numerator: int
    denominator: int
    target: Fraction
    status: str
    exceeded: bool
    deadline: int
    coverage_expected: int | None
    coverage_reported: int | None
    # The plan the run was saved under: a series across a plan's lineage changes plan at a break.
    plan_id: str = ""

    @property
    def rate(self) -> Fraction | None:
        """numerator/denominator exactly, or None without data."""
        return exact_rate(self.numerator, self.denominator)

    @property
    def coverage(self) -> Coverage | None:  # type: ignore[override]
        """Who reported, as saved with a register; None without one (and for runs saved before schema 2)."""
        if self.coverage_expected is None or self.coverage_reported is None:
            return None
        return Coverage(expected=self.coverage_expected, reported=self.coverage_reported)

    @property
    def partial(self) -> bool:
        """Saved while units in scope had not reported: its rate is not the period's, only a bound of it."""
        return self.missing > 0


@dataclass(frozen=True, slots=True)
class SavedScore:
    """One unit's score in a ``qbplan rank`` run: exact points and index, the rank and grade it had."""

    unit_key: str
    unit_name: str | None
    rank: int | None
    total: Fraction
    most: Fraction
    index: Fraction
    grade_vi: str
    grade_en: str
    missing: bool
    period: Period
    # The run it was saved with: set when read back (a score being saved has no run yet).
    run_id: int = 0


# --- SQLite files, checked before they are opened


def _check_file(path: Path) -> bool:
    """Whether ``path`` holds a database already; refuses what is not a regular file or not SQLite."""
    try:
        return sqlite_file.holds_database(path)
    except sqlite_file.FileProblem as exc:
        raise HistoryError(f"history-db-{exc.problem}", file=str(path), detail=exc.detail) from None


def _inspect(path: Path) -> int:
    """The schema version of an existing database, read-only; refuses a foreign, damaged or newer one."""
    try:
        con = sqlite3.connect(sqlite_file.read_only_uri(path), uri=True, timeout=BUSY_SECONDS)
        try:
            app = con.execute("PRAGMA application_id").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app != APPLICATION_ID and (app != 0 or tables or version):
                raise HistoryError("history-db-foreign", file=str(path))
            check = con.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise _database_error(exc, path) from None
    if check != "ok":
        raise HistoryError("history-db-corrupt", file=str(path), detail=str(check))
    if version > SCHEMA_VERSION:
        raise HistoryError("history-db-newer", file=str(path), version=version, supported=SCHEMA_VERSION)
    return int(version)


def _backup(path: Path, version: int) -> Path:
    """A consistent copy of the database beside it, before it is migrated: never over an earlier copy."""
    try:
        return sqlite_file.backup_beside(path, f"{path.name}.v{version}")
    except sqlite3.Error as exc:
        # No copy, no migration: the database stays as it was.
        backup = path.with_name(f"{path.name}.v{version}.bak")
        raise HistoryError("history-db-no-backup", file=str(path), backup=str(backup), detail=first_line(exc)) from None


def _sqlite_engine(connect: Callable[[], sqlite3.Connection], where: Path, *, write: bool) -> Engine:
    """An engine on one SQLite file whose transactions qbplan begins itself.

    The driver's own transaction handling is off (``isolation_level=None``): a
    save takes the write lock at once (``BEGIN IMMEDIATE``), retried while
    another save holds it, and a reader sees one snapshot (``BEGIN``).
    """
    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(con: Connection) -> None:
        _retrying(lambda: con.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN"), where)

    return engine


# --- errors, said in one line, by the driver's code (storage/faults.py)


def _database_error(exc: BaseException, where: Location) -> HistoryError:
    """A damaged database for what the engine says of the content; one that cannot be opened for the rest."""
    detail = first_line(driver_error(exc))
    kind = faults.fault(exc)
    if kind == "damaged":
        return HistoryError("history-db-corrupt", file=str(where), detail=detail)
    if kind == "busy":  # a server's lock held past BUSY_SECONDS (lock_timeout)
        return HistoryError("history-db-busy", file=str(where))
    return HistoryError("history-db-unreadable", file=str(where), detail=detail)


def _write_error(exc: BaseException, where: Location) -> HistoryError:
    """What keeps a save from landing, said in one line: nothing of the run is in the database."""
    kind = faults.fault(exc)
    if kind == "readonly":
        return HistoryError("history-db-readonly", file=str(where))
    if kind == "full":
        return HistoryError("history-db-not-written", file=str(where), detail=first_line(driver_error(exc)))
    return _database_error(exc, where)


def _retrying(step: Callable[[], object], where: Location) -> None:
    """``step()``, again while an SQLite file is locked by another process, up to :data:`BUSY_SECONDS`."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            step()
            return
        except (sqlite3.OperationalError, DBAPIError) as exc:
            if faults.fault(exc) != "busy":
                raise
            if time.monotonic() > deadline:
                raise HistoryError("history-db-busy", file=str(where)) from None
            time.sleep(0.05)


# --- the store


class Store:
    """An open history database. Use :func:`open_store`."""

    def __init__(self, where: Location, engine: Engine, *, write: bool) -> None:
        self.where, self.engine = where, engine
        try:
            self.con = engine.connect()
        except (SQLAlchemyError, sqlite3.Error) as exc:
            engine.dispose()
            # Opening for a save may write already (switching an SQLite file's journal).
            raise (_write_error if write else _database_error)(exc, where) from None
        # Set when opening migrated an SQLite file forward: where the copy of the old one is.
        self.backup: Path | None = None
        # The schema it is at: an older one read as it is lacks the tables added since.
        self.version = SCHEMA_VERSION

    def close(self) -> None:
        """Close the connection."""
        self.con.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _begun(self, failed: Callable[[BaseException, Location], HistoryError]) -> Iterator[Connection]:
        """One transaction on the connection; what the engine refuses is said by ``failed``, in one line."""
        try:
            with self.con.begin():
                yield self.con
        except HistoryError:
            raise
        except (SQLAlchemyError, sqlite3.Error) as exc:
            raise failed(exc, self.where) from None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction: all of it lands, or nothing does."""
        with self._begun(_write_error) as con:
            yield con

    # --- writing

    def save(
        self,
        report: Report,
        period: Period,
        *,
        targets_sha256: str,
        files: Sequence[SavedFile],
        command: str,
        qbplan_version: str,
        saved_at: _dt.datetime | None = None,
        scores: Sequence[SavedScore] = (),
    ) -> int:
        """Store one run in one transaction; returns its id. A later run of a period becomes its current one.

        ``scores`` are the units' scores of a ``qbplan rank`` run, kept with it.
        """
        when = (saved_at or _dt.datetime.now().astimezone()).isoformat(timespec="seconds")
        run_row = {
            "period": period.key,
            "saved_at": when,
            "qbplan_version": qbplan_version,
            "plan_id": report.plan_id,
            "targets_file": report.targets_file,
            "targets_sha256": targets_sha256,
            "command": command,
            "exit_code": report.exit_code,
            "register_files": json.dumps(list(report.register_files), ensure_ascii=False),
        }
        with self.transaction() as con:
            run = int(con.execute(insert(schema.runs).values(run_row)).inserted_primary_key[0])  # type: ignore[index]
            for table, rows in (
                (schema.files, _file_rows(run, report, files)),
                (schema.indicators, _indicator_rows(run, report)),
                (schema.findings, _finding_rows(run, report)),
                (schema.completeness, _completeness_rows(run, report)),
                (schema.scores, _score_rows(run, scores)),
                (schema.figures, _figure_rows(run, report)),
            ):
                if rows:
                    con.execute(insert(table), rows)
        return run

    # --- reading
    # A database is something anyone can edit: every value read is checked as it is
    # turned into Python, and a value qbplan could not have written is a damaged
    # database in one line (see _reading), never a traceback further on.

    def plans(self) -> list[str]:
        """The plan ids that runs were saved under, in first-saved order."""
        runs = schema.runs
        with self._reading() as con:
            query = select(runs.c.plan_id).group_by(runs.c.plan_id).order_by(func.min(runs.c.id))
            return list(con.execute(query).scalars())

    def runs(self, plan_id: str) -> list[RunInfo]:
        """Every run of a plan, oldest first, each marked current when it is the latest of its period."""
        with self._reading() as con:
            return _runs(con, plan_id)

    def current(self, plan_id: str, period: Period | None = None) -> list[SavedIndicator]:
        """Each indicator of the current run of every period of a plan (of ``period`` only, when given)."""
        with self._reading() as con:
            return _current(con, plan_id, period)

    def scores(self, plan_id: str) -> list[SavedScore]:
        """The units' scores of each period of a plan, from its latest run that ranked (``qbplan rank --save``)."""
        if self.version < 3:
            return []  # a database from before rankings were kept
        with self._reading() as con:
            return _scores(con, plan_id)

    def figures(self, plan_id: str, period: Period) -> dict[tuple[str, str, str], int | bool]:
        """Each unit's figures of the current run of ``period`` under ``plan_id``: (sheet, unit, column) -> value.

        Empty for a database from before figures were kept, or a period saved without them.
        """
        if self.version < 4:
            return {}
        with self._reading() as con:
            run = con.execute(
                select(func.max(schema.runs.c.id)).where(
                    schema.runs.c.plan_id == plan_id, schema.runs.c.period == period.key
                )
            ).scalar()
            if run is None:
                return {}
            rows = con.execute(select(schema.figures).where(schema.figures.c.run_id == run)).mappings()
            return {(r["sheet"], r["unit_key"], r["col"]): r["value"] for r in rows}

    def ranked_plans(self) -> list[tuple[str, str]]:
        """Each plan with a saved ranking, and the targets file its latest ranking run was made with."""
        if self.version < 3:
            return []
        query = (
            select(schema.runs.c.plan_id, func.max(schema.runs.c.id))
            .where(schema.runs.c.id.in_(select(schema.scores.c.run_id)))
            .group_by(schema.runs.c.plan_id)
        )
        with self._reading() as con:
            latest = {str(plan): int(run) for plan, run in con.execute(query)}
            files = dict(
                con.execute(
                    select(schema.runs.c.id, schema.runs.c.targets_file).where(schema.runs.c.id.in_(latest.values()))
                ).all()
            )
        return sorted((plan, str(files[run])) for plan, run in latest.items())

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """One read transaction (a snapshot); whatever a damaged or hand-edited database gives, one line."""
        try:
            with self._begun(_database_error) as con:
                yield con
        except HistoryError:
            raise
        except (QbplanError, ValueError, TypeError, ZeroDivisionError, KeyError, OverflowError) as exc:
            raise HistoryError("history-db-corrupt", file=str(self.where), detail=_tampered(exc)) from None


def _runs(con: Connection, plan_id: str) -> list[RunInfo]:
    runs, files = schema.runs, schema.files
    rows = con.execute(select(runs).where(runs.c.plan_id == plan_id).order_by(runs.c.id)).mappings().all()
    latest = {row["period"]: row["id"] for row in rows}
    saved: dict[int, list[SavedFile]] = {}
    of_plan = select(runs.c.id).where(runs.c.plan_id == plan_id)
    for f in con.execute(
        select(files.c.run_id, files.c.path, files.c.sha256, files.c.size)
        .where(files.c.run_id.in_(of_plan))
        .order_by(files.c.run_id, files.c.path)
    ).mappings():
        saved.setdefault(f["run_id"], []).append(SavedFile(f["path"], f["sha256"], f["size"]))
    return [
        RunInfo(
            id=r["id"],
            period=parse_period(r["period"]),
            saved_at=r["saved_at"],
            qbplan_version=r["qbplan_version"],
            plan_id=r["plan_id"],
            targets_file=r["targets_file"],
            targets_sha256=r["targets_sha256"],
            command=r["command"],
            exit_code=r["exit_code"],
            current=latest[r["period"]] == r["id"],
            files=tuple(saved.get(r["id"], [])),
        )
        for r in rows
    ]


def _current(con: Connection, plan_id: str, period: Period | None) -> list[SavedIndicator]:
    runs, ind = schema.runs, schema.indicators
    latest = select(func.max(runs.c.id)).where(runs.c.plan_id == plan_id)
    if period is not None:
        latest = latest.where(runs.c.period == period.key)
    query = (
        select(runs.c.id.label("run_id"), runs.c.period, runs.c.plan_id, ind)
        .join(runs, runs.c.id == ind.c.run_id)
        .where(runs.c.id.in_(latest.group_by(runs.c.period)))
        # A row order every engine keeps (the series are put in the targets' order later).
        .order_by(runs.c.id, ind.c.indicator)
    )
    return [
        SavedIndicator(
            run_id=r["run_id"],
            period=parse_period(r["period"]),
            indicator=r["indicator"],
            title_vi=r["title_vi"],
            title_en=r["title_en"],
            mode=r["mode"],
            numerator=r["numerator"],
            denominator=r["denominator"],
            target=r["target"],
            status=r["status"],
            exceeded=bool(r["exceeded"]),
            deadline=r["deadline"],
            coverage_expected=r["coverage_expected"],
            coverage_reported=r["coverage_reported"],
            plan_id=r["plan_id"],
        )
        for r in con.execute(query).mappings()
    ]


def _scores(con: Connection, plan_id: str) -> list[SavedScore]:
    runs, sc = schema.runs, schema.scores
    ranked = select(runs.c.id).where(runs.c.plan_id == plan_id, runs.c.id.in_(select(sc.c.run_id)))
    latest = select(func.max(runs.c.id)).where(runs.c.id.in_(ranked)).group_by(runs.c.period)
    query = (
        select(runs.c.period, sc)
        .join(runs, runs.c.id == sc.c.run_id)
        .where(runs.c.id.in_(latest))
        .order_by(runs.c.id, sc.c.unit_key)
    )
    return [
        SavedScore(
            unit_key=r["unit_key"],
            unit_name=r["unit_name"],
            rank=r["rank"],
            total=r["total"],
            most=r["most"],
            index=r["unit_index"],
            grade_vi=r["grade_vi"],
            grade_en=r["grade_en"],
            missing=bool(r["missing"]),
            run_id=r["run_id"],
            period=parse_period(r["period"]),
        )
        for r in con.execute(query).mappings()
    ]


MODES = schema.MODES


def _tampered(exc: BaseException) -> str:
    return str(exc)[:120] if not isinstance(exc, QbplanError) else exc.code


def _unit(u: Any) -> dict[str, Any]:
    return {"key": u.key, "name": u.name, "group": u.group}


Row = dict[str, Any]


def _figure_rows(run: int, report: Report) -> list[Row]:
    """The report's unit figures, one row each: counts as decimal text, a yes/no as true/false."""
    return [
        {
            "run_id": run,
            "sheet": f.sheet,
            "unit_key": f.unit,
            "col": f.column,
            "value": f.value,
        }
        for f in report.figures
    ]


def _file_rows(run: int, report: Report, files: Sequence[SavedFile]) -> list[Row]:
    hashes = {f.path: f for f in files}
    out = []
    for f in report.files:
        saved = hashes.get(f.file)
        sha, size = (saved.sha256, saved.size) if saved else (None, None)
        out.append(
            {
                "run_id": run,
                "path": f.file,
                "sha256": sha,
                "size": size,
                "readable": int(f.readable),
                "rows_read": f.rows_read,
                "rows_excluded": f.rows_excluded,
                "errors": f.errors,
                "warnings": f.warnings,
            }
        )
    return out


def _indicator_rows(run: int, report: Report) -> list[Row]:
    return [
        {
            "run_id": run,
            "indicator": i.id,
            "title_vi": i.title_vi,
            "title_en": i.title_en,
            "mode": i.mode,
            # Decimal text (the column's type): an exact sum may pass 64-bit integers.
            "numerator": i.numerator,
            "denominator": i.denominator,
            "target": i.target,
            "status": i.status,
            "exceeded": int(i.exceeded),
            "excluded_rows": i.excluded_rows,
            "deadline": i.deadline,
            "coverage_expected": i.coverage.expected if i.coverage else None,
            "coverage_reported": i.coverage.reported if i.coverage else None,
        }
        for i in report.indicators
    ]


def _finding_rows(run: int, report: Report) -> list[Row]:
    return [
        {
            "run_id": run,
            "code": f.code,
            "severity": f.severity,
            "file": f.file,
            "sheet": f.sheet,
            "row": f.row,
            "col": f.column,
            "cell": f.cell,
            "value": json.dumps(f.value, ensure_ascii=False),
            "params": json.dumps(dict(f.params), ensure_ascii=False),
        }
        for f in report.errors + report.warnings
    ]


def _score_rows(run: int, scores: Sequence[SavedScore]) -> list[Row]:
    return [
        {
            "run_id": run,
            "unit_key": s.unit_key,
            "unit_name": s.unit_name,
            "rank": s.rank,
            "total": s.total,
            "most": s.most,
            "unit_index": s.index,
            "grade_vi": s.grade_vi,
            "grade_en": s.grade_en,
            "missing": int(s.missing),
        }
        for s in scores
    ]


def _completeness_rows(run: int, report: Report) -> list[Row]:
    return [
        {
            "run_id": run,
            "sheet": c.sheet,
            "register": c.register,
            "expected": c.expected,
            "submitted": c.submitted,
            "missing": json.dumps([_unit(u) for u in c.missing], ensure_ascii=False),
            "unknown": json.dumps([_unit(u) for u in c.unknown], ensure_ascii=False),
        }
        for c in report.completeness
    ]


# --- opening


def open_store(where: Database, *, create: bool) -> Store:
    """Open the history database ``where`` names: an SQLite file, or a PostgreSQL server.

    With ``create``, a missing database (or an empty file) is made and an older
    one is migrated forward, after a backup copy of a file. Without it, a
    missing one is an error. Every refusal is decided by reading only: nothing
    is written to a database that is refused.
    """
    location = where if isinstance(where, (Path, ServerUrl)) else db_location(where)
    if isinstance(location, ServerUrl):
        return _open_server(location, create=create)
    exists = _check_file(location)
    if not exists and not create:
        raise HistoryError("history-db-missing", file=str(location))
    version = _inspect(location) if exists else 0
    return _open_writable(location, version) if create else _open_read_only(location, version)


def ready_store(where: Database, *, create: bool) -> None:
    """Refuse now, by reading only, a database a save (``create``) or a comparison could not use.

    Called before any input is read: a missing or foreign database, a missing
    folder or an unreachable server is said at once, not after a long check.
    Nothing is made or written here; the save itself still checks again.
    """
    location = where if isinstance(where, (Path, ServerUrl)) else db_location(where)
    if isinstance(location, ServerUrl):
        try:
            engine = server_engine(location.url, BUSY_SECONDS)
            try:
                with engine.connect() as con:
                    version = _server_version(con, location)
            finally:
                engine.dispose()
        except HistoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - an unreachable server, a refused login
            raise _database_error(exc, location) from None
        if version == 0 and not create:
            raise HistoryError("history-db-missing", file=str(location))
        return
    if not _check_file(location):
        if not create:
            raise HistoryError("history-db-missing", file=str(location))
        if not location.parent.is_dir():
            raise HistoryError("history-db-no-folder", file=str(location))
        return
    version = _inspect(location)
    if not create and version < READABLE_FROM:
        raise HistoryError("history-db-older", file=str(location), version=version, supported=SCHEMA_VERSION)


def _open_read_only(target: Path, version: int) -> Store:
    if version < READABLE_FROM:
        # Reading an older database would need its migration: save a run to bring it forward.
        raise HistoryError("history-db-older", file=str(target), version=version, supported=SCHEMA_VERSION)
    uri = sqlite_file.read_only_uri(target)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)

    store = Store(target, _sqlite_engine(connect, target, write=False), write=False)
    store.version = version
    return store


def _open_writable(target: Path, version: int) -> Store:
    """Open (or create) the file, in rollback-journal mode, migrated forward after a backup of an older one."""
    if not target.parent.is_dir():
        raise HistoryError("history-db-no-folder", file=str(target))
    backup = _backup(target, version) if 0 < version < SCHEMA_VERSION else None

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(target, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            # The rollback journal (see the module's docstring); a database an older
            # qbplan left in WAL mode is switched back, which needs it alone for a
            # moment: SQLite does not wait for that lock, so it is retried.
            _retrying(lambda: con.execute("PRAGMA journal_mode=DELETE"), target)
            con.execute("PRAGMA synchronous=FULL")
        except BaseException:
            con.close()
            raise
        return con

    store = Store(target, _sqlite_engine(connect, target, write=True), write=True)
    store.backup = backup
    try:
        with store.transaction() as con:
            _migrate_file(con)
    except BaseException:
        store.close()
        raise
    return store


def _migrate_file(con: Connection) -> None:
    """Bring an SQLite file to :data:`SCHEMA_VERSION` (another process may have done it first).

    A file made before Alembic kept the revision records only its
    ``user_version``: that revision is stamped first, then the rest runs.
    """
    version = con.exec_driver_sql("PRAGMA user_version").scalar() or 0
    if version and not inspect(con).has_table(CHAIN.version_table):
        migrate.stamp(CHAIN, con, _revision(version))
    migrate.upgrade(CHAIN, con)
    if version < SCHEMA_VERSION:
        con.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        con.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _open_server(server: ServerUrl, *, create: bool) -> Store:
    """A PostgreSQL server: checked as a file is, by reading first; the tables made by the first save."""
    try:
        engine = server_engine(server.url, BUSY_SECONDS)
    except Exception as exc:  # noqa: BLE001 - a URL SQLAlchemy cannot take, a missing driver
        raise HistoryError("history-db-unreadable", file=str(server), detail=first_line(exc)) from None
    store = Store(server, engine, write=create)
    try:
        if create:
            with store.transaction() as con:
                # Two first saves at once: one makes the tables, the other waits and finds them.
                con.execute(select(func.pg_advisory_xact_lock(APPLICATION_ID)))
                if _server_version(con, server) < SCHEMA_VERSION:
                    migrate.upgrade(CHAIN, con)
        else:
            with store._reading() as con:
                version = _server_version(con, server)
            if version == 0:
                raise HistoryError("history-db-missing", file=str(server))
            if version < READABLE_FROM:
                raise HistoryError("history-db-older", file=str(server), version=version, supported=SCHEMA_VERSION)
            store.version = version
    except BaseException:
        store.close()
        raise
    return store


def _server_version(con: Connection, server: ServerUrl) -> int:
    """The schema version a server's database is at (0: none yet); refuses one qbplan did not make, or a newer."""
    tables = set(inspect(con).get_table_names())
    if CHAIN.version_table not in tables:
        if tables & {t.name for t in schema.metadata.sorted_tables}:
            # Tables of these names that qbplan did not make: another program's.
            raise HistoryError("history-db-foreign", file=str(server))
        return 0
    revision = migrate.current(CHAIN, con)
    found = _REVISION.fullmatch(revision or "")
    if found is None:
        raise HistoryError("history-db-foreign", file=str(server))
    version = int(found.group(1))
    if version > SCHEMA_VERSION:
        raise HistoryError("history-db-newer", file=str(server), version=version, supported=SCHEMA_VERSION)
    return version
