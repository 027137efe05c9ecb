"""The intake's web application (FastAPI, server-rendered pages, no script).

Units reach their page by a secret link (``/u/<token>``); the planner signs
in with the token given at start. No path from a request reaches the file
system: files are stored by their SHA-256, and a request names a submission
by its number, which is looked up under the unit its link belongs to.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import io
import logging
import os
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from qbplan.config.targets import Column, Targets
from qbplan.errors import QbplanError
from qbplan.history.location import Location
from qbplan.history.periods import parse_period
from qbplan.i18n import ui
from qbplan.intake.store import ICT, IntakeStore, Refused, State, Submission, due_at_end_of
from qbplan.model.findings import Finding
from qbplan.model.report import Report
from qbplan.model.wording import describe, place_text
from qbplan.register.load import Register, RegisterSheet
from qbplan.run.pipeline import Checked, CheckOptions, check_matched, run_bounded
from qbplan.serve import security
from qbplan.serve.owners import Ownership, ownership

log = logging.getLogger("qbplan.serve")
TEMPLATES = Path(__file__).parent / "templates"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLANNER_COOKIE = "qbplan_planner"


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


@dataclass(frozen=True)
class UnitInfo:
    """One registered unit, as its page shows it."""

    key: str
    name: str
    group: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Service:
    config: ServeConfig
    store: IntakeStore
    secret: bytes
    sheet: RegisterSheet
    units: dict[str, UnitInfo]  # by key
    by_token: dict[str, str]  # sha256 of a link token -> unit key
    owners: Ownership
    # A few checks at a time (each forks its reader): 50 uploads at once queue in the
    # thread pool, none is lost. A thread semaphore: the pool's threads block on it, whatever the event loop.
    # The last province check and the accepted files it was made from (see _province).
    province: tuple[tuple[str, ...], Report] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    checks: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(max(2, os.cpu_count() or 2))
    )

    # Failed sign-ins, by address and in all.
    sign_ins: SignIns = field(default_factory=lambda: SignIns())
    # One check at a time per unit, before a shared slot: a unit's slow files wait for each other, not others.
    unit_checks: dict[str, threading.Semaphore] = field(default_factory=dict)

    def unit_slot(self, unit_key: str) -> threading.Semaphore:
        """The unit's own check slot."""
        with self.lock:
            return self.unit_checks.setdefault(unit_key, threading.Semaphore(1))

    def unit_of(self, token: str) -> UnitInfo | None:
        # Looked up by the token's hash: the dict's comparison then tells nothing of the token.
        key = self.by_token.get(hashlib.sha256(token.encode()).hexdigest())
        return self.units.get(key) if key is not None else None

    # Stored files whose content was found to match their hash: (path, size, mtime) -> sha256.
    verified: dict[tuple[str, int, int], str] = field(default_factory=dict)

    def files(self) -> Path:
        return self.config.folder / "files"

    def stored(self, submission: Submission) -> Path:
        return self.files() / f"{submission.sha256}{_suffix(submission.filename)}"

    def sound(self, submission: Submission) -> Path | None:
        """The submission's stored file when its content still has its hash; None when missing or damaged."""
        path = self.stored(submission)
        try:
            stat = path.stat()
        except OSError:
            return None
        seen = (str(path), stat.st_size, stat.st_mtime_ns)
        with self.lock:
            known = self.verified.get(seen)
        if known is None:
            known = _sha_of(path)
            with self.lock:
                self.verified[seen] = known
        return path if known == submission.sha256 else None

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


class SignIns:
    """Failed sign-ins in the last window, by address and in all: past either limit, sign-in waits."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self.times.get(key, []) if now - t < SIGN_IN_WINDOW_MINUTES * 60]
        self.times[key] = kept
        return kept

    def allowed(self, address: str) -> bool:
        """Whether a sign-in from ``address`` is tried now."""
        import time

        now = time.monotonic()
        with self.lock:
            mine, every = self._recent(address, now), self._recent("", now)
        return len(mine) < SIGN_IN_FAILURES_PER_ADDRESS and len(every) < SIGN_IN_FAILURES_IN_ALL

    def failed(self, address: str) -> None:
        """Count one failed sign-in from ``address``."""
        import time

        now = time.monotonic()
        with self.lock:
            self._recent(address, now).append(now)
            self._recent("", now).append(now)


def create_app(config: ServeConfig, *, rotate_links: bool = False) -> FastAPI:
    """The application over ``config``: the folder, the store (migrated) and the links' secret are checked here.

    ``rotate_links`` makes a new secret: every link already sent stops working.
    Raises :class:`QbplanError` (exit 2, one line) for a folder that cannot be
    written, a secret that is missing, open to others, damaged or not the
    store's, and a register whose owners are no units.
    """
    if len(config.planner_token) < MIN_TOKEN_LENGTH:
        raise QbplanError("serve-weak-token", length=len(config.planner_token), minimum=MIN_TOKEN_LENGTH)
    sheet = next(iter(config.register.sheets.values()))
    units = {unit.key: unit for unit in registered_units(sheet)}
    owners = ownership(config.register)  # an owner that is no unit is refused here, before anyone uploads
    _owner_only_folder(config.folder)
    _remove_partial_files(config.folder / "files")
    store = IntakeStore(config.db_url)
    _owner_only_database(config.db_url)
    secret = _secret(config.folder, store, rotate_links)
    by_token = {hashlib.sha256(security.unit_token(secret, key).encode()).hexdigest(): key for key in units}
    if config.due is not None:
        store.set_due(config.period, config.due)
    service = _Service(config, store, secret, sheet, units, by_token, owners)
    app = FastAPI(title="qbplan", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service = service
    # No redirect to the same path with a slash: it would follow the Host header a request names.
    app.router.redirect_slashes = False
    # Room for the form's other fields and the multipart framing around the file.
    app.add_middleware(BodyLimit, limit=config.max_upload + 64 * 1024)
    # Outermost: every response carries the headers, pages, downloads, the history chart and refusals alike.
    app.add_middleware(SecurityHeaders)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    _routes(app, service, templates)
    return app


_FINGERPRINT = "secret_fingerprint"


def _secret(folder: Path, store: IntakeStore, rotate: bool) -> bytes:
    """The links' secret: made on a first start, else the one the store knows; a new one only when asked.

    A secret that went missing or was swapped stops the start: made again
    silently, it would turn every link already sent into a 404.
    """
    known = store.setting(_FINGERPRINT)
    if rotate:
        secret = security.create_secret(folder, replace=True)
    else:
        found = security.read_secret(folder)
        path = str(folder / security.SECRET_FILE)
        if found is None and known is not None:
            raise QbplanError("serve-secret-missing", file=path)
        if found is not None and known is not None and not security.same(known, security.fingerprint(found)):
            raise QbplanError("serve-secret-other", file=path)
        secret = found if found is not None else security.create_secret(folder)
    store.set_setting(_FINGERPRINT, security.fingerprint(secret))
    return secret


def _owner_only_folder(folder: Path) -> None:
    """The intake's folder, made or kept readable by its owner only, and proven writable before anyone uploads."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".probe-", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise QbplanError("serve-folder-unwritable", folder=str(folder), detail=exc.strerror or str(exc)) from None


def _owner_only_database(url: str) -> None:
    """An SQLite intake database, and the files SQLite keeps beside it, readable by their owner only."""
    if not url.startswith("sqlite:///"):
        return
    path = url.removeprefix("sqlite:///")
    for name in (path, f"{path}-wal", f"{path}-shm"):
        with contextlib.suppress(OSError):
            os.chmod(name, 0o600)


# Every response: no caching (pages carry a unit's data), no referrer (a link is a secret), no sniffing,
# no framing, nothing loaded from elsewhere and no script.
SECURITY_HEADERS = (
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
)


class SecurityHeaders:
    """The security headers on every response, set in one place rather than by each route."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": [*kept, *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse a request body past ``limit`` bytes (413) before it is parsed or spooled to disk.

    Starlette's multipart parser spools a whole upload before the handler can
    look at its size: without this, one request could fill the disk. A
    declared Content-Length is refused at once; a chunked body is counted.
    """

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit, scope)
            return
        seen, over = 0, False

        async def counted() -> Any:
            nonlocal seen, over
            if over:
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # Cut here: the app sees a body that ends, and whatever it answers is replaced below.
                    over = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def unless_over(message: Any) -> None:
            if not over:
                await send(message)

        try:
            await self.app(scope, counted, unless_over)
        except Exception:
            if not over:
                raise
        if over:
            await _too_large(send, self.limit, scope)


async def _too_large(send: Any, limit: int, scope: Any) -> None:
    """The 413 page, with a way back to the unit's page when the upload came from one."""
    from html import escape

    path = str(scope.get("path", ""))
    back = path.removesuffix("/upload") if path.startswith("/u/") and path.endswith("/upload") else "/"
    text = escape(ui("serve.too_large", "vi", limit=limit // (1024 * 1024)))
    link = escape(ui("serve.back", "vi"))
    body = (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>413</title></head><body>'
        f'<p role="alert">{text}</p><p><a href="{escape(back)}">{link}</a></p></body></html>'
    ).encode()
    headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


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

    Made from the secret :func:`create_app` checked or made: call it after.
    """
    secret = security.load_secret(config.folder)
    units = registered_units(next(iter(config.register.sheets.values())))
    return [(u.key, u.name, f"{base.rstrip('/')}/u/{security.unit_token(secret, u.key)}") for u in units]


def _lang(request: Request, default: str) -> str:
    wanted = request.query_params.get("lang") or request.cookies.get("qbplan_lang") or default
    return "en" if wanted == "en" else "vi"


def _suffix(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return suffix if suffix in WORKBOOK_SUFFIXES else ""


def _routes(app: FastAPI, service: _Service, templates: Jinja2Templates) -> None:
    config = service.config

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = _lang(request, config.lang)
        context.update(
            lang=lang,
            t=lambda key, **params: ui(key, lang, **params),
            other_lang="en" if lang == "vi" else "vi",
            plan=config.targets.plan.title_vi if lang == "vi" else config.targets.plan.title_en,
        )
        response = templates.TemplateResponse(request, name, context, status_code=status)
        response.set_cookie("qbplan_lang", lang, samesite="strict", httponly=True)
        return response

    def message(request: Request, key: str, status: int, **params: Any) -> HTMLResponse:
        return page(request, "message.html", status, text=ui(key, _lang(request, config.lang), **params))

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> HTMLResponse:
        # One check that fails never takes the server down: the request gets a page, the log a line.
        log.error("request failed: %s: %s", type(exc).__name__, str(exc)[:200])
        return message(request, "serve.failed", 500)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        return page(request, "home.html")

    # --- a unit's pages

    @app.get("/u/{token}", response_class=HTMLResponse)
    def unit_page(request: Request, token: str) -> HTMLResponse:
        unit = service.unit_of(token)
        if unit is None:
            return message(request, "serve.not_found", 404)
        lang = _lang(request, config.lang)
        sent = service.store.of_unit(config.period, unit.key)
        counted = service.store.counted(config.period).get(unit.key)
        return page(
            request,
            "unit.html",
            unit=unit,
            token=token,
            csrf=security.csrf_token(service.secret, token),
            sent=[_sent_row(s, lang, counted) for s in sent],
            due=_when(service.store.due(config.period)),
            closed=_when(service.store.round_closed(config.period)),
            sheets=_sheet_labels(service, unit.key),
        )

    @app.get("/u/{token}/form.xlsx")
    def unit_form(request: Request, token: str) -> Response:
        unit = service.unit_of(token)
        if unit is None:
            return message(request, "serve.not_found", 404)
        from qbplan.tools.template import write_template

        # The unit's whole part of the survey: every sheet it reports, its rows' keys written in and locked.
        mine = {sheet: list(rows) for sheet, rows in service.owners.rows.get(unit.key, {}).items()}
        buffer = io.BytesIO()
        write_template(config.targets, buffer, mine, sheets=set(mine), reporting_unit=unit.name.upper())
        return _download(buffer.getvalue(), f"bieu-mau-{_safe_name(unit.key)}.xlsx", XLSX)

    @app.post("/u/{token}/upload")
    async def upload(request: Request, token: str, file: UploadFile | None = None, csrf: str = Form("")) -> Response:
        unit = service.unit_of(token)
        if unit is None:
            return message(request, "serve.not_found", 404)
        if not security.same(csrf, security.csrf_token(service.secret, token)):
            return message(request, "serve.forbidden", 403)
        if file is None or not file.filename:
            return message(request, "serve.no_file", 400)
        filename = _display_name(file.filename)
        if not _suffix(filename):
            return message(request, "serve.not_workbook", 400)
        data = await file.read(config.max_upload + 1)
        if len(data) > config.max_upload:
            return message(request, "serve.too_large", 413, limit=config.max_upload // (1024 * 1024))
        try:
            submission = await _checked(service, unit, filename, data)
        except Refused as exc:
            status = 429 if exc.code == "too-many-uploads" else 409
            return message(request, f"serve.{exc.code}", status, when=_when(exc.params.get("closed")), **exc.params)
        except OSError as exc:
            # A full disk or a folder that cannot be written: nothing was recorded, nothing half-written kept.
            log.error("upload not stored: %s", str(exc)[:200])
            return message(request, "serve.store_failed", 507)
        return RedirectResponse(f"/u/{token}/s/{submission.id}", status_code=303)

    @app.get("/u/{token}/s/{number}", response_class=HTMLResponse)
    def verdict(request: Request, token: str, number: str) -> HTMLResponse:
        unit = service.unit_of(token)
        submission = _submission_of(service, number) if unit is not None else None
        if unit is None or submission is None or submission.unit_key != unit.key:
            # Another unit's submission is not there, for this link.
            return message(request, "serve.not_found", 404)
        lang = _lang(request, config.lang)
        return page(
            request,
            "verdict.html",
            unit=unit,
            token=token,
            submission=submission,
            findings=_finding_rows(submission.findings, lang),
            annotatable=_annotatable(submission),
            receipt=ui(
                "serve.receipt",
                lang,
                id=submission.id,
                when=_when(submission.received_at),
                name=submission.filename,
                sha=submission.sha256,
            ),
        )

    @app.get("/u/{token}/s/{number}/annotated.xlsx")
    def annotated(request: Request, token: str, number: str) -> Response:
        unit = service.unit_of(token)
        submission = _submission_of(service, number) if unit is not None else None
        if unit is None or submission is None or submission.unit_key != unit.key:
            return message(request, "serve.not_found", 404)
        if not _annotatable(submission) or service.sound(submission) is None:
            return message(request, "serve.no_annotated", 409)
        try:
            marked = _annotated(service, submission, _lang(request, config.lang))
        except QbplanError:
            # The workbook opened for the check but not for marking: said, not a 500.
            return message(request, "serve.no_annotated", 409)
        return _download(marked, f"{Path(submission.filename).stem}-danh-dau.xlsx", XLSX)

    # --- the planner's pages

    def planner(request: Request) -> str | None:
        """The planner's session id, when the cookie carries one the store knows and that has not ended."""
        given = request.cookies.get(PLANNER_COOKIE, "")
        return given if given and service.store.session_valid(given) else None

    @app.get("/planner/login", response_class=HTMLResponse)
    def login_page(request: Request) -> HTMLResponse:
        return page(request, "login.html", error=False)

    @app.post("/planner/login", response_model=None)
    def login(request: Request, token: str = Form("")) -> Response:
        address = request.client.host if request.client else ""
        if not service.sign_ins.allowed(address):
            # Throttled per address and in all: guessing the token costs minutes a try, not microseconds.
            return message(request, "serve.login_throttled", 429, minutes=SIGN_IN_WINDOW_MINUTES)
        if not security.same(token, config.planner_token):
            service.sign_ins.failed(address)
            return page(request, "login.html", 403, error=True)
        ttl = _dt.timedelta(hours=config.session_hours)
        response = RedirectResponse("/planner", status_code=303)
        response.set_cookie(
            PLANNER_COOKIE,
            service.store.open_session(ttl),
            max_age=int(ttl.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=config.secure_cookies,
        )
        return response

    @app.post("/planner/logout", response_model=None)
    def logout(request: Request, csrf: str = Form("")) -> Response:
        session = planner(request)
        if session is not None and security.same(csrf, security.csrf_token(service.secret, session)):
            service.store.close_session(session)
        response = RedirectResponse("/planner/login", status_code=303)
        response.delete_cookie(PLANNER_COOKIE, httponly=True, samesite="strict", secure=config.secure_cookies)
        return response

    @app.get("/planner", response_class=HTMLResponse, response_model=None)
    def dashboard(request: Request) -> Response:
        session = planner(request)
        if session is None:
            return RedirectResponse("/planner/login", status_code=303)
        lang = _lang(request, config.lang)
        current = service.store.current(config.period)
        counted = service.store.counted(config.period)
        due = service.store.due(config.period)
        rows = [_unit_row(service.units[key], current.get(key), counted.get(key), due, lang) for key in service.units]
        report = _province(service)
        from qbplan.render.view import indicator_row

        late = sum(1 for r in rows if r["late"])
        summary = ui(
            "serve.units_summary",
            lang,
            sent=sum(1 for r in rows if r["state"] != "missing"),
            total=len(rows),
            accepted=sum(1 for r in rows if r["counted"] is not None),
            late=late,
        )
        unsound = [s for s in counted.values() if service.sound(s) is None]
        return page(
            request,
            "planner.html",
            rows=rows,
            summary=summary,
            indicators=[indicator_row(ind, lang) for ind in report.indicators] if report else [],
            csrf=security.csrf_token(service.secret, session),
            due=due.date().isoformat() if due else "",
            period=config.period,
            period_label=parse_period(config.period).label(lang),
            closed=_when(service.store.round_closed(config.period)),
            events=[
                {"when": _when(e.at), "event": ui(f"serve.event.{e.event}", lang), "note": e.note}
                for e in service.store.events(config.period)
            ],
            unsound=[ui("serve.unsound", lang, id=s.id, unit=s.unit_key, name=s.filename) for s in unsound],
            unowned=[
                ui("serve.unowned", lang, count=count, sheet=_sheet_label(config.targets, sheet))
                for sheet, count in service.owners.unowned.items()
            ],
        )

    @app.post("/planner/round", response_model=None)
    def round_state(request: Request, action: str = Form(""), note: str = Form(""), csrf: str = Form("")) -> Response:
        """Close the round (uploads then get a clear page) or reopen it: each a recorded act."""
        session = planner(request)
        if session is None:
            return RedirectResponse("/planner/login", status_code=303)
        if not security.same(csrf, security.csrf_token(service.secret, session)):
            return message(request, "serve.forbidden", 403)
        if action == "close":
            service.store.close_round(config.period, note)
        elif action == "reopen":
            service.store.reopen_round(config.period, note)
        else:
            return message(request, "serve.not_found", 404)
        return RedirectResponse("/planner", status_code=303)

    @app.get("/planner/s/{number}", response_class=HTMLResponse, response_model=None)
    def planner_submission(request: Request, number: str) -> Response:
        session = planner(request)
        if session is None:
            return RedirectResponse("/planner/login", status_code=303)
        submission = _submission_of(service, number)
        if submission is None:
            return message(request, "serve.not_found", 404)
        lang = _lang(request, config.lang)
        accepted = service.store.counted(config.period).get(submission.unit_key)
        latest = service.store.current(config.period).get(submission.unit_key)
        pending = accepted is not None and accepted.id < submission.id and submission.decision == "sent"
        return page(
            request,
            "submission.html",
            unit=service.units.get(submission.unit_key),
            submission=submission,
            findings=_finding_rows(submission.findings, lang),
            csrf=security.csrf_token(service.secret, session),
            state=ui(f"serve.state.{submission.state}", lang),
            accepted=accepted,
            newer=latest if latest is not None and latest.id > submission.id else None,
            pending=pending,
            changes=_changes(service, accepted, submission, lang) if pending and accepted is not None else None,
            decisions=[
                {"when": _when(d.decided_at), "state": ui(f"serve.state.{d.decision}", lang), "note": d.note}
                for d in service.store.decisions(submission.id)
            ],
        )

    @app.post("/planner/s/{number}/decide", response_model=None)
    def decide(
        request: Request, number: str, decision: str = Form(""), note: str = Form(""), csrf: str = Form("")
    ) -> Response:
        session = planner(request)
        if session is None:
            return RedirectResponse("/planner/login", status_code=303)
        if not security.same(csrf, security.csrf_token(service.secret, session)):
            return message(request, "serve.forbidden", 403)
        submission = _submission_of(service, number)
        if decision not in ("accepted", "returned") or submission is None:
            return message(request, "serve.not_found", 404)
        try:
            service.store.decide(submission.id, decision, note)  # type: ignore[arg-type]
        except Refused as exc:
            # Nothing changed: said, with what stands in the way (a newer file to look at first).
            return message(request, f"serve.{exc.code}", 409, id=submission.id, **exc.params)
        return RedirectResponse("/planner", status_code=303)

    @app.post("/planner/due", response_model=None)
    def set_due(request: Request, due: str = Form(""), csrf: str = Form("")) -> Response:
        session = planner(request)
        if session is None:
            return RedirectResponse("/planner/login", status_code=303)
        if not security.same(csrf, security.csrf_token(service.secret, session)):
            return message(request, "serve.forbidden", 403)
        try:
            day = _dt.date.fromisoformat(due) if due else None
        except ValueError:
            return message(request, "serve.forbidden", 400)
        when = due_at_end_of(day) if day else None
        service.store.set_due(config.period, when)
        return RedirectResponse("/planner", status_code=303)

    @app.post("/planner/save", response_model=None)
    def save_period(request: Request, csrf: str = Form("")) -> Response:
        """The province's check over the accepted files, saved as a run of the period (as ``check --save``)."""
        session = planner(request)
        if session is None:
            return RedirectResponse("/planner/login", status_code=303)
        if not security.same(csrf, security.csrf_token(service.secret, session)):
            return message(request, "serve.forbidden", 403)
        from qbplan.history.record import save_run
        from qbplan.model.wording import sentence

        lang = _lang(request, config.lang)
        report = _province(service)
        if report is None:
            return message(request, "serve.nothing_accepted", 409)
        if config.history_db is None:
            return message(request, "serve.no_history", 404)
        period = parse_period(config.period)
        try:
            saved = save_run(report, period, config.history_db, ["qbplan", "serve", "--period", config.period])
        except QbplanError as exc:
            # A database that cannot be written, said as the CLI says it; nothing was saved.
            return page(request, "message.html", 409, text=sentence(exc.code, exc.params, lang))
        text = ui("serve.saved", lang, run=saved.run_id, period=period.label(lang), accepted=len(report.files),
                  db=str(saved.db))  # fmt: skip
        return page(request, "message.html", 200, text=text, done=True)

    @app.get("/planner/history", response_class=HTMLResponse, response_model=None)
    def history_page(request: Request) -> Response:
        if planner(request) is None:
            return RedirectResponse("/planner/login", status_code=303)
        from qbplan.history.trend import read_history
        from qbplan.model.wording import sentence
        from qbplan.render import history as history_format

        lang = _lang(request, config.lang)
        if config.history_db is None:
            return message(request, "serve.no_history", 404)
        try:
            found = read_history(config.history_db, config.targets)
        except QbplanError as exc:
            # No database yet, or no run of this plan: said as the CLI says it, on a page.
            return page(request, "message.html", 404, text=sentence(exc.code, exc.params, lang))
        title = config.targets.plan.title_vi if lang == "vi" else config.targets.plan.title_en
        view = history_format.history_view(found.series, found.runs, lang, title, str(config.history_db))
        out = io.StringIO()
        history_format.render(view, "html", out)
        return HTMLResponse(out.getvalue(), headers={"Cache-Control": "no-store"})

    @app.get("/planner/accepted.zip", response_model=None)
    def accepted_zip(request: Request) -> Response:
        if planner(request) is None:
            return RedirectResponse("/planner/login", status_code=303)
        lang = _lang(request, config.lang)
        buffer = io.BytesIO()
        listing = [ui("serve.zip_listing_head", lang)]
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for key, submission in sorted(service.store.counted(config.period).items()):
                name = _archived_name(key, submission)
                path = service.sound(submission)
                if path is None:
                    # A stored copy missing or damaged: one line of the listing, never a broken archive.
                    listing.append(f"{key}\t#{submission.id}\t{submission.filename}\t{ui('serve.zip_unsound', lang)}")
                    continue
                zf.write(path, name)
                listing.append(f"{key}\t#{submission.id}\t{submission.filename}\t{name}\t{submission.sha256}")
            zf.writestr("danh-sach.txt", "\n".join(listing) + "\n")
        return _download(buffer.getvalue(), f"da-chap-nhan-{config.period}.zip", "application/zip")

    @app.get("/planner/{kind}.xlsx", response_model=None)
    def planner_workbook(request: Request, kind: str) -> Response:
        if planner(request) is None:
            return RedirectResponse("/planner/login", status_code=303)
        if kind not in ("report", "annex"):
            return message(request, "serve.not_found", 404)
        from qbplan.render import RenderOptions, get_renderer
        from qbplan.render.options import Annex

        report = _province(service, empty=True)
        assert report is not None  # with empty=True there is always a report
        buffer = io.BytesIO()
        # The annex's heading as the CLI's for the same plan: the targets file's authority, unit and place.
        options = RenderOptions(lang=_lang(request, config.lang), annex=Annex.of_plan(config.targets))
        get_renderer("xlsx" if kind == "report" else "annex")(report, buffer, options)
        name = f"{'bao-cao' if kind == 'report' else 'phu-luc'}-{config.period}.xlsx"
        return _download(buffer.getvalue(), name, XLSX)


async def _checked(service: _Service, unit: UnitInfo, filename: str, data: bytes) -> Submission:
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
    sha = hashlib.sha256(data).hexdigest()
    path = await run_in_threadpool(_store_file, service, sha, filename, data)
    arrived = await run_in_threadpool(service.store.arrive, period, unit.key, sha, len(data), filename)
    report = await run_in_threadpool(_check_one, service, str(path), unit.key)
    shown = _renamed(report, {str(path): filename})
    return await run_in_threadpool(service.store.checked, arrived.id, shown)


def _store_file(service: _Service, sha: str, filename: str, data: bytes) -> Path:
    """The file kept under its hash: written whole to a temporary name, then renamed into place.

    A stored copy whose content no longer has its hash (a damaged disk, a
    half-written file from before) is replaced by this sound one. The
    temporary file never outlives a failed write.
    """
    folder = service.files()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha}{_suffix(filename)}"
    if path.exists() and _sha_of(path) == sha:
        return path
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
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
    return path


def _remove_partial_files(folder: Path) -> None:
    """Temporary files a crash left behind (a write cannot clean up after a killed process)."""
    if folder.is_dir():
        for leftover in folder.glob(".upload-*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _sha_of(path: Path) -> str:
    """The stored file's SHA-256 (the history's own reader), "" when it cannot be read."""
    from qbplan.history.record import sha256_of

    found = sha256_of(path)
    return found[0] if found is not None else ""


def _check_one(service: _Service, path: str, unit_key: str) -> Report:
    """The unit's file checked as the planner's check checks it, and held to the unit's own rows.

    The same plan, register, period and milestones as the province's check;
    then a row the unit does not report (by the register's "Đơn vị báo cáo",
    see qbplan.serve.owners) is an error at its key cell, so a unit cannot
    send, or overwrite, another's figures. The unit hears only what concerns
    its own file: the province's completeness, the indicators' warnings and
    the CLI's hints are the planner's.
    """
    config = service.config
    options = service.options(register=config.register.files)
    with service.unit_slot(unit_key), service.checks:
        # The register read at start: the same yardstick as the planner's check, not read again per upload.
        checked = check_matched([path], config.targets, options, register=config.register)
    report = checked.report
    rows = _keyed_rows(config.targets, checked)
    errors = [*_foreign_rows(service, rows, unit_key), *(f for f in report.errors if f.file == path)]
    warnings = [*_missing_rows(service, rows, unit_key, path), *(f for f in report.warnings if f.file == path)]
    return replace(report, errors=errors, warnings=warnings, completeness=[])


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


def _foreign_rows(service: _Service, rows: list[_KeyedRow], unit_key: str) -> list[Finding]:
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


def _missing_rows(service: _Service, rows: list[_KeyedRow], unit_key: str, path: str) -> list[Finding]:
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


def _annotatable(submission: Submission) -> bool:
    """Whether a marked copy can be made: a checked .xlsx with a finding at a cell, none about its reading."""
    return (
        submission.checked_at is not None
        and any(f.cell for f in submission.findings)
        and submission.filename.lower().endswith((".xlsx", ".xlsm"))
        and not any(f.code.startswith("input-") for f in submission.findings)
    )


def _annotated(service: _Service, submission: Submission, lang: str) -> bytes:
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


def _province(service: _Service, *, empty: bool = False) -> Report | None:
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
    accepted = tuple(str(path) for _, path in sound.values() if path is not None)
    if not accepted and not empty:
        return None
    with service.lock:
        if service.province is not None and service.province[0] == accepted:
            return service.province[1]
    config = service.config
    options = service.options(register=config.register.files)
    from qbplan.files.inputs import Inputs

    # The accepted files as they are (none is a province of no file, not a usage error).
    report = check_matched(Inputs(files=list(accepted)), config.targets, options, register=config.register).report
    names = {str(path): _archived_name(key, s) for key, (s, path) in sound.items() if path is not None}
    # Made when the pages show their times: in Vietnam's time, whatever the server's zone.
    made = _dt.datetime.now(ICT).replace(tzinfo=None, microsecond=0)
    report = replace(_renamed(report, names), checked_at=made)
    with service.lock:
        service.province = (accepted, report)
    return report


def _archived_name(key: str, submission: Submission) -> str:
    """How the planner's downloads name an accepted file: its unit, then the name it was sent under."""
    return f"{_safe_name(key)} - {_display_name(submission.filename).replace('/', '_')}"


def _changes(service: _Service, before: Submission, after: Submission, lang: str) -> list[str] | None:
    """What a pending correction changes against the accepted file: each changed cell, row added or gone.

    None when either stored copy cannot be read back sound.
    """
    from qbplan.serve.changes import compare

    old, new = service.sound(before), service.sound(after)
    if old is None or new is None:
        return None
    return compare(str(old), str(new), service.config.targets, service.options(), lang)


def _sheet_label(targets: Targets, key: str) -> str:
    spec = targets.sheet(key)
    return spec.label if spec is not None else key


def _sheet_labels(service: _Service, unit_key: str) -> list[str]:
    """The labels of the sheets a unit reports, for its page."""
    return [_sheet_label(service.config.targets, key) for key in service.owners.sheets_of(unit_key)]


def _submission_of(service: _Service, number: str) -> Submission | None:
    """The submission a path names by its number; None for anything but a number a submission can have."""
    if not (number.isascii() and number.isdigit()) or len(number) > 9:
        return None  # "abc", "-1", a number past every database's integer: no such page, not a 500
    return service.store.get(int(number))


def _finding_rows(findings: tuple[Finding, ...], lang: str) -> list[dict[str, str]]:
    return [
        {
            "where": place_text(None, f.sheet, f.cell, f.row),
            "message": describe(f, lang),
            "severity": f.severity,
        }
        for f in findings
    ]


def _sent_row(s: Submission, lang: str, counted: Submission | None = None) -> dict[str, Any]:
    """One line of a unit's own list; a file sent after its accepted one says that one still counts."""
    pending = counted is not None and s.id > counted.id and s.decision == "sent"
    return {
        "id": s.id,
        "when": _when(s.received_at),
        "file": s.filename,
        "state": s.state,
        "state_text": ui(f"serve.state.{s.state}", lang),
        "note": ui("serve.unit_pending", lang, id=counted.id) if pending and counted is not None else s.note,
    }


def _unit_row(
    unit: UnitInfo, latest: Submission | None, counted: Submission | None, due: _dt.datetime | None, lang: str
) -> dict[str, Any]:
    """A unit's line on the dashboard: what counts (its accepted file) and what came after it (a pending correction)."""
    shown = counted or latest
    state: State = shown.state if shown else "missing"
    pending = latest if counted is not None and latest is not None and latest.id > counted.id else None
    now = _dt.datetime.now(_dt.timezone.utc)
    first = shown
    late = bool(due and ((first and first.received_at > due) or (not first and now > due)))
    timing = ""
    if due:
        timing = ui("serve.late" if first and late else "serve.overdue" if late else "serve.on_time", lang)
        timing = timing if first or late else ""
    return {
        "unit": unit,
        "state": state,
        "state_text": ui(f"serve.state.{state}", lang),
        "submission": shown,
        "counted": counted,
        "pending": pending,
        "pending_text": ui("serve.pending", lang, id=pending.id, when=_when(pending.received_at)) if pending else "",
        "when": _when(shown.received_at) if shown else "",
        "late": late,
        "timing": timing,
    }


def _when(moment: _dt.datetime | None) -> str:
    """A time as people in Vietnam read it: ICT (UTC+7), 05/12/2026 14:03."""
    if moment is None:
        return ""
    return moment.astimezone(ICT).strftime("%d/%m/%Y %H:%M")


def _display_name(name: str) -> str:
    """The browser's file name, for showing only: its last part, without control characters, 255 at most."""
    from qbplan.render.safe import visible

    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return visible(base)[:255] or "tep.xlsx"


def _safe_name(key: str) -> str:
    from qbplan.tools.template import unit_file_name

    return unit_file_name(key).removesuffix(".xlsx")


def _download(data: bytes, filename: str, media_type: str) -> Response:
    from urllib.parse import quote

    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"}
    )
