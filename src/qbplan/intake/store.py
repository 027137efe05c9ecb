"""The intake records of a round, on SQLite or PostgreSQL through SQLAlchemy Core.

Why SQLAlchemy Core and Alembic: one schema and one set of queries for both
engines, and migrations that run the same way on a planner's SQLite file and
on the department's PostgreSQL server, instead of SQL written twice.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, Table, create_engine, delete, event, func, insert, make_url, select, update
from sqlalchemy.engine import Connection

from qbplan.errors import QbplanError
from qbplan.intake.accounts import BOOTSTRAP, ROLES, Account, hasher, name_problem, password_problem
from qbplan.intake.schema import (
    accounts,
    audit,
    blobs,
    decisions,
    explanations,
    metadata,
    readings,
    reminders,
    round_events,
    rounds,
    sessions,
    settings,
    submissions,
)
from qbplan.model.findings import Finding
from qbplan.model.report import Report
from qbplan.storage import faults, migrate, sqlite_file
from qbplan.storage.engines import server_engine
from qbplan.storage.location import first_line, redacted, server_url

Decision = Literal["sent", "accepted", "returned", "superseded"]
State = Literal["missing", "checking", "errors", "clean", "accepted", "returned", "superseded"]
RoundEventKind = Literal["closed", "reopened", "due"]
# Alembic's own default table name: intake databases have kept their revision there from the start.
CHAIN = migrate.Chain(Path(__file__).parent / "migrations" / "versions", metadata, "alembic_version")


# Seconds a store call waits for a lock (a busy SQLite file, a locked PostgreSQL table) before it fails.
DEFAULT_WAIT = 20.0

# Vietnam's time (UTC+7, no daylight saving): the round's due dates and the times pages show.
ICT = _dt.timezone(_dt.timedelta(hours=7), "ICT")


def due_at_end_of(day: _dt.date) -> _dt.datetime:
    """A due date as a moment: the end of that day in Vietnam, 23:59:59 ICT."""
    return _dt.datetime.combine(day, _dt.time(23, 59, 59), ICT)


class IntakeError(QbplanError):
    """The intake database cannot be used (exit 2)."""


class Refused(Exception):
    """What the round's rules do not allow (a decision, an upload), with the code that says why.

    Nothing was written. ``params`` name what stands in the way (a newer submission's number).
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class RoundEvent:
    """One act on a round: closed, reopened, or its due date set."""

    event: RoundEventKind
    note: str
    at: _dt.datetime
    actor: str | None = None  # None before accounts were kept (revision 0006)


@dataclass(frozen=True)
class DecisionRecord:
    """One decision the planner made on a submission."""

    decision: Decision
    note: str
    decided_at: _dt.datetime
    actor: str | None = None  # None before accounts were kept, and for what the store did itself


@dataclass(frozen=True)
class AuditEntry:
    """One act kept in the audit trail: who (an account, "" for the start-up token), what, on what, from where."""

    at: _dt.datetime
    actor: str
    action: str
    subject: str
    detail: str
    address: str


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
    # When its check ended; None while it runs (it was recorded on arrival).
    checked_at: _dt.datetime | None = None

    @property
    def state(self) -> State:
        """What the planner's table shows: once decided, the decision; else checking, errors or clean."""
        if self.decision != "sent":
            return self.decision
        if self.checked_at is None:
            return "checking"
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

    def __init__(self, url: str, wait: float = DEFAULT_WAIT) -> None:
        """Open (and migrate) the database at ``url``; a call waits ``wait`` seconds at most for a lock.

        Past the wait, SQLAlchemy's ``OperationalError`` is raised: the intake's
        pages say the database is busy rather than hang with the request.
        """
        self.url = url
        _refuse_foreign_file(url, wait)
        self.engine = _engine(url, wait)
        _upgrade(self.engine)
        self._writable()

    def _writable(self) -> None:
        """Prove, at start, that the database takes a write (then undo it): a read-only file is said now,
        not as a 500 on every upload."""
        try:
            with self.engine.connect() as con, con.begin() as tx:
                con.execute(insert(settings).values(key="write-probe", value=""))
                tx.rollback()
        except Exception as exc:  # noqa: BLE001 - read-only file, folder or role: one line
            url = redacted(self.engine.url.render_as_string(hide_password=False))
            raise IntakeError("intake-db-unusable", db=url, detail=first_line(exc)) from None

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self) -> IntakeStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self.engine.begin() as con:
            yield con

    def arrive(self, period: str, unit_key: str, sha256: str, size: int, filename: str) -> Submission:
        """Record a file the moment it arrives: its number and time, before its check (state "checking").

        Its arrival decides which submission is a unit's latest and whether it
        came on time, however long its check takes. Raises :class:`Refused`
        (``round-closed``) when the planner has closed the round.
        """
        row = {
            "period": period,
            "unit_key": unit_key,
            "sha256": sha256,
            "size": size,
            "filename": filename[:255],
            "received_at": _now(),
            "exit_code": 0,
            "errors": 0,
            "warnings": 0,
            "findings": "[]",
            "decision": "sent",
            "note": "",
            "decided_at": None,
            "checked_at": None,
        }
        with self._begin() as con:
            closed = con.execute(select(rounds.c.closed_at).where(rounds.c.period == period)).scalar()
            if closed is not None:
                raise Refused("round-closed", closed=_aware(closed))
            new_id = con.execute(insert(submissions).values(**row)).inserted_primary_key[0]  # type: ignore[index]
        found = self.get(int(new_id))
        assert found is not None
        return found

    def checked(self, submission_id: int, report: Report, reading: tuple[str, str, bytes] | None = None) -> Submission:
        """Record the verdict of a submission recorded on arrival; with ``reading`` (the file's hash, the
        rules and the reading, see qbplan.intake.readings), keep that too, in the same transaction."""
        values = {
            "exit_code": report.validity_exit_code,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "findings": json.dumps([_finding_dict(f) for f in report.errors + report.warnings], ensure_ascii=False),
            "checked_at": _now(),
        }
        with self._begin() as con:
            con.execute(update(submissions).where(submissions.c.id == submission_id).values(**values))
            if reading is not None:
                sha256, rules, content = reading
                _insert_once(con, readings, {"sha256": sha256, "rules": rules, "content": content})
        found = self.get(submission_id)
        assert found is not None
        return found

    def record(self, period: str, unit_key: str, sha256: str, size: int, filename: str, report: Report) -> Submission:
        """Record one submission and its verdict at once (:meth:`arrive`, then :meth:`checked`)."""
        return self.checked(self.arrive(period, unit_key, sha256, size, filename).id, report)

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
        """Each unit's latest submission of a period (the last to arrive), by unit key."""
        latest = (
            select(func.max(submissions.c.id))
            .where(submissions.c.period == period)
            .group_by(submissions.c.unit_key)
            .scalar_subquery()
        )
        query = select(submissions).where(submissions.c.id.in_(latest))
        with self._begin() as con:
            return {r["unit_key"]: _submission(r) for r in con.execute(query).mappings()}

    def arrivals_since(self, period: str, unit_key: str, since: _dt.datetime) -> int:
        """How many files a unit sent in a period since ``since``: its uploads' rate."""
        query = select(func.count(submissions.c.id)).where(
            submissions.c.period == period, submissions.c.unit_key == unit_key, submissions.c.received_at >= since
        )
        with self._begin() as con:
            return int(con.execute(query).scalar() or 0)

    def counted(self, period: str) -> dict[str, Submission]:
        """Each unit's accepted submission of a period, by unit key: what the province's figures count.

        At most one per unit: accepting a submission supersedes the unit's
        earlier accepted one. A file sent after it does not change what counts
        until the planner accepts that file.
        """
        query = select(submissions).where(submissions.c.period == period, submissions.c.decision == "accepted")
        with self._begin() as con:
            return {r["unit_key"]: _submission(r) for r in con.execute(query).mappings()}

    def decide(
        self, submission_id: int, decision: Decision, note: str, actor: str = "", address: str = ""
    ) -> Submission | None:
        """The planner accepts or returns a submission, with a note; None when there is no such submission.

        Accepting supersedes the unit's earlier accepted submission, said as a
        decision on it. Raises :class:`Refused` for what would change nothing
        or count the wrong file: a submission still being checked
        (``decide-checking``), one already superseded or followed by a newer
        file of its unit (``decide-superseded``, naming the newer one), one
        already accepted (``decide-already-accepted``). Every decision is kept,
        in order (:meth:`decisions`), with who made it, and in the audit trail.
        """
        when, note = _now(), note[:2000]
        with self._begin() as con:
            row = con.execute(select(submissions).where(submissions.c.id == submission_id)).mappings().first()
            if row is None:
                return None
            found = _submission(row)
            if decision == "accepted":
                self._may_accept(con, found)
            elif found.decision == "superseded":
                raise Refused("decide-superseded", newer=self._accepted_id(con, found))
            con.execute(
                update(submissions)
                .where(submissions.c.id == submission_id)
                .values(decision=decision, note=note, decided_at=when)
            )
            con.execute(
                insert(decisions).values(
                    submission_id=submission_id, decision=decision, note=note, decided_at=when, actor=actor
                )
            )
            self._audit(con, actor, decision, f"#{submission_id}", f"{found.unit_key} {note}".strip(), address, when)
            if decision == "accepted":
                self._supersede(con, found, when)
        return self.get(submission_id)

    def _may_accept(self, con: Connection, found: Submission) -> None:
        if found.state == "checking":
            raise Refused("decide-checking")
        if found.decision == "accepted":
            raise Refused("decide-already-accepted")
        newer = con.execute(
            select(func.max(submissions.c.id)).where(
                submissions.c.period == found.period, submissions.c.unit_key == found.unit_key
            )
        ).scalar()
        if found.decision == "superseded" or (newer is not None and newer > found.id):
            raise Refused("decide-superseded", newer=newer)

    def _accepted_id(self, con: Connection, found: Submission) -> int | None:
        query = select(submissions.c.id).where(
            submissions.c.period == found.period,
            submissions.c.unit_key == found.unit_key,
            submissions.c.decision == "accepted",
        )
        return con.execute(query).scalar()

    def _supersede(self, con: Connection, accepted: Submission, when: _dt.datetime) -> None:
        """Mark the unit's other accepted submissions superseded, each with a decision naming the new one."""
        others = [
            r[0]
            for r in con.execute(
                select(submissions.c.id).where(
                    submissions.c.period == accepted.period,
                    submissions.c.unit_key == accepted.unit_key,
                    submissions.c.decision == "accepted",
                    submissions.c.id != accepted.id,
                )
            )
        ]
        for other in others:
            note = f"#{accepted.id}"
            con.execute(
                update(submissions).where(submissions.c.id == other).values(decision="superseded", decided_at=when)
            )
            con.execute(
                insert(decisions).values(submission_id=other, decision="superseded", note=note, decided_at=when)
            )

    def decisions(self, submission_id: int) -> list[DecisionRecord]:
        """Every decision on a submission, oldest first."""
        query = select(decisions).where(decisions.c.submission_id == submission_id).order_by(decisions.c.id)
        with self._begin() as con:
            return [
                DecisionRecord(r["decision"], r["note"], _aware(r["decided_at"]), r["actor"])
                for r in con.execute(query).mappings()
            ]

    def set_due(self, period: str, due: _dt.datetime | None, actor: str | None = None, address: str = "") -> None:
        """The due date of a period's round (None: no due date), kept among the round's events."""
        # Stored in UTC: SQLite keeps no offset, and would give 23:59 ICT back as 23:59 UTC.
        due = due.astimezone(_dt.timezone.utc) if due is not None else None
        with self._begin() as con:
            self._round(con, period)
            if con.execute(select(rounds.c.due).where(rounds.c.period == period)).scalar() == due:
                return
            con.execute(update(rounds).where(rounds.c.period == period).values(due=due))
            note, when = (due.isoformat() if due is not None else ""), _now()
            con.execute(insert(round_events).values(period=period, event="due", note=note, at=when, actor=actor))
            if actor is not None:
                self._audit(con, actor, "due", period, note, address, when)

    def due(self, period: str) -> _dt.datetime | None:
        """The due date of a period's round, or None."""
        with self._begin() as con:
            value = con.execute(select(rounds.c.due).where(rounds.c.period == period)).scalar()
        return _aware(value) if value is not None else None

    def close_round(self, period: str, note: str = "", actor: str = "", address: str = "") -> bool:
        """Close a period's round: no upload is taken until it is reopened. False when it was closed already."""
        return self._open_or_close(period, "closed", note, actor, address)

    def reopen_round(self, period: str, note: str = "", actor: str = "", address: str = "") -> bool:
        """Reopen a closed round, a recorded act. False when it was open."""
        return self._open_or_close(period, "reopened", note, actor, address)

    def round_closed(self, period: str) -> _dt.datetime | None:
        """When the round was closed, or None while it is open."""
        with self._begin() as con:
            value = con.execute(select(rounds.c.closed_at).where(rounds.c.period == period)).scalar()
        return _aware(value) if value is not None else None

    def events(self, period: str) -> list[RoundEvent]:
        """Every act on a period's round, oldest first."""
        query = select(round_events).where(round_events.c.period == period).order_by(round_events.c.id)
        with self._begin() as con:
            return [
                RoundEvent(r["event"], r["note"], _aware(r["at"]), r["actor"]) for r in con.execute(query).mappings()
            ]

    def _open_or_close(self, period: str, event: RoundEventKind, note: str, actor: str, address: str) -> bool:
        when = _now()
        with self._begin() as con:
            self._round(con, period)
            closed = con.execute(select(rounds.c.closed_at).where(rounds.c.period == period)).scalar()
            if (closed is not None) == (event == "closed"):
                return False
            value = when if event == "closed" else None
            con.execute(update(rounds).where(rounds.c.period == period).values(closed_at=value))
            con.execute(insert(round_events).values(period=period, event=event, note=note[:2000], at=when, actor=actor))
            self._audit(con, actor, event, period, note[:2000], address, when)
        return True

    def open_session(self, ttl: _dt.timedelta, account: str = "", address: str = "") -> str:
        """A new session of ``account`` ("" for the start-up token): its random id, given once to the browser.

        The store keeps only the id's hash; the sign-in is kept in the audit trail.
        """
        import secrets

        token = secrets.token_urlsafe(32)
        now = _now()
        row = {"id_hash": _token_hash(token), "created_at": now, "expires_at": now + ttl, "account": account}
        with self._begin() as con:
            con.execute(delete(sessions).where(sessions.c.expires_at < now))  # the ended ones go
            con.execute(insert(sessions).values(**row))
            self._audit(con, account, "sign-in", account, "", address, now)
        return token

    def session_account(self, token: str) -> Account | None:
        """Who a session belongs to, while it has not ended or been closed and its account is active.

        A session of the start-up token stops answering once an admin account exists.
        """
        if not token:
            return None
        query = select(sessions.c.expires_at, sessions.c.account).where(sessions.c.id_hash == _token_hash(token))
        with self._begin() as con:
            found = con.execute(query).first()
            if found is None or _aware(found.expires_at) <= _now():
                return None
            if not found.account:
                return None if self._has_admin(con) else BOOTSTRAP
            row = con.execute(select(accounts).where(accounts.c.name == found.account)).mappings().first()
        account = _account(row) if row is not None else None
        return account if account is not None and account.active else None

    def close_session(self, token: str, address: str = "") -> None:
        """End a session (sign-out): its id answers nothing from now on."""
        with self._begin() as con:
            query = select(sessions.c.account).where(sessions.c.id_hash == _token_hash(token))
            account = con.execute(query).scalar()
            gone = con.execute(delete(sessions).where(sessions.c.id_hash == _token_hash(token))).rowcount
            if gone:
                self._audit(con, account or "", "sign-out", account or "", "", address, _now())

    # --- a unit's explanations of its warnings

    def explain(self, submission_id: int, key: str, text: str) -> None:
        """Keep a unit's explanation of one finding of its submission (a blank text takes it back)."""
        row = {"submission_id": submission_id, "finding_key": key[:300], "text": text.strip()[:500], "at": _now()}
        with self._begin() as con:
            con.execute(insert(explanations).values(**row))

    def explanations(self, submission_id: int) -> dict[str, str]:
        """Each explained finding's latest explanation, by its key; a blank one taken back is left out."""
        query = select(explanations).where(explanations.c.submission_id == submission_id).order_by(explanations.c.id)
        with self._begin() as con:
            latest = {r["finding_key"]: r["text"] for r in con.execute(query).mappings()}
        return {key: text for key, text in latest.items() if text}

    # --- reminders

    def reminded(self, period: str, unit_key: str, email: str, reason: str, status: str, detail: str = "") -> None:
        """Keep one reminder: to whom, why (missing, returned), whether the mail server took it."""
        row = {"period": period, "unit_key": unit_key, "email": email[:320], "reason": reason, "status": status,
               "detail": detail[:2000], "at": _now()}  # fmt: skip
        with self._begin() as con:
            con.execute(insert(reminders).values(**row))

    def last_reminders(self, period: str) -> dict[str, _dt.datetime]:
        """When each unit was last reminded (sent) in a period, by unit key."""
        query = (
            select(reminders.c.unit_key, func.max(reminders.c.at))
            .where(reminders.c.period == period, reminders.c.status == "sent")
            .group_by(reminders.c.unit_key)
        )
        with self._begin() as con:
            return {str(key): _aware(at) for key, at in con.execute(query)}

    # --- accounts

    def add_account(self, name: str, password: str, role: str, unit_group: str = "", *, actor: str,
                    address: str = "") -> Account:  # fmt: skip
        """A new planner account. Raises :class:`Refused` for a bad name or role, a weak password, a name taken."""
        problem = name_problem(name) or _role_problem(role) or password_problem(name, password)
        if problem:
            raise Refused(problem, name=name)
        digest = hasher().hash(password)  # type: ignore[attr-defined]
        now = _now()
        row = {"name": name, "password_hash": digest, "role": role, "unit_group": unit_group[:200],
               "created_at": now, "disabled_at": None}  # fmt: skip
        with self._begin() as con:
            if con.execute(select(accounts.c.name).where(accounts.c.name == name)).first() is not None:
                raise Refused("account-exists", name=name)
            con.execute(insert(accounts).values(**row))
            detail = f"{role} {unit_group}".strip()
            self._audit(con, actor, "account-added", name, detail, address, now)
        return Account(name, role, unit_group[:200], now)  # type: ignore[arg-type]

    def change_account(self, name: str, *, actor: str, address: str = "", role: str | None = None,
                       unit_group: str | None = None, password: str | None = None,
                       active: bool | None = None) -> Account:  # fmt: skip
        """Change an account's role, group, password or whether it may sign in; each change is audited.

        Disabling an account ends its sessions. Raises :class:`Refused` for an
        unknown account, a bad role, a weak password, and for taking away the
        last active admin (``account-last-admin``): nobody could then manage accounts.
        """
        problem = (_role_problem(role) if role is not None else None) or (
            password_problem(name, password) if password is not None else None
        )
        if problem:
            raise Refused(problem, name=name)
        # Hashed before the transaction: argon2 takes tens of milliseconds, and SQLite's write lock is shared.
        digest = hasher().hash(password) if password is not None else None  # type: ignore[attr-defined]
        now = _now()
        with self._begin() as con:
            row = con.execute(select(accounts).where(accounts.c.name == name)).mappings().first()
            if row is None:
                raise Refused("account-unknown", name=name)
            before = _account(row)
            values, changes = _account_changes(before, role, unit_group, digest, active, now)
            losing_admin = (
                before.role == "admin"
                and before.active
                and (values.get("role", "admin") != "admin" or values.get("disabled_at") is not None)
            )
            if losing_admin and self._admins(con) <= 1:
                raise Refused("account-last-admin", name=name)
            if values:
                con.execute(update(accounts).where(accounts.c.name == name).values(**values))
            if values.get("disabled_at") is not None or "password_hash" in values:
                # A disabled account, or one whose password changed, is signed out everywhere.
                con.execute(delete(sessions).where(sessions.c.account == name))
            for action, detail in changes:
                self._audit(con, actor, action, name, detail, address, now)
            after = con.execute(select(accounts).where(accounts.c.name == name)).mappings().first()
        return _account(after)

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        with self._begin() as con:
            return [_account(r) for r in con.execute(select(accounts).order_by(accounts.c.name)).mappings()]

    def has_admin(self) -> bool:
        """Whether an active admin account exists: then the start-up token signs nobody in."""
        with self._begin() as con:
            return self._has_admin(con)

    def sign_in(self, name: str, password: str, address: str = "") -> Account | None:
        """The account ``name`` when ``password`` is its own and it is active; None otherwise (audited).

        An unknown name costs the same hash as a known one: the time taken does not tell which names exist.
        """
        from argon2.exceptions import InvalidHashError, VerificationError

        with self._begin() as con:
            row = con.execute(select(accounts).where(accounts.c.name == name)).mappings().first()
        check = hasher()
        digest = row["password_hash"] if row is not None else _UNKNOWN_HASH
        try:
            check.verify(digest, password)  # type: ignore[attr-defined]
            right = row is not None
        except (VerificationError, InvalidHashError):
            right = False
        account = _account(row) if row is not None else None
        if not right or account is None or not account.active:
            with self._begin() as con:
                self._audit(con, name[:64], "sign-in-failed", name[:64], "", address, _now())
            return None
        if check.check_needs_rehash(digest):  # type: ignore[attr-defined]
            with self._begin() as con:
                new = check.hash(password)  # type: ignore[attr-defined]
                con.execute(update(accounts).where(accounts.c.name == name).values(password_hash=new))
        return account

    # --- the audit trail

    def audit(self, actor: str, action: str, subject: str = "", detail: str = "", address: str = "") -> None:
        """Keep one act in the audit trail (a failed start-up token sign-in, a save to the history)."""
        with self._begin() as con:
            self._audit(con, actor, action, subject, detail, address, _now())

    def failed_sign_ins(self, address: str, account: str, since: _dt.datetime) -> tuple[int, int, int]:
        """Failed sign-ins kept since ``since``: from ``address``, to ``account`` (by name), and in all.

        Counted from the audit trail, which every server on the database writes: the throttle holds
        across servers and restarts, not per process.
        """
        failed = (audit.c.action == "sign-in-failed") & (audit.c.at >= since)
        count = func.count()
        with self._begin() as con:
            mine = con.execute(select(count).where(failed, audit.c.address == address)).scalar()
            theirs = con.execute(select(count).where(failed, audit.c.subject == account)).scalar() if account else 0
            every = con.execute(select(count).where(failed)).scalar()
        return int(mine or 0), int(theirs or 0), int(every or 0)

    def audit_trail(self, limit: int | None = None) -> list[AuditEntry]:
        """The audit trail, newest first (``limit`` entries at most)."""
        query = select(audit).order_by(audit.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._begin() as con:
            return [
                AuditEntry(_aware(r["at"]), r["actor"], r["action"], r["subject"], r["detail"], r["address"])
                for r in con.execute(query).mappings()
            ]

    def _audit(self, con: Connection, actor: str, action: str, subject: str, detail: str, address: str,
               when: _dt.datetime) -> None:  # fmt: skip
        row = {"at": when, "actor": actor[:64], "action": action[:32], "subject": subject[:200],
               "detail": detail[:2000], "address": address[:64]}  # fmt: skip
        con.execute(insert(audit).values(**row))

    def _admins(self, con: Connection) -> int:
        query = select(func.count()).where(accounts.c.role == "admin", accounts.c.disabled_at.is_(None))
        return int(con.execute(query).scalar() or 0)

    def _has_admin(self, con: Connection) -> bool:
        return self._admins(con) > 0

    def setting(self, key: str) -> str | None:
        """One of the intake's own settings, or None."""
        with self._begin() as con:
            value = con.execute(select(settings.c.value).where(settings.c.key == key)).scalar()
        return str(value) if value is not None else None

    def set_setting(self, key: str, value: str) -> None:
        """Keep one of the intake's own settings."""
        with self._begin() as con:
            if con.execute(select(settings.c.key).where(settings.c.key == key)).first() is None:
                con.execute(insert(settings).values(key=key, value=value))
            else:
                con.execute(update(settings).where(settings.c.key == key).values(value=value))

    def setting_once(self, key: str, value: str) -> str:
        """The setting ``key``: ``value`` kept when none is there yet, else the one kept first.

        Two servers starting at once both offer one; the first insert wins and the other reads it.
        """
        from sqlalchemy.exc import IntegrityError

        for _ in range(3):
            found = self.setting(key)
            if found is not None:
                return found
            try:
                with self._begin() as con:
                    con.execute(insert(settings).values(key=key, value=value))
                return value
            except IntegrityError:
                continue  # another server kept one meanwhile: read it
        raise IntakeError("intake-db-unusable", db=redacted(self.url), detail=key)

    # --- files, on a server store (see migration 0009)

    @property
    def is_server(self) -> bool:
        """Whether the database is a server (PostgreSQL) several intake servers may share."""
        return self.engine.dialect.name != "sqlite"

    def put_blob(self, sha256: str, data: bytes) -> None:
        """Keep a submitted file's bytes under their hash (once: the same bytes are one row)."""
        with self._begin() as con:
            _insert_once(con, blobs, {"sha256": sha256, "size": len(data), "content": data})

    def keep_reading(self, sha256: str, rules: str, content: bytes) -> None:
        """Keep a checked file's reading (see qbplan.intake.readings); once per file and rules."""
        with self._begin() as con:
            _insert_once(con, readings, {"sha256": sha256, "rules": rules, "content": content})

    def reading(self, sha256: str, rules: str) -> bytes | None:
        """A checked file's reading made by ``rules``, or None."""
        with self._begin() as con:
            found = con.execute(
                select(readings.c.content).where(readings.c.sha256 == sha256, readings.c.rules == rules)
            ).scalar()
        return bytes(found) if found is not None else None

    def blob(self, sha256: str) -> bytes | None:
        """A submitted file's bytes by their hash, or None when the database has none."""
        with self._begin() as con:
            found = con.execute(select(blobs.c.content).where(blobs.c.sha256 == sha256)).scalar()
        return bytes(found) if found is not None else None

    def _round(self, con: Connection, period: str) -> None:
        """The round's row, made when first needed."""
        if con.execute(select(rounds.c.period).where(rounds.c.period == period)).first() is None:
            con.execute(insert(rounds).values(period=period, due=None, closed_at=None))


def _insert_once(con: Connection, table: Table, row: dict[str, Any]) -> None:
    """``row``, unless its key is there already: never a conflict, which would undo the transaction it is in
    (two servers keeping the same file, or the same reading, at once)."""
    from sqlalchemy.dialects import postgresql, sqlite

    if con.dialect.name == "postgresql":
        con.execute(postgresql.insert(table).values(row).on_conflict_do_nothing())
    else:
        con.execute(sqlite.insert(table).values(row).on_conflict_do_nothing())


def _refuse_foreign_file(url: str, wait: float) -> None:
    """Refuse, by reading only, an SQLite file that is not an intake database: a migration would write into it.

    A folder, a text file, the history database (``--db qbplan.db`` by mistake) or another program's
    database is one line, and stays as it was. A missing or empty file is made the round's database.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    path = Path(parsed.database)
    try:
        if not sqlite_file.holds_database(path):
            return
        tables = sqlite_file.table_names(path, wait)
    except sqlite_file.FileProblem as exc:
        raise IntakeError(f"intake-db-{exc.problem}", db=str(path), detail=exc.detail) from None
    except Exception as exc:  # noqa: BLE001 - sqlite3's error on a damaged file: one line
        raise IntakeError("intake-db-unusable", db=str(path), detail=first_line(exc)) from None
    if tables and CHAIN.version_table not in tables:
        raise IntakeError("intake-db-foreign", db=str(path), detail="")


def _engine(url: str, wait: float) -> Engine:
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": wait, "check_same_thread": False})

            @event.listens_for(engine, "connect")
            def _pragmas(con: Any, _record: Any) -> None:
                # Writers queue on the busy timeout; WAL lets the planner's page read while a unit uploads
                # (the server is the database's only user, so no reader leaves files in others' folders).
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("PRAGMA synchronous=FULL")

            return engine
        # A lock held elsewhere (another server, a psql session) fails the call after the wait, said as busy;
        # a statement that runs four times the wait is cut too (a page must not hang with the request).
        return server_engine(url, wait, statement_wait=4 * wait)
    except Exception as exc:  # noqa: BLE001 - a bad URL or a missing driver, said in one line
        raise IntakeError("intake-db-unusable", db=redacted(url), detail=first_line(exc)) from None


# The lock every intake server takes to migrate a PostgreSQL database ("qbin" in ASCII).
_MIGRATION_LOCK = 0x7162696E


def _upgrade(engine: Engine) -> None:
    """Bring the database to the current schema with Alembic, on one connection, in one transaction.

    On PostgreSQL the transaction first takes an advisory lock: servers started together on an
    empty database migrate one after the other (the others then find it current), never two
    CREATE TABLEs at once ("duplicate key … pg_type_typname_nsp_index"). On SQLite two servers may
    both find a new file empty; the one that loses ("table … already exists") rolled back whole,
    and tries again on the file the other made.
    """
    import time

    for attempt in range(5):
        try:
            _migrate(engine)
            return
        except Exception as exc:  # noqa: BLE001 - said below, or tried again
            raced = engine.dialect.name == "sqlite" and faults.fault(exc) == "exists"
            if not raced or attempt == 4:
                raise IntakeError(
                    "intake-db-unusable",
                    db=redacted(engine.url.render_as_string(hide_password=False)),
                    detail=first_line(exc),
                ) from None
            time.sleep(0.05 * (attempt + 1))


def _migrate(engine: Engine) -> None:
    """One migration transaction, behind the PostgreSQL lock."""
    with engine.begin() as con:
        if con.dialect.name == "postgresql":
            con.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
        # Already current (every start but the first, every `serve users`): Alembic's run is skipped.
        if migrate.current(CHAIN, con) != _head():
            migrate.upgrade(CHAIN, con)


@functools.cache
def _head() -> str:
    return migrate.head(CHAIN)


def _token_hash(token: str) -> str:
    """What the store keeps of a session id: its SHA-256, which opens nothing if the table is read."""
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def _account_changes(
    before: Account,
    role: str | None,
    unit_group: str | None,
    digest: str | None,
    active: bool | None,
    now: _dt.datetime,
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The columns an account change writes, and each change as the audit trail keeps it (action, detail)."""
    values: dict[str, Any] = {}
    changes: list[tuple[str, str]] = []
    if role is not None and role != before.role:
        values["role"] = role
        changes.append(("account-role", f"{before.role} → {role}"))
    if unit_group is not None and unit_group[:200] != before.unit_group:
        values["unit_group"] = unit_group[:200]
        changes.append(("account-group", f"{before.unit_group or '*'} → {unit_group[:200] or '*'}"))
    if digest is not None:  # a new password, hashed by the caller
        values["password_hash"] = digest
        changes.append(("account-password", ""))
    if active is not None and active != before.active:
        values["disabled_at"] = None if active else now
        changes.append(("account-enabled" if active else "account-disabled", ""))
    return values, changes


def _role_problem(role: str | None) -> str | None:
    return None if role in ROLES else "account-bad-role"


def _account(row: Any) -> Account:
    return Account(
        name=row["name"],
        role=row["role"],
        unit_group=row["unit_group"],
        created_at=_aware(row["created_at"]),
        disabled_at=_aware(row["disabled_at"]) if row["disabled_at"] else None,
    )


# A valid argon2id hash of no known password: an unknown name is verified against it, at a known name's cost.
_UNKNOWN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG8QAdwYB6OXQ"


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
        checked_at=_aware(row["checked_at"]) if row["checked_at"] else None,
    )
