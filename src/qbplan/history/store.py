"""The history database: every saved check, in SQLite, never overwritten.

Why SQLite from the standard library: one file, no server, nothing to set up,
and transactions that survive a crash or a kill. Two saves at once both land:
the second waits for the first (a busy timeout), it never fails. The rollback
journal, not WAL, because a database is shared: a WAL reader creates ``-wal``
and ``-shm`` files it cannot remove, which then belong to the colleague who
only looked, and the owner's next save fails. A rollback-journal reader writes
nothing, anywhere, and reads in a read-only folder. The file is recognised by its ``application_id``; its
``user_version`` is the schema version. Nothing is ever written to a file that
is not a qbplan database, that is damaged, or that a newer qbplan wrote; an
older one is copied aside (SQLite's backup API) before it is migrated forward.

Numbers are exact: numerators and denominators are stored as decimal text
(Python ints can pass SQLite's 64 bits), targets as ``n/d``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from qbplan.errors import QbplanError
from qbplan.history.periods import Period, parse_period
from qbplan.model.report import STATUSES, Report, exact_rate

# "qbph" in ASCII: what marks an SQLite file as a qbplan history.
APPLICATION_ID = 0x71627068
SCHEMA_VERSION = 2
_SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_DB = "qbplan.db"
DB_ENV = "QBPLAN_DB"
# How long a save waits for another one to finish, in all.
BUSY_SECONDS = 60.0

# Migration i brings a database from schema version i to i + 1, in one transaction.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            qbplan_version TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            targets_file TEXT NOT NULL,
            targets_sha256 TEXT NOT NULL,
            command TEXT NOT NULL,
            exit_code INTEGER NOT NULL
        )""",
        """CREATE TABLE files (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            path TEXT NOT NULL,
            sha256 TEXT,
            size INTEGER,
            readable INTEGER NOT NULL,
            rows_read INTEGER NOT NULL,
            rows_excluded INTEGER NOT NULL,
            errors INTEGER NOT NULL,
            warnings INTEGER NOT NULL
        )""",
        """CREATE TABLE indicators (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            indicator TEXT NOT NULL,
            title_vi TEXT NOT NULL,
            title_en TEXT NOT NULL,
            mode TEXT NOT NULL,
            numerator TEXT NOT NULL,
            denominator TEXT NOT NULL,
            target TEXT NOT NULL,
            status TEXT NOT NULL,
            exceeded INTEGER NOT NULL,
            excluded_rows INTEGER NOT NULL,
            deadline INTEGER NOT NULL
        )""",
        """CREATE TABLE findings (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            code TEXT NOT NULL,
            severity TEXT NOT NULL,
            file TEXT, sheet TEXT, row INTEGER, col TEXT, cell TEXT,
            value TEXT,
            params TEXT NOT NULL
        )""",
        "CREATE INDEX runs_period ON runs(period, id)",
    ),
    (
        # The register landed: who reported, per indicator and per form sheet.
        "ALTER TABLE indicators ADD COLUMN coverage_expected INTEGER",
        "ALTER TABLE indicators ADD COLUMN coverage_reported INTEGER",
        "ALTER TABLE runs ADD COLUMN register_files TEXT NOT NULL DEFAULT '[]'",
        """CREATE TABLE completeness (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            sheet TEXT NOT NULL,
            register TEXT NOT NULL,
            expected INTEGER NOT NULL,
            submitted INTEGER NOT NULL,
            missing TEXT NOT NULL,
            unknown TEXT NOT NULL
        )""",
    ),
)
assert len(MIGRATIONS) == SCHEMA_VERSION


class HistoryError(QbplanError):
    """The history database cannot be used: missing, foreign, damaged, newer, or locked too long (exit 2)."""


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` if given, else ``QBPLAN_DB``, else ``qbplan.db`` in the current folder."""
    chosen = os.fspath(explicit) if explicit is not None else (os.environ.get(DB_ENV) or DEFAULT_DB)
    if chosen == ":memory:":
        # sqlite3 takes this name as a database in memory: "saved", and nothing kept.
        raise HistoryError("history-db-memory", file=chosen)
    return Path(chosen)


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
class SavedIndicator:
    """One indicator of one run, as saved."""

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


def _check_file(path: Path) -> bool:
    """Whether ``path`` holds a database already; refuses what is not a regular file or not SQLite."""
    if not path.exists():
        return False
    if not path.is_file():
        raise HistoryError("history-db-not-file", file=str(path))
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise HistoryError("history-db-unreadable", file=str(path), detail=exc.strerror or str(exc)) from None
    if not head:
        return False  # an empty file (touch qbplan.db): a new database
    if head != _SQLITE_MAGIC:
        raise HistoryError("history-db-foreign", file=str(path))
    return True


def _read_only_uri(path: Path) -> str:
    """The URI that opens ``path`` for reading without writing anything beside it.

    A database left in WAL mode by an older qbplan (or another program) needs
    ``-shm`` to be read. When no ``-wal`` file is there, no writer has it open
    and its content is all in the file: it is read as immutable, which creates
    nothing. With a ``-wal`` file, a writer is at work and made both companions.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if _is_wal(path) and not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    return uri


def _is_wal(path: Path) -> bool:
    """Whether the file's header says WAL mode (read and write versions 2)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(18)
            return fh.read(2) == b"\x02\x02"
    except OSError:
        return False


def _database_error(exc: sqlite3.Error, path: Path) -> HistoryError:
    """A damaged file for what SQLite says of the content; a file that cannot be opened for the rest."""
    detail = str(exc)
    damaged = ("malformed", "not a database", "no such table", "no such column")
    if isinstance(exc, sqlite3.DatabaseError) and any(word in detail for word in damaged):
        return HistoryError("history-db-corrupt", file=str(path), detail=detail)
    return HistoryError("history-db-unreadable", file=str(path), detail=detail)


def _inspect(path: Path) -> int:
    """The schema version of an existing database, read-only; refuses a foreign, damaged or newer one."""
    try:
        con = sqlite3.connect(_read_only_uri(path), uri=True, timeout=BUSY_SECONDS)
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
    n = 0
    while True:
        target = path.with_name(f"{path.name}.v{version}{'' if n == 0 else f'.{n}'}.bak")
        if not target.exists():
            break
        n += 1
    src = sqlite3.connect(_read_only_uri(path), uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


class Store:
    """An open history database. Use :func:`open_store`."""

    def __init__(self, path: Path, con: sqlite3.Connection) -> None:
        self.path, self.con = path, con
        # Set when opening migrated the file forward: where the copy of the old one is.
        self.backup: Path | None = None

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE), retried while another save holds the lock."""
        try:
            _retrying(lambda: self.con.execute("BEGIN IMMEDIATE"), self.path)
            try:
                yield self.con
                self.con.execute("COMMIT")
            except BaseException:
                # A failed COMMIT (a full disk) leaves the transaction open; after
                # some errors SQLite has already rolled it back.
                if self.con.in_transaction:
                    with suppress(sqlite3.Error):
                        self.con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _write_error(exc, self.path) from None

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
    ) -> int:
        """Store one run in one transaction; returns its id. A later run of a period becomes its current one."""
        when = (saved_at or _dt.datetime.now().astimezone()).isoformat(timespec="seconds")
        with self.transaction() as con:
            cur = con.execute(
                "INSERT INTO runs (period, saved_at, qbplan_version, "
                "plan_id, targets_file, targets_sha256, command, exit_code, register_files) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    period.key,
                    when,
                    qbplan_version,
                    report.plan_id,
                    report.targets_file,
                    targets_sha256,
                    command,
                    report.exit_code,
                    json.dumps(list(report.register_files), ensure_ascii=False),
                ),
            )
            run = int(cur.lastrowid or 0)
            con.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _file_rows(run, report, files))
            con.executemany(
                "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _indicator_rows(run, report)
            )
            con.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _finding_rows(run, report))
            con.executemany("INSERT INTO completeness VALUES (?, ?, ?, ?, ?, ?, ?)", _completeness_rows(run, report))
        return run

    # --- reading
    # A database is a file anyone can edit: every value read is checked as it is
    # turned into Python, and a value qbplan could not have written is a damaged
    # database in one line (see _reading), never a traceback further on.

    def plans(self) -> list[str]:
        """The plan ids that runs were saved under, in first-saved order."""
        with _reading(self.path):
            rows = self.con.execute("SELECT plan_id FROM runs GROUP BY plan_id ORDER BY min(id)").fetchall()
            return [_text(r[0]) for r in rows]

    def runs(self, plan_id: str) -> list[RunInfo]:
        """Every run of a plan, oldest first, each marked current when it is the latest of its period."""
        with _reading(self.path):
            return self._runs(plan_id)

    def current(self, plan_id: str, period: Period | None = None) -> list[SavedIndicator]:
        """Each indicator of the current run of every period of a plan (of ``period`` only, when given)."""
        with _reading(self.path):
            return self._current(plan_id, period)

    def _runs(self, plan_id: str) -> list[RunInfo]:
        rows = self.con.execute(
            "SELECT id, period, saved_at, qbplan_version, plan_id, targets_file, targets_sha256, command, "
            "exit_code FROM runs WHERE plan_id = ? ORDER BY id",
            (plan_id,),
        ).fetchall()
        latest: dict[str, int] = {}
        for row in rows:
            latest[row[1]] = row[0]
        files: dict[int, list[SavedFile]] = {}
        for run_id, path, sha, size in self.con.execute(
            "SELECT run_id, path, sha256, size FROM files WHERE run_id IN (SELECT id FROM runs WHERE plan_id = ?)",
            (plan_id,),
        ):
            files.setdefault(run_id, []).append(SavedFile(_text(path), _optional(sha, _text), _optional(size, _int)))
        return [
            RunInfo(
                id=r[0],
                period=_period(r[1]),
                saved_at=_text(r[2]),
                qbplan_version=_text(r[3]),
                plan_id=_text(r[4]),
                targets_file=_text(r[5]),
                targets_sha256=_text(r[6]),
                command=_text(r[7]),
                exit_code=_int(r[8]),
                current=latest[r[1]] == r[0],
                files=tuple(files.get(r[0], [])),
            )
            for r in rows
        ]

    def _current(self, plan_id: str, period: Period | None) -> list[SavedIndicator]:
        rows = self.con.execute(
            "SELECT r.id, r.period, i.indicator, i.title_vi, i.title_en, i.mode, i.numerator, i.denominator, "
            "i.target, i.status, i.exceeded, i.deadline, i.coverage_expected, i.coverage_reported, r.plan_id "
            "FROM indicators i JOIN runs r ON r.id = i.run_id "
            "WHERE r.id IN (SELECT max(id) FROM runs WHERE plan_id = ? AND (? IS NULL OR period = ?) GROUP BY period) "
            "ORDER BY r.id",
            (plan_id, period.key if period else None, period.key if period else None),
        ).fetchall()
        return [
            SavedIndicator(
                run_id=r[0],
                period=_period(r[1]),
                indicator=_text(r[2]),
                title_vi=_text(r[3]),
                title_en=_text(r[4]),
                mode=_one_of(r[5], MODES),
                numerator=_int(r[6]),
                denominator=_int(r[7]),
                target=_fraction(r[8]),
                status=_one_of(r[9], STATUSES),
                exceeded=bool(_int(r[10])),
                deadline=_int(r[11]),
                coverage_expected=_optional(r[12], _int),
                coverage_reported=_optional(r[13], _int),
                plan_id=_text(r[14]),
            )
            for r in rows
        ]


MODES = ("count", "sum")
# Counts are rows and people: 30 digits is more than any province holds.
_MAX_DIGITS = 30
_T = TypeVar("_T")


@contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Whatever a damaged or hand-edited database gives on reading, said as ``history-db-corrupt``."""
    try:
        yield
    except HistoryError:
        raise
    except sqlite3.Error as exc:
        raise _database_error(exc, path) from None
    except (QbplanError, ValueError, TypeError, ZeroDivisionError, KeyError, OverflowError) as exc:
        raise HistoryError("history-db-corrupt", file=str(path), detail=_tampered(exc)) from None


def _tampered(exc: BaseException) -> str:
    return str(exc)[:120] if not isinstance(exc, QbplanError) else exc.code


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"text expected, found {type(value).__name__}")
    return value


def _int(value: object) -> int:
    """An integer as qbplan writes one: an SQLite integer, or decimal digits as text."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"an integer expected, found {type(value).__name__}")
    text = str(value)
    digits = text.lstrip("-")
    if not digits.isascii() or not digits.isdigit() or len(digits) > _MAX_DIGITS:
        raise ValueError(f"an integer expected, found {text[:40]!r}")
    return int(text)


def _fraction(value: object) -> Fraction:
    """A target as qbplan writes one: ``n/d`` with d > 0."""
    numerator, sep, denominator = _text(value).partition("/")
    if not sep or _int(denominator) <= 0:
        raise ValueError(f"n/d expected, found {str(value)[:40]!r}")
    return Fraction(_int(numerator), _int(denominator))


def _one_of(value: object, allowed: tuple[str, ...]) -> Any:
    if value not in allowed:
        raise ValueError(f"one of {', '.join(allowed)} expected, found {str(value)[:40]!r}")
    return value


def _optional(value: object, read: Callable[[object], _T]) -> _T | None:
    return None if value is None else read(value)


def _period(value: object) -> Period:
    return parse_period(_text(value))


def _unit(u: Any) -> dict[str, Any]:
    return {"key": u.key, "name": u.name, "group": u.group}


Row = tuple[Any, ...]


def _file_rows(run: int, report: Report, files: Sequence[SavedFile]) -> list[Row]:
    hashes = {f.path: f for f in files}
    out = []
    for f in report.files:
        saved = hashes.get(f.file)
        sha, size = (saved.sha256, saved.size) if saved else (None, None)
        out.append((run, f.file, sha, size, int(f.readable), f.rows_read, f.rows_excluded, f.errors, f.warnings))
    return out


def _indicator_rows(run: int, report: Report) -> list[Row]:
    return [
        (
            run,
            i.id,
            i.title_vi,
            i.title_en,
            i.mode,
            # Decimal text: an exact sum may pass SQLite's 64-bit integers.
            str(i.numerator),
            str(i.denominator),
            f"{i.target.numerator}/{i.target.denominator}",
            i.status,
            int(i.exceeded),
            i.excluded_rows,
            i.deadline,
            i.coverage.expected if i.coverage else None,
            i.coverage.reported if i.coverage else None,
        )
        for i in report.indicators
    ]


def _finding_rows(run: int, report: Report) -> list[Row]:
    return [
        (
            run,
            f.code,
            f.severity,
            f.file,
            f.sheet,
            f.row,
            f.column,
            f.cell,
            json.dumps(f.value, ensure_ascii=False),
            json.dumps(dict(f.params), ensure_ascii=False),
        )
        for f in report.errors + report.warnings
    ]


def _completeness_rows(run: int, report: Report) -> list[Row]:
    return [
        (
            run,
            c.sheet,
            c.register,
            c.expected,
            c.submitted,
            json.dumps([_unit(u) for u in c.missing], ensure_ascii=False),
            json.dumps([_unit(u) for u in c.unknown], ensure_ascii=False),
        )
        for c in report.completeness
    ]


def open_store(path: str | os.PathLike[str], *, create: bool) -> Store:
    """Open the history database at ``path``.

    With ``create``, a missing (or empty) file becomes a new database and an
    older one is migrated forward, after a backup copy. Without it, a missing
    one is an error. Every refusal is decided by reading only: nothing is
    written to a file that is refused.
    """
    target = Path(path)
    exists = _check_file(target)
    if not exists and not create:
        raise HistoryError("history-db-missing", file=str(target))
    version = _inspect(target) if exists else 0
    return _open_writable(target, version) if create else _open_read_only(target, version)


def _open_read_only(target: Path, version: int) -> Store:
    if version < SCHEMA_VERSION:
        # Reading an older database would need its migration: save a run to bring it forward.
        raise HistoryError("history-db-older", file=str(target), version=version, supported=SCHEMA_VERSION)
    try:
        con = sqlite3.connect(_read_only_uri(target), uri=True, timeout=BUSY_SECONDS)
    except sqlite3.Error as exc:
        raise _database_error(exc, target) from None
    return Store(target, con)


def _open_writable(target: Path, version: int) -> Store:
    """Open (or create) the database in WAL mode, migrated forward after a backup of an older one."""
    if not target.parent.is_dir():
        raise HistoryError("history-db-no-folder", file=str(target))
    backup = _backup(target, version) if 0 < version < SCHEMA_VERSION else None
    try:
        con = sqlite3.connect(target, timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise HistoryError("history-db-unreadable", file=str(target), detail=str(exc)) from None
    store = Store(target, con)
    store.backup = backup
    try:
        # The rollback journal (see the module's docstring); a database an older
        # qbplan left in WAL mode is switched back, which needs it alone for a
        # moment: SQLite does not wait for that lock, so it is retried.
        _retrying(lambda: con.execute("PRAGMA journal_mode=DELETE"), target)
        con.execute("PRAGMA synchronous=FULL")
        _migrate(store)
    except sqlite3.Error as exc:
        con.close()
        raise _write_error(exc, target) from None
    except BaseException:
        con.close()
        raise
    return store


def _write_error(exc: sqlite3.Error, path: Path) -> HistoryError:
    """What keeps a save from landing, said in one line: nothing of the run is in the database."""
    detail = str(exc)
    if "readonly" in detail or "read-only" in detail:
        return HistoryError("history-db-readonly", file=str(path))
    if "full" in detail or "I/O" in detail:
        return HistoryError("history-db-not-written", file=str(path), detail=detail)
    return _database_error(exc, path)


def _retrying(step: Callable[[], object], path: Path) -> None:
    """``step()``, again while the database is locked by another process, up to :data:`BUSY_SECONDS`."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise HistoryError("history-db-busy", file=str(path)) from None
            time.sleep(0.05)


def _migrate(store: Store) -> None:
    """Bring the schema to :data:`SCHEMA_VERSION` in one transaction (another process may have done it first)."""
    with store.transaction() as con:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        for step in MIGRATIONS[version:]:
            for statement in step:
                con.execute(statement)
        if version < SCHEMA_VERSION:
            con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
