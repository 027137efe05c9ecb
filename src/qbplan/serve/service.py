"""The intake's work, apart from its pages: the units, the checks of uploads, the province's figures.

Routers (:mod:`qbplan.serve.units`, :mod:`qbplan.serve.planner`,
:mod:`qbplan.serve.admin`) parse a request, call these, and render; none of
this knows about HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
import functools
import hashlib
import io
import os
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qbplan.config.targets import Column, Targets
from qbplan.files.digest import sha256_hex
from qbplan.files.inputs import Inputs
from qbplan.history.location import Location
from qbplan.history.periods import parse_period
from qbplan.intake.store import ICT, IntakeStore, Refused, Submission
from qbplan.model.batch import FileResult
from qbplan.model.findings import Finding
from qbplan.model.report import Report
from qbplan.register.load import Register, RegisterSheet
from qbplan.run import pipeline
from qbplan.run.pipeline import Checked, CheckOptions, evaluate, loaded_from, run_bounded
from qbplan.serve import security
from qbplan.serve.owners import Ownership

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True)
class ServeConfig:
    """What the service runs on: the plan, the register, where files and records go, its limits."""

    targets: Targets
    register: Register
    folder: Path
    period: str
    db_url: str
    planner_token: str
    max_upload: int = 20 * 1024 * 1024
    timeout: float = 60.0
    max_memory: int | None = None
    lang: str = "vi"
    due: _dt.datetime | None = None
    # Files one unit may send in an hour: a link cannot fill the disk or hold the checks.
    uploads_per_hour: int = 30
    # Hours a planner's sign-in lasts; cookies marked Secure (behind an https --base-url).
    session_hours: int = 8
    secure_cookies: bool = False
    # The history database of --save (qbplan.db by default), shown as the planner's history chart.
    history_db: Location | None = None
    # Seconds a page waits for a locked database before it says the database is busy (503).
    db_wait: float = 20.0
    # The address units open (--base-url): the admin's reminders carry each unit's link under it.
    base_url: str = ""
    # Uploads waiting for a check slot, at most: past it an upload is refused with "try again
    # shortly" (503, Retry-After) before anything is stored, so a burst cannot exhaust memory.
    max_queue: int = 200


# Seconds between two looks at the database's links secret, on a server store (see Service.unit_of).
SECRET_RECHECK_SECONDS = 10.0
# How far a check's worker stands behind the server's own process (os.nice).
CHECK_NICE = 10


@dataclass(frozen=True)
class UnitInfo:
    """One registered unit, as its page shows it."""

    key: str
    name: str
    group: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Service:
    """What every request works with: the config, the store, the links' secret, the units and the check slots."""

    config: ServeConfig
    store: IntakeStore
    secret: bytes
    sheet: RegisterSheet
    units: dict[str, UnitInfo]  # by key
    by_token: dict[str, str]  # sha256 of a link token -> unit key
    owners: Ownership
    # The last province check and the accepted files it was made from (see province_report).
    province: tuple[tuple[str, ...], Report] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    # A few checks at a time (each forks its bounded reader), on threads of their own: uploads
    # waiting for one hold no thread of the pages' pool, so pages never wait behind checks.
    check_pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max(2, os.cpu_count() or 2), thread_name_prefix="qbplan-check")
    )
    # Uploads accepted for checking and not yet checked (see ServeConfig.max_queue).
    waiting: int = 0

    # One check at a time per unit, before a shared slot: a unit's slow files wait for each other, not others.
    unit_checks: dict[str, threading.Semaphore] = field(default_factory=dict)

    def unit_slot(self, unit_key: str) -> threading.Semaphore:
        """The unit's own check slot."""
        with self.lock:
            return self.unit_checks.setdefault(unit_key, threading.Semaphore(1))

    def unit_of(self, token: str) -> UnitInfo | None:
        self._secret_current()
        # Looked up by the token's hash: the dict's comparison then tells nothing of the token.
        key = self.by_token.get(hashlib.sha256(token.encode()).hexdigest())
        return self.units.get(key) if key is not None else None

    # When the links' secret was last compared with the database's (a server store: another server
    # may have rotated it; its old links must stop here too).
    secret_seen: float = 0.0

    def _secret_current(self) -> None:
        """On a server store, take the database's secret when another server rotated it (checked every few seconds)."""
        import time

        now = time.monotonic()
        if not self.store.is_server or now - self.secret_seen < SECRET_RECHECK_SECONDS:
            return
        self.secret_seen = now
        kept = self.store.setting(security.SHARED)
        if kept is None or security.same(kept, self.secret.hex()):
            return
        secret = security.known_links_secret(self.config.folder, self.store)
        with self.lock:
            self.secret, self.by_token = secret, security.tokens_by_hash(secret, self.units)

    # Stored files whose content was found to match their hash: (path, size, mtime) -> sha256.
    verified: dict[tuple[str, int, int], str] = field(default_factory=dict)
    # Each checked file as read and validated, by its stored path: the province's report is made
    # from these (see province_report), so a decision reads no file again.
    results: dict[str, FileResult] = field(default_factory=dict)

    def files(self) -> Path:
        return self.config.folder / "files"

    def stored(self, submission: Submission) -> Path:
        return self.stored_path(submission.sha256, submission.filename)

    def stored_path(self, sha256: str, filename: str) -> Path:
        return self.files() / f"{sha256}{workbook_suffix(filename)}"

    def sound(self, submission: Submission) -> Path | None:
        """The submission's stored file when its content still has its hash; None when missing or damaged.

        On a server store the folder is this server's cache: a file another server received, or one
        damaged here, is written again from the database's copy (checked against its hash first).
        """
        path = self.stored(submission)
        if self._verified(path) == submission.sha256:
            return path
        if not self.store.is_server:
            return None
        data = self.store.blob(submission.sha256)
        if data is None or hashlib.sha256(data).hexdigest() != submission.sha256:
            return None
        try:
            write_whole(path, data)
        except OSError:
            return None
        return path if self._verified(path) == submission.sha256 else None

    def _verified(self, path: Path) -> str:
        """The file's SHA-256, read once per (size, mtime); "" when it cannot be read."""
        try:
            stat = path.stat()
        except OSError:
            return ""
        seen = (str(path), stat.st_size, stat.st_mtime_ns)
        with self.lock:
            known = self.verified.get(seen)
        if known is None:
            known = sha256_hex(path)
            with self.lock:
                self.verified[seen] = known
        return known

    @functools.cached_property
    def reading_rules(self) -> str:
        """What this server's readings depend on besides the file (see qbplan.intake.readings.reading_key)."""
        from qbplan.intake.readings import reading_key

        return reading_key(self.config.targets.model_dump_json(), self.options().limits)

    def options(self, **more: Any) -> CheckOptions:
        """The planner's check options: the plan's period (its milestones), the service's bounds."""
        config = self.config
        return CheckOptions(
            timeout=config.timeout, max_memory=config.max_memory, period=parse_period(config.period), **more
        )


# Failed sign-ins allowed in a window, from one address and from all together, before sign-in waits.
SIGN_IN_WINDOW_MINUTES = 15
SIGN_IN_FAILURES_PER_ADDRESS = 5
SIGN_IN_FAILURES_IN_ALL = 50
# The shortest planner token taken: a short one is guessed in seconds.
MIN_TOKEN_LENGTH = 16


def sign_in_allowed(store: IntakeStore, address: str, account: str = "") -> bool:
    """Whether a sign-in from ``address`` to ``account`` is tried now: below every limit of failures in the window.

    The failures are the audit trail's, shared by every server on the database.
    """
    since = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(minutes=SIGN_IN_WINDOW_MINUTES)
    mine, theirs, every = store.failed_sign_ins(address, account, since)
    return (
        mine < SIGN_IN_FAILURES_PER_ADDRESS
        and theirs < SIGN_IN_FAILURES_PER_ADDRESS
        and every < SIGN_IN_FAILURES_IN_ALL
    )


def warm_up(service: Service) -> None:
    """One check of a form prefilled with a registered unit, in this process, at start.

    Each check runs in a worker forked from this process: whatever the reading and the stages
    after it import on first use (the workbook reader, pyarrow's pandas bridge, the indicators)
    is then in every worker already, not imported again by each upload's (about 40 ms of each).
    Only speed is at stake: a failure here is logged, never a refusal to start.
    """
    import logging

    from qbplan.tools.template import write_template

    config = service.config
    units = {key: [dict(sheet.units[0].values)] for key, sheet in config.register.sheets.items() if sheet.units}
    path = config.folder / ".warm-up.xlsx"
    try:
        write_template(config.targets, str(path), units)
        result = pipeline.check_file(str(path), config.targets, service.options().limits)
        evaluate(loaded_from([result], config.targets), config.targets, service.options(), config.register)
    except Exception as exc:  # noqa: BLE001 - an optimisation only
        logging.getLogger("qbplan.serve").warning("warm-up check failed: %s", str(exc)[:200])
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def registered_units(sheet: RegisterSheet) -> list[UnitInfo]:
    """The units of the register's first sheet, by code, name and district, as the pages show them."""
    out = []
    for unit in sheet.units:
        key = str(unit.values[sheet.key])
        name = str(unit.values.get(sheet.name) or key) if sheet.name else key
        group = str(unit.values.get(sheet.group) or "") if sheet.group else ""
        out.append(UnitInfo(key, name, group, dict(unit.values)))
    return out


def unit_links(config: ServeConfig, base: str) -> list[tuple[str, str, str]]:
    """Each registered unit's (key, name, link) under ``base`` (``http://host:port``).

    Made from the secret :func:`create_app` checked or made: call it after (on a server store the
    database holds it, so every server's links are the same).
    """
    with IntakeStore(config.db_url, config.db_wait) as store:
        secret = security.known_links_secret(config.folder, store)
    units = registered_units(next(iter(config.register.sheets.values())))
    return [(u.key, u.name, f"{base.rstrip('/')}/u/{security.unit_token(secret, u.key)}") for u in units]


def workbook_suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return suffix if suffix in WORKBOOK_SUFFIXES else ""


async def receive_upload(service: Service, unit: UnitInfo, filename: str, data: bytes) -> Submission:
    """Store the bytes by their hash, record the arrival, check them as the planner's check would, record the verdict.

    The submission is numbered and stamped when it arrives, before its check:
    the last to arrive is the unit's latest, and on time is judged by arrival,
    however long the check takes. Raises :class:`Refused` when the round is
    closed, :class:`OSError` when the file cannot be stored (nothing recorded).
    """
    from starlette.concurrency import run_in_threadpool

    period = service.config.period
    closed = await run_in_threadpool(service.store.round_closed, period)
    if closed is not None:
        raise Refused("round-closed", closed=closed)
    hour_ago = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(hours=1)
    sent = await run_in_threadpool(service.store.arrivals_since, period, unit.key, hour_ago)
    if sent >= service.config.uploads_per_hour:
        raise Refused("too-many-uploads", count=sent, limit=service.config.uploads_per_hour)
    with _queued(service):
        sha = hashlib.sha256(data).hexdigest()
        path = await run_in_threadpool(store_file, service, sha, filename, data)
        arrived = await run_in_threadpool(service.store.arrive, period, unit.key, sha, len(data), filename)
        report, kept = await asyncio.wrap_future(service.check_pool.submit(check_one, service, str(path), unit.key))
        shown = _renamed(report, {str(path): filename})
        # The verdict and the file's reading in one transaction (one durable write, not two).
        reading = (sha, service.reading_rules, kept) if kept is not None else None
        return await run_in_threadpool(service.store.checked, arrived.id, shown, reading)


@contextlib.contextmanager
def _queued(service: Service) -> Iterator[None]:
    """One upload in the check queue; refused (nothing stored or recorded) when the queue is full."""
    with service.lock:
        if service.waiting >= service.config.max_queue:
            raise Refused("intake-busy", waiting=service.waiting)
        service.waiting += 1
    try:
        yield
    finally:
        with service.lock:
            service.waiting -= 1


def store_file(service: Service, sha: str, filename: str, data: bytes) -> Path:
    """The file kept under its hash: in the database first when it is a server, then in the folder.

    A stored copy whose content no longer has its hash (a damaged disk, a
    half-written file from before) is replaced by this sound one.
    """
    if service.store.is_server:
        # The database's copy is what every server reads; the folder's is this server's cache.
        service.store.put_blob(sha, data)
    path = service.stored_path(sha, filename)
    if path.exists() and sha256_hex(path) == sha:
        return path
    write_whole(path, data)
    return path


def write_whole(path: Path, data: bytes) -> None:
    """``data`` written whole to a temporary name, synced, then renamed into place; the temporary never stays."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_partial_files(folder: Path) -> None:
    """Temporary files a crash left behind (a write cannot clean up after a killed process)."""
    if folder.is_dir():
        for leftover in folder.glob(".upload-*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def check_one(service: Service, path: str, unit_key: str) -> tuple[Report, bytes | None]:
    """The unit's file checked as the planner's check checks it, and held to the unit's own rows.

    The same plan, register, period and milestones as the province's check;
    then a row the unit does not report (by the register's "Đơn vị báo cáo",
    see qbplan.serve.owners) is an error at its key cell, so a unit cannot
    send, or overwrite, another's figures. The unit hears only what concerns
    its own file: the province's completeness, the indicators' warnings and
    the CLI's hints are the planner's. The file's reading is kept in memory for
    the province's report, and returned (see qbplan.intake.readings) for the store.
    """
    from qbplan.intake import readings

    config = service.config
    options = service.options(register=config.register.files)

    def held(checked: Checked) -> tuple[Report, FileResult, bytes | None]:
        # In the check's worker, with the rest of the check: the server's own process only waits.
        report = checked.report
        rows = _keyed_rows(config.targets, checked)
        errors = [*_foreign_rows(service, rows, unit_key), *(f for f in report.errors if f.file == path)]
        warnings = [*_missing_rows(service, rows, unit_key, path), *(f for f in report.warnings if f.file == path)]
        result = checked.loaded.results[0]
        return replace(report, errors=errors, warnings=warnings, completeness=[]), result, readings.dump(result)

    with service.unit_slot(unit_key):
        # The register read at start: the same yardstick as the planner's check, not read again per upload.
        # At a lower priority than the server: when the cores are busy, pages go first.
        report, result, kept = pipeline.check_whole(
            path, config.targets, options, config.register, held, nice=CHECK_NICE
        )
    with service.lock:
        # Kept for the province's report: the planner's decisions then read no file (see province_report).
        service.results[path] = result
    return report, kept


@dataclass(frozen=True)
class _KeyedRow:
    """One row the unit's file holds, valid or not, with a key: where it stands and what its key says."""

    file: str
    sheet: str  # as named in the workbook
    form_sheet: str
    key: Column
    index: int | None  # the key column's 0-based Excel column
    row: int
    value: Any


def _keyed_rows(targets: Targets, checked: Checked) -> list[_KeyedRow]:
    """Every row read that has a key, in Excel row order per sheet: also those the register or the row model left out.

    A blank key is the row model's ``required``; a row of another unit must go whatever else is wrong with it.
    """
    from qbplan.register.load import key_column

    out = []
    for result in checked.loaded.results:
        for sheet in result.sheets:
            spec = targets.sheet(sheet.form_sheet)
            key = key_column(spec) if spec is not None else None
            if key is None:
                continue
            for row, values in sorted([*sheet.data.records(), *sheet.invalid], key=lambda item: item[0]):
                if values.get(key.key) is not None:
                    index = sheet.col_index.get(key.key)
                    out.append(_KeyedRow(result.file, sheet.sheet, sheet.form_sheet, key, index, row, values[key.key]))
    return out


def _foreign_rows(service: Service, rows: list[_KeyedRow], unit_key: str) -> list[Finding]:
    """A finding at the key cell of each row the unit does not report, at most 20 a sheet."""
    from qbplan.model.findings import Place, finding
    from qbplan.register.match import unit_key as folded

    owners = service.owners
    out: list[Finding] = []
    said: dict[str, int] = {}
    for r in rows:
        if owners.owns(unit_key, r.form_sheet, r.value) or said.get(r.sheet, 0) >= 20:
            continue
        said[r.sheet] = said.get(r.sheet, 0) + 1
        owner = owners.owner_of.get(r.form_sheet, {}).get(folded(r.value))
        params = {"label": r.key.label, "sheet": r.sheet, "unit": unit_key, "owner": owner or "—"}
        place = Place(r.file, r.sheet, r.row, r.key.key, r.index)
        out.append(finding("submission-other-unit", place, params, r.value))
    return out


def _missing_rows(service: Service, rows: list[_KeyedRow], unit_key: str, path: str) -> list[Finding]:
    """A warning for each row the unit reports that its file does not hold: its part is not whole yet.

    The planner's check counts such a row as missing (exact bounds); the unit hears it here, by code and sheet.
    """
    from qbplan.model.findings import Place, finding
    from qbplan.register.load import key_column
    from qbplan.register.match import unit_key as folded

    targets = service.config.targets
    sent = {(r.form_sheet, folded(r.value)) for r in rows}
    out = []
    for sheet_key, owned in service.owners.rows.get(unit_key, {}).items():
        spec = targets.sheet(sheet_key)
        key = key_column(spec) if spec is not None else None
        if spec is None or key is None:
            continue
        for values in owned:
            if (sheet_key, folded(values.get(key.key))) not in sent:
                params = {"sheet": spec.label, "label": key.label, "key": values.get(key.key), "unit": unit_key}
                out.append(finding("submission-row-missing", Place(path), params))
    return out


def _renamed(report: Report, names: dict[str, str]) -> Report:
    """The report with stored files' names (their hashes) replaced by the names people know them by."""

    def text(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        for stored, name in names.items():
            value = value.replace(stored, name)
        return value

    def named(f: Finding) -> Finding:
        return replace(f, file=text(f.file), params={k: text(v) for k, v in f.params.items()})

    return replace(
        report,
        errors=[named(f) for f in report.errors],
        warnings=[named(f) for f in report.warnings],
        files=[replace(f, file=text(f.file)) for f in report.files],
    )


def annotatable(submission: Submission) -> bool:
    """Whether a marked copy can be made: a checked .xlsx with a finding at a cell, none about its reading."""
    return (
        submission.checked_at is not None
        and any(f.cell for f in submission.findings)
        and submission.filename.lower().endswith((".xlsx", ".xlsm"))
        and not any(f.code.startswith("input-") for f in submission.findings)
    )


def annotated_copy(service: Service, submission: Submission, lang: str) -> bytes:
    """The unit's workbook with its bad cells marked, made in a bounded worker as the CLI makes it."""
    from qbplan.tools.annotate import annotate

    path = str(service.stored(submission))
    findings = [replace(f, file=path) if f.file == submission.filename else f for f in submission.findings]

    def marked(p: str) -> bytes:
        buffer = io.BytesIO()
        annotate(p, findings, buffer, lang)
        return buffer.getvalue()

    options = CheckOptions(timeout=service.config.timeout, max_memory=service.config.max_memory)
    return run_bounded(marked, path, options)


def province_report(service: Service, *, empty: bool = False) -> Report | None:
    """The province's check over the accepted submissions, with the register: exact bounds while units are missing.

    An accepted submission counts until the planner accepts another for its
    unit; one whose stored copy is missing or damaged is left out (the
    dashboard names it). Files are named by unit and by the name sent.
    Checked once per set of accepted submissions: the dashboard and each
    download ask for it. None when nothing is accepted, unless ``empty``
    asks for the report of no file.
    """
    counted = service.store.counted(service.config.period)
    sound = {key: (s, service.sound(s)) for key, s in sorted(counted.items())}
    shas = {str(path): s.sha256 for s, path in sound.values() if path is not None}
    accepted = tuple(shas)
    if not accepted and not empty:
        return None
    with service.lock:
        if service.province is not None and service.province[0] == accepted:
            return service.province[1]
    config = service.config
    options = service.options(register=config.register.files, keep_figures=True)  # saved with the period
    checked = evaluate(loaded_from(_results(service, shas), config.targets), config.targets, options,
                       config.register)  # fmt: skip
    report = checked.report
    names = {str(path): archived_name(key, s) for key, (s, path) in sound.items() if path is not None}
    # Made when the pages show their times: in Vietnam's time, whatever the server's zone.
    made = _dt.datetime.now(ICT).replace(tzinfo=None, microsecond=0)
    report = replace(_renamed(report, names), checked_at=made)
    with service.lock:
        service.province = (accepted, report)
    return report


def _results(service: Service, accepted: dict[str, str]) -> list[FileResult]:
    """Each accepted file (stored path -> its SHA-256) as its upload's check read it: kept by this server,
    else kept in the store (by another server, or before a restart), else read once now, in bounded
    workers. Kept in memory are the accepted files' readings and each unit's latest; the rest go."""
    from qbplan.intake import readings

    with service.lock:
        missing = [path for path in accepted if path not in service.results]
    found: dict[str, FileResult] = {}
    for path in missing:
        kept = service.store.reading(accepted[path], service.reading_rules)
        back = readings.load(kept, path) if kept is not None else None
        if back is not None:
            found[path] = back
    unread = [path for path in missing if path not in found]
    if unread:
        config = service.config
        fresh = pipeline.load(Inputs(files=unread), config.targets, service.options()).results
        for path, result in zip(unread, fresh, strict=True):
            found[path] = result
            kept = readings.dump(result)
            if kept is not None:
                service.store.keep_reading(accepted[path], service.reading_rules, kept)
    latest = {str(service.stored(s)) for s in service.store.current(service.config.period).values()}
    with service.lock:
        service.results.update(found)
        chosen = [service.results[path] for path in accepted]
        for path in set(service.results) - set(accepted) - latest:
            del service.results[path]
    return chosen


def archived_name(key: str, submission: Submission) -> str:
    """How the planner's downloads name an accepted file: its unit, then the name it was sent under."""
    return f"{safe_name(key)} - {display_name(submission.filename).replace('/', '_')}"


def pending_changes(service: Service, before: Submission, after: Submission, lang: str) -> list[str] | None:
    """What a pending correction changes against the accepted file: each changed cell, row added or gone.

    None when either stored copy cannot be read back sound.
    """
    from qbplan.serve.changes import compare

    old, new = service.sound(before), service.sound(after)
    if old is None or new is None:
        return None
    return compare(str(old), str(new), service.config.targets, service.options(), lang)


def sheet_label(targets: Targets, key: str) -> str:
    spec = targets.sheet(key)
    return spec.label if spec is not None else key


def sheet_labels(service: Service, unit_key: str) -> list[str]:
    """The labels of the sheets a unit reports, for its page."""
    return [sheet_label(service.config.targets, key) for key in service.owners.sheets_of(unit_key)]


def submission_of(service: Service, number: str) -> Submission | None:
    """The submission a path names by its number; None for anything but a number a submission can have."""
    if not (number.isascii() and number.isdigit()) or len(number) > 9:
        return None  # "abc", "-1", a number past every database's integer: no such page, not a 500
    return service.store.get(int(number))


def display_name(name: str) -> str:
    """The browser's file name, for showing only: its last part, without control characters, 255 at most."""
    from qbplan.render.safe import visible

    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return visible(base)[:255] or "tep.xlsx"


def safe_name(key: str) -> str:
    from qbplan.tools.template import unit_file_name

    return unit_file_name(key).removesuffix(".xlsx")
