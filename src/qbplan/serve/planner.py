"""The planner's pages: sign-in, the round's dashboard, each submission, decisions, the round's acts, downloads.

What each route needs is declared once, as its dependency: ``needs(role)``
to look, ``posts(role)`` to change (with the form's CSRF token). Viewers
look; reviewers accept and send back; admins set due dates, close and
re-open the round, save it to the history and manage accounts
(:mod:`qbplan.serve.admin`). An account limited to a register group sees
only that group's units and their files.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qbplan.errors import QbplanError
from qbplan.history.periods import parse_period
from qbplan.i18n import ui
from qbplan.intake.accounts import BOOTSTRAP, Account
from qbplan.intake.store import Refused, Submission, due_at_end_of
from qbplan.serve import security
from qbplan.serve.auth import (
    PLANNER_COOKIE,
    AdminPost,
    Forbidden,
    ReviewerPost,
    Viewer,
    address_of,
    sees_unit,
    signed_in,
    submission_seen,
)
from qbplan.serve.service import (
    SIGN_IN_WINDOW_MINUTES,
    archived_name,
    pending_changes,
    province_report,
    sheet_label,
    sign_in_allowed,
)
from qbplan.serve.views import (
    download,
    finding_rows,
    lang_of,
    message,
    page,
    service_of,
    time_text,
    unit_row,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = APIRouter()


@router.get("/planner/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return page(request, "login.html", error=False)


@router.post("/planner/login", response_model=None)
def login(request: Request, name: str = Form(""), password: str = Form(""), token: str = Form("")) -> Response:
    """Sign in with an account's name and password, or, before any admin account exists, the start-up token."""
    service = service_of(request)
    config = service.config
    address, name = address_of(request), name.strip().lower()[:64]
    if not sign_in_allowed(service.store, address, name):
        # Throttled per address, per account and in all: guessing costs minutes a try, not microseconds.
        return message(request, "serve.login_throttled", 429, minutes=SIGN_IN_WINDOW_MINUTES)
    account: Account | None = None
    if name:
        account = service.store.sign_in(name, password, address)
    elif service.store.has_admin():
        # The start-up token only bootstraps the first admin; from then on everyone signs in by name.
        service.store.audit("", "sign-in-failed", "", "token", address)
        return page(request, "login.html", 403, error=True, retired=True)
    elif config.planner_token and security.same(password or token, config.planner_token):
        account = BOOTSTRAP
    else:
        service.store.audit("", "sign-in-failed", "", "token", address)
    if account is None:
        # Kept in the audit trail (the store's sign_in, or above): the throttle counts it from there.
        return page(request, "login.html", 403, error=True)
    ttl = _dt.timedelta(hours=config.session_hours)
    response = RedirectResponse("/planner", status_code=303)
    response.set_cookie(
        PLANNER_COOKIE,
        service.store.open_session(ttl, account.name, address),
        max_age=int(ttl.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=config.secure_cookies,
    )
    return response


@router.post("/planner/logout", response_model=None)
def logout(request: Request, csrf: str = Form("")) -> Response:
    config = service_of(request).config
    who = signed_in(request)
    if who is not None and security.same(csrf, who.csrf):
        service_of(request).store.close_session(who.session, who.address)
    response = RedirectResponse("/planner/login", status_code=303)
    response.delete_cookie(PLANNER_COOKIE, httponly=True, samesite="strict", secure=config.secure_cookies)
    return response


@router.get("/planner", response_class=HTMLResponse, response_model=None)
def dashboard(request: Request, who: Viewer) -> Response:
    from qbplan.render.view import indicator_row

    service = service_of(request)
    config = service.config
    lang = lang_of(request, config.lang)
    keys = [key for key, unit in service.units.items() if who.account.sees(unit.group)]
    due = service.store.due(config.period)
    rows, counted = _unit_lines(request, keys, due, lang)
    report = province_report(service)
    unsound = [s for key, s in counted.items() if key in set(keys) and service.sound(s) is None]
    return page(
        request,
        "planner.html",
        who=who,
        role=ui(f"serve.role.{who.account.role}", lang),
        group=who.account.unit_group,
        **_filtered(request, rows, keys, lang),
        summary=_summary(rows, lang),
        indicators=[indicator_row(ind, lang) for ind in report.indicators] if report else [],
        csrf=who.csrf,
        due=due.date().isoformat() if due else "",
        period=config.period,
        period_label=parse_period(config.period).label(lang),
        closed=time_text(service.store.round_closed(config.period)),
        events=[
            {
                "when": time_text(e.at),
                "event": ui(f"serve.event.{e.event}", lang),
                "note": e.note,
                "who": _actor(e.actor, lang),
            }
            for e in service.store.events(config.period)
        ],
        unsound=[ui("serve.unsound", lang, id=s.id, unit=s.unit_key, name=s.filename) for s in unsound],
        unowned=[
            ui("serve.unowned", lang, count=count, sheet=sheet_label(config.targets, sheet))
            for sheet, count in service.owners.unowned.items()
        ],
    )


def _unit_lines(
    request: Request, keys: list[str], due: _dt.datetime | None, lang: str
) -> tuple[list[dict[str, Any]], dict[str, Submission]]:
    """Each unit's dashboard line (its state, what counts, lateness, when last reminded), and what counts."""
    service = service_of(request)
    period = service.config.period
    current, counted = service.store.current(period), service.store.counted(period)
    reminded = service.store.last_reminders(period)
    rows = []
    for key in keys:
        row = unit_row(service.units[key], current.get(key), counted.get(key), due, lang)
        when = reminded.get(key)
        rows.append({**row, "reminded": ui("serve.reminded", lang, when=time_text(when)) if when else ""})
    return rows, counted


def _summary(rows: list[dict[str, Any]], lang: str) -> str:
    """Sent, accepted and late, of every unit the planner sees (whatever the filter shows)."""
    return ui(
        "serve.units_summary",
        lang,
        sent=sum(1 for r in rows if r["state"] != "missing"),
        total=len(rows),
        accepted=sum(1 for r in rows if r["counted"] is not None),
        late=sum(1 for r in rows if r["late"]),
    )


def _filtered(request: Request, rows: list[dict[str, Any]], keys: list[str], lang: str) -> dict[str, Any]:
    """The lines the filter keeps, one page of them, and what the filter form and the pager show."""
    service = service_of(request)
    chosen = UnitFilter.of(request)
    shown = [r for r in rows if chosen.keeps(r)]
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    at = min(chosen.page, pages)
    return {
        "rows": shown[(at - 1) * PAGE_SIZE : at * PAGE_SIZE],
        "chosen": chosen,
        "states": [(key, ui(f"serve.state.{key}", lang)) for key in FILTER_STATES],
        "groups": sorted({service.units[k].group for k in keys if service.units[k].group}),
        "shown_count": ui("serve.shown_count", lang, shown=len(shown), total=len(rows)),
        "pager": [(n, chosen.link(n)) for n in range(1, pages + 1)] if pages > 1 else [],
        "at": at,
    }


# Units on one page of the dashboard: 5,000 units are 50 pages, never one 3 MB page.
PAGE_SIZE = 100
FILTER_STATES = ("missing", "checking", "errors", "clean", "accepted", "returned")


@dataclass(frozen=True)
class UnitFilter:
    """The dashboard's filter, from the query: a state, late only, a register group, a code or name, a page."""

    state: str = ""
    late: bool = False
    group: str = ""
    q: str = ""
    page: int = 1

    @classmethod
    def of(cls, request: Request) -> UnitFilter:
        """The filter a request asks for; anything that is not one is ignored (never an error page)."""
        query = request.query_params
        state = query.get("state", "")
        number = query.get("page", "1")
        return cls(
            state=state if state in FILTER_STATES else "",
            late=query.get("late") == "1",
            group=query.get("group", "")[:200],
            q=query.get("q", "").strip()[:100],
            page=int(number) if number.isascii() and number.isdigit() and 0 < len(number) < 6 else 1,
        )

    def keeps(self, row: dict[str, object]) -> bool:
        """Whether a unit's dashboard line passes the filter (a code or name matched without accents or case)."""
        from qbplan.textnorm import fold

        unit = row["unit"]
        if self.state and row["state"] != self.state:
            return False
        if self.late and not row["late"]:
            return False
        if self.group and getattr(unit, "group", "") != self.group:
            return False
        if self.q:
            wanted = fold(self.q)
            return wanted in fold(str(getattr(unit, "key", ""))) or wanted in fold(str(getattr(unit, "name", "")))
        return True

    def link(self, number: int) -> str:
        """The dashboard's address for page ``number`` of this filter."""
        from urllib.parse import urlencode

        query = {"state": self.state, "late": "1" if self.late else "", "group": self.group, "q": self.q}
        return "/planner?" + urlencode({**{k: v for k, v in query.items() if v}, "page": number})


def _actor(name: str | None, lang: str) -> str:
    """Who did something, as pages show it: the account's name, the start-up token, or nobody known."""
    if name is None:
        return ""
    return name or ui("serve.actor_token", lang)


@router.post("/planner/round", response_model=None)
def round_state(request: Request, who: AdminPost, action: str = Form(""), note: str = Form("")) -> Response:
    """Close the round (uploads then get a clear page) or reopen it: each a recorded act."""
    service = service_of(request)
    if action == "close":
        service.store.close_round(service.config.period, note, who.name, who.address)
    elif action == "reopen":
        service.store.reopen_round(service.config.period, note, who.name, who.address)
    else:
        return message(request, "serve.not_found", 404)
    return RedirectResponse("/planner", status_code=303)


@router.get("/planner/s/{number}", response_class=HTMLResponse, response_model=None)
def planner_submission(request: Request, who: Viewer, number: str) -> Response:
    service = service_of(request)
    config = service.config
    submission = submission_seen(request, who, number)
    lang = lang_of(request, config.lang)
    accepted = service.store.counted(config.period).get(submission.unit_key)
    latest = service.store.current(config.period).get(submission.unit_key)
    pending = accepted is not None and accepted.id < submission.id and submission.decision == "sent"
    return page(
        request,
        "submission.html",
        unit=service.units.get(submission.unit_key),
        submission=submission,
        # The unit's explanations beside its warnings, read when deciding.
        findings=finding_rows(submission.findings, lang, service.store.explanations(submission.id)),
        csrf=who.csrf,
        may_decide=who.account.may("reviewer"),
        state=ui(f"serve.state.{submission.state}", lang),
        accepted=accepted,
        newer=latest if latest is not None and latest.id > submission.id else None,
        pending=pending,
        changes=pending_changes(service, accepted, submission, lang) if pending and accepted is not None else None,
        decisions=[
            {
                "when": time_text(d.decided_at),
                "state": ui(f"serve.state.{d.decision}", lang),
                "note": d.note,
                "who": _actor(d.actor, lang),
            }
            for d in service.store.decisions(submission.id)
        ],
    )


@router.post("/planner/s/{number}/decide", response_model=None)
def decide(
    request: Request, who: ReviewerPost, number: str, decision: str = Form(""), note: str = Form("")
) -> Response:
    submission = submission_seen(request, who, number)
    if decision not in ("accepted", "returned"):
        return message(request, "serve.not_found", 404)
    try:
        service_of(request).store.decide(submission.id, decision, note, who.name, who.address)  # type: ignore[arg-type]
    except Refused as exc:
        # Nothing changed: said, with what stands in the way (a newer file to look at first).
        return message(request, f"serve.{exc.code}", 409, id=submission.id, **exc.params)
    return RedirectResponse("/planner", status_code=303)


@router.post("/planner/due", response_model=None)
def set_due(request: Request, who: AdminPost, due: str = Form("")) -> Response:
    try:
        day = _dt.date.fromisoformat(due) if due else None
    except ValueError:
        return message(request, "serve.forbidden", 400)
    service = service_of(request)
    service.store.set_due(service.config.period, due_at_end_of(day) if day else None, who.name, who.address)
    return RedirectResponse("/planner", status_code=303)


@router.post("/planner/save", response_model=None)
def save_period(request: Request, who: AdminPost) -> Response:
    """The province's check over the accepted files, saved as a run of the period (as ``check --save``)."""
    from qbplan.history.record import save_run
    from qbplan.model.wording import sentence

    service = service_of(request)
    config = service.config
    lang = lang_of(request, config.lang)
    report = province_report(service)
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
    service.store.audit(who.name, "saved", config.period, f"run {saved.run_id}", who.address)
    text = ui("serve.saved", lang, run=saved.run_id, period=period.label(lang), accepted=len(report.files),
              db=str(saved.db))  # fmt: skip
    return page(request, "message.html", 200, text=text, done=True)


@router.get("/planner/history", response_class=HTMLResponse, response_model=None)
def history_page(request: Request, who: Viewer) -> Response:
    from qbplan.history.trend import read_history
    from qbplan.model.wording import sentence
    from qbplan.render import history as history_format

    config = service_of(request).config
    lang = lang_of(request, config.lang)
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


@router.get("/planner/accepted.zip", response_model=None)
def accepted_zip(request: Request, who: Viewer) -> Response:
    """The accepted files the planner sees, each named by its unit, with a listing."""
    service = service_of(request)
    config = service.config
    lang = lang_of(request, config.lang)
    buffer = io.BytesIO()
    listing = [ui("serve.zip_listing_head", lang)]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for key, submission in sorted(service.store.counted(config.period).items()):
            if not sees_unit(request, who, key):
                continue
            name = archived_name(key, submission)
            path = service.sound(submission)
            if path is None:
                # A stored copy missing or damaged: one line of the listing, never a broken archive.
                listing.append(f"{key}\t#{submission.id}\t{submission.filename}\t{ui('serve.zip_unsound', lang)}")
                continue
            zf.write(path, name)
            listing.append(f"{key}\t#{submission.id}\t{submission.filename}\t{name}\t{submission.sha256}")
        zf.writestr("danh-sach.txt", "\n".join(listing) + "\n")
    return download(buffer.getvalue(), f"da-chap-nhan-{config.period}.zip", "application/zip")


@router.get("/planner/{kind}.xlsx", response_model=None)
def planner_workbook(request: Request, who: Viewer, kind: str) -> Response:
    """The province's report or its annex (Decree 30), over the accepted files."""
    from qbplan.render import RenderOptions, get_renderer
    from qbplan.render.options import Annex

    if kind not in ("report", "annex"):
        return message(request, "serve.not_found", 404)
    if who.account.unit_group:
        # The report names every unit's file and findings: for planners who see every unit.
        raise Forbidden
    service = service_of(request)
    config = service.config
    report = province_report(service, empty=True)
    assert report is not None  # with empty=True there is always a report
    buffer = io.BytesIO()
    # The annex's heading as the CLI's for the same plan: the targets file's authority, unit and place.
    options = RenderOptions(lang=lang_of(request, config.lang), annex=Annex.of_plan(config.targets))
    get_renderer("xlsx" if kind == "report" else "annex")(report, buffer, options)
    name = f"{'bao-cao' if kind == 'report' else 'phu-luc'}-{config.period}.xlsx"
    return download(buffer.getvalue(), name, XLSX)
