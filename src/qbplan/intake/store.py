"""The intake records of a round, on SQLite or PostgreSQL through SQLAlchemy Core.

Why SQLAlchemy Core and Alembic: one schema and one set of queries for both
engines, and migrations that run the same way on a planner's SQLite file and
on the department's PostgreSQL server, instead of SQL written twice.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event, func, insert, select, update
from sqlalchemy.engine import Connection

from qbplan.errors import QbplanError
from qbplan.intake.schema import decisions, metadata, rounds, submissions
from qbplan.model.findings import Finding
from qbplan.model.report import Report
from qbplan.storage import migrate
from qbplan.storage.location import first_line, redacted, server_url

Decision = Literal["sent", "accepted", "returned"]
State = Literal["missing", "errors", "clean", "accepted", "returned"]
# Alembic's own default table name: intake databases have kept their revision there from the start.
CHAIN = migrate.Chain(Path(__file__).parent / "migrations" / "versions", metadata, "alembic_version")


# Vietnam's time (UTC+7, no daylight saving): the round's due dates and the times pages show.
ICT = _dt.timezone(_dt.timedelta(hours=7), "ICT")


def due_at_end_of(day: _dt.date) -> _dt.datetime:
    """A due date as a moment: the end of that day in Vietnam, 23:59:59 ICT."""
    return _dt.datetime.combine(day, _dt.time(23, 59, 59), ICT)


class IntakeError(QbplanError):
    """The intake database cannot be used (exit 2)."""


@dataclass(frozen=True)
class DecisionRecord:
    """One decision the planner made on a submission."""

    decision: Decision
    note: str
    decided_at: _dt.datetime


@dataclass(frozen=True)
class Submission:
    """One file a unit sent, its verdict and the planner's decision."""

    id: int
    period: str
    unit_key: str
    sha256: str
    size: int
    filename: str
    received_at: _dt.datetime
    exit_code: int
    errors: int
    warnings: int
    findings: tuple[Finding, ...]
    decision: Decision
    note: str
    decided_at: _dt.datetime | None

    @property
    def state(self) -> State:
        """What the planner's table shows: accepted or returned once decided, else errors or clean."""
        if self.decision != "sent":
            return self.decision
        return "errors" if self.errors else "clean"


def database_url(db: str | None, folder: Path) -> str:
    """``--db`` as given (``postgresql://…``, ``sqlite:///…``), a path as an SQLite file, else ``folder/intake.db``."""
    if db is None:
        return f"sqlite:///{(folder / 'intake.db').resolve()}"
    server = server_url(db)
    if server is not None:
        return server.url
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).resolve()}"


class IntakeStore:
    """An open intake database, migrated to the current schema."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        _upgrade(self.engine)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self.engine.begin() as con:
            yield con

    def record(self, period: str, unit_key: str, sha256: str, size: int, filename: str, report: Report) -> Submission:
        """Record one submission and its verdict; it becomes the unit's current one."""
        row = {
            "period": period,
            "unit_key": unit_key,
            "sha256": sha256,
            "size": size,
            "filename": filename[:255],
            "received_at": _now(),
            "exit_code": report.validity_exit_code,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "findings": json.dumps([_finding_dict(f) for f in report.errors + report.warnings], ensure_ascii=False),
            "decision": "sent",
            "note": "",
            "decided_at": None,
        }
        with self._begin() as con:
            new_id = con.execute(insert(submissions).values(**row)).inserted_primary_key[0]  # type: ignore[index]
        found = self.get(int(new_id))
        assert found is not None
        return found

    def get(self, submission_id: int) -> Submission | None:
        """The submission with this id, or None."""
        with self._begin() as con:
            row = con.execute(select(submissions).where(submissions.c.id == submission_id)).mappings().first()
        return _submission(row) if row else None

    def of_unit(self, period: str, unit_key: str) -> list[Submission]:
        """A unit's submissions of a period, newest first: the first is its current one."""
        query = (
            select(submissions)
            .where(submissions.c.period == period, submissions.c.unit_key == unit_key)
            .order_by(submissions.c.id.desc())
        )
        with self._begin() as con:
            return [_submission(r) for r in con.execute(query).mappings()]

    def current(self, period: str) -> dict[str, Submission]:
        """Each unit's current (latest) submission of a period, by unit key."""
        latest = (
            select(func.max(submissions.c.id))
            .where(submissions.c.period == period)
            .group_by(submissions.c.unit_key)
            .scalar_subquery()
        )
        query = select(submissions).where(submissions.c.id.in_(latest))
        with self._begin() as con:
            return {r["unit_key"]: _submission(r) for r in con.execute(query).mappings()}

    def decide(self, submission_id: int, decision: Decision, note: str) -> Submission | None:
        """The planner accepts or returns a submission, with a note; None when there is no such submission.

        The submission shows its latest decision; every one is kept, in order (:meth:`decisions`).
        """
        when, note = _now(), note[:2000]
        with self._begin() as con:
            changed = con.execute(
                update(submissions)
                .where(submissions.c.id == submission_id)
                .values(decision=decision, note=note, decided_at=when)
            ).rowcount
            if changed:
                row = {"submission_id": submission_id, "decision": decision, "note": note, "decided_at": when}
                con.execute(insert(decisions).values(**row))
        return self.get(submission_id)

    def decisions(self, submission_id: int) -> list[DecisionRecord]:
        """Every decision on a submission, oldest first."""
        query = select(decisions).where(decisions.c.submission_id == submission_id).order_by(decisions.c.id)
        with self._begin() as con:
            return [
                DecisionRecord(r["decision"], r["note"], _aware(r["decided_at"])) for r in con.execute(query).mappings()
            ]

    def set_due(self, period: str, due: _dt.datetime | None) -> None:
        """The due date of a period's round (None: no due date)."""
        # Stored in UTC: SQLite keeps no offset, and would give 23:59 ICT back as 23:59 UTC.
        due = due.astimezone(_dt.timezone.utc) if due is not None else None
        with self._begin() as con:
            if con.execute(select(rounds.c.period).where(rounds.c.period == period)).first():
                con.execute(update(rounds).where(rounds.c.period == period).values(due=due))
            else:
                con.execute(insert(rounds).values(period=period, due=due))

    def due(self, period: str) -> _dt.datetime | None:
        """The due date of a period's round, or None."""
        with self._begin() as con:
            value = con.execute(select(rounds.c.due).where(rounds.c.period == period)).scalar()
        return _aware(value) if value is not None else None


def _engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

            @event.listens_for(engine, "connect")
            def _pragmas(con: Any, _record: Any) -> None:
                # Writers queue on the busy timeout; WAL lets the planner's page read while a unit uploads
                # (the server is the database's only user, so no reader leaves files in others' folders).
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("PRAGMA synchronous=FULL")

            return engine
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # noqa: BLE001 - a bad URL or a missing driver, said in one line
        raise IntakeError("intake-db-unusable", db=redacted(url), detail=first_line(exc)) from None


def _upgrade(engine: Engine) -> None:
    """Bring the database to the current schema with Alembic, on one connection, in one transaction."""
    try:
        with engine.begin() as con:
            migrate.upgrade(CHAIN, con)
    except Exception as exc:  # noqa: BLE001 - a server that refuses, a file that is not a database
        raise IntakeError(
            "intake-db-unusable", db=redacted(engine.url.render_as_string(hide_password=False)), detail=first_line(exc)
        ) from None


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _aware(value: _dt.datetime) -> _dt.datetime:
    # SQLite gives back naive datetimes for what was stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)


def _finding_dict(f: Finding) -> dict[str, Any]:
    out = dataclasses.asdict(f)
    out["params"] = dict(f.params)
    return out


def _submission(row: Any) -> Submission:
    findings = tuple(Finding(**d) for d in json.loads(row["findings"]))
    return Submission(
        id=row["id"],
        period=row["period"],
        unit_key=row["unit_key"],
        sha256=row["sha256"],
        size=row["size"],
        filename=row["filename"],
        received_at=_aware(row["received_at"]),
        exit_code=row["exit_code"],
        errors=row["errors"],
        warnings=row["warnings"],
        findings=findings,
        decision=row["decision"],
        note=row["note"],
        decided_at=_aware(row["decided_at"]) if row["decided_at"] else None,
    )
