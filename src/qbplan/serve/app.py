"""The intake's web application (FastAPI, server-rendered pages, no script).

Units reach their page by a secret link (``/u/<token>``); planners sign in
with a named account (the token given at start only bootstraps the first
admin). No path from a request reaches the file system: files are stored by
their SHA-256, and a request names a submission by its number, which is
looked up under the unit its link belongs to.

The app is assembled here: the service (:mod:`qbplan.serve.service`), the
routers (:mod:`qbplan.serve.units`, :mod:`qbplan.serve.planner`,
:mod:`qbplan.serve.admin`), the middleware (:mod:`qbplan.serve.middleware`),
and one place where what the routes raise becomes a page.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from qbplan.errors import QbplanError
from qbplan.i18n import ui
from qbplan.intake.store import IntakeStore
from qbplan.serve import admin, planner, security, units
from qbplan.serve.auth import Forbidden, NotFound, SignInNeeded
from qbplan.serve.middleware import BodyLimit, SecurityHeaders
from qbplan.serve.owners import ownership
from qbplan.serve.service import (
    MIN_TOKEN_LENGTH,
    ServeConfig,
    Service,
    UnitInfo,
    registered_units,
    remove_partial_files,
    unit_links,
    warm_up,
)
from qbplan.serve.views import lang_of, message, page

__all__ = ["ServeConfig", "UnitInfo", "create_app", "registered_units", "unit_links"]

log = logging.getLogger("qbplan.serve")
TEMPLATES = Path(__file__).parent / "templates"


def create_app(config: ServeConfig, *, rotate_links: bool = False) -> FastAPI:
    """The application over ``config``: the folder, the store (migrated) and the links' secret are checked here.

    ``rotate_links`` makes a new secret: every link already sent stops working.
    Raises :class:`QbplanError` (exit 2, one line) for a folder that cannot be
    written, a secret that is missing, open to others, damaged or not the
    store's, and a register whose owners are no units.
    """
    if config.planner_token and len(config.planner_token) < MIN_TOKEN_LENGTH:
        raise QbplanError("serve-weak-token", length=len(config.planner_token), minimum=MIN_TOKEN_LENGTH)
    sheet = next(iter(config.register.sheets.values()))
    units_by_key = {unit.key: unit for unit in registered_units(sheet)}
    owners = ownership(config.register)  # an owner that is no unit is refused here, before anyone uploads
    owner_only_folder(config.folder)
    remove_partial_files(config.folder / "files")
    store = IntakeStore(config.db_url, config.db_wait)
    owner_only_database(config.db_url)
    secret = security.links_secret(config.folder, store, rotate=rotate_links)
    by_token = security.tokens_by_hash(secret, units_by_key)
    if config.due is not None:
        store.set_due(config.period, config.due)
    service = Service(config, store, secret, sheet, units_by_key, by_token, owners)
    warm_up(service)
    app = FastAPI(title="qbplan", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service = service
    # No redirect to the same path with a slash: it would follow the Host header a request names.
    app.router.redirect_slashes = False
    # Room for the form's other fields and the multipart framing around the file.
    app.add_middleware(BodyLimit, limit=config.max_upload + 64 * 1024)
    # Outermost: every response carries the headers, pages, downloads, the history chart and refusals alike.
    app.add_middleware(SecurityHeaders)
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES))
    _errors(app)
    app.add_api_route("/", _home, methods=["GET"], response_class=HTMLResponse)
    for router in (units.router, planner.router, admin.router):
        app.include_router(router)
    return app


async def _home(request: Request) -> HTMLResponse:
    # Async on purpose: it touches no database, so it answers on the event loop even while
    # every thread of the pool waits on a stalled database.
    return page(request, "home.html")


def _errors(app: FastAPI) -> None:
    """What the routes raise, turned into pages in one place."""
    from sqlalchemy.exc import OperationalError

    @app.exception_handler(SignInNeeded)
    async def sign_in(request: Request, exc: SignInNeeded) -> Response:
        return RedirectResponse("/planner/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if exc.needed is None:
            return message(request, "serve.forbidden", 403)
        lang = lang_of(request, request.app.state.service.config.lang)
        return message(request, "serve.role_needed", 403, needed=ui(f"serve.role.{exc.needed}", lang))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return message(request, "serve.not_found", 404)

    @app.exception_handler(OperationalError)
    async def database_busy(request: Request, exc: OperationalError) -> Response:
        # A locked SQLite file or a stalled server, past the store's wait: said, and the page stays up.
        log.error("database did not answer: %s", str(exc).splitlines()[0][:200])
        return message(request, "serve.db_busy", 503)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> HTMLResponse:
        # One check that fails never takes the server down: the request gets a page, the log a line.
        log.error("request failed: %s: %s", type(exc).__name__, str(exc)[:200])
        return message(request, "serve.failed", 500)


def owner_only_folder(folder: Path) -> None:
    """The intake's folder, made or kept readable by its owner only, and proven writable before anyone uploads."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".probe-", suffix=".tmp")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise QbplanError("serve-folder-unwritable", folder=str(folder), detail=exc.strerror or str(exc)) from None


def owner_only_database(url: str) -> None:
    """An SQLite intake database, and the files SQLite keeps beside it, readable by their owner only."""
    if not url.startswith("sqlite:///"):
        return
    path = url.removeprefix("sqlite:///")
    for name in (path, f"{path}-wal", f"{path}-shm"):
        with contextlib.suppress(OSError):
            os.chmod(name, 0o600)
