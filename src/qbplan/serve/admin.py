"""The admin's pages: planner accounts (add, change role or group, new password, disable) and the audit trail."""

from __future__ import annotations

import csv
import io
import re

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qbplan.defaults import REMIND_DAYS_AFTER, REMIND_DAYS_BEFORE
from qbplan.i18n import ui
from qbplan.intake.accounts import MIN_PASSWORD_LENGTH, ROLES
from qbplan.intake.store import AuditEntry, Refused
from qbplan.serve.auth import Admin, AdminPost
from qbplan.serve.views import download, lang_of, message, page, service_of, time_text

router = APIRouter()

# The trail the page shows; the CSV export holds all of it.
SHOWN_ENTRIES = 200


def audit_row(entry: AuditEntry, lang: str) -> dict[str, str]:
    """One act of the trail as pages and the export word it: roles by their labels, never their keys."""
    detail = entry.detail
    if entry.action in ("account-added", "account-role"):
        for role in ROLES:
            detail = re.sub(rf"\b{role}\b", ui(f"serve.role.{role}", lang), detail)
    return {
        "when": time_text(entry.at),
        "who": entry.actor or ui("serve.actor_token", lang),
        "action": ui(f"serve.audit.{entry.action}", lang),
        "subject": entry.subject,
        "detail": detail,
        "address": entry.address,
    }


@router.get("/planner/admin", response_class=HTMLResponse, response_model=None)
def admin_page(request: Request, who: Admin) -> Response:
    service = service_of(request)
    lang = lang_of(request, service.config.lang)
    groups = sorted({unit.group for unit in service.units.values() if unit.group})
    return page(
        request,
        "admin.html",
        who=who,
        csrf=who.csrf,
        accounts=service.store.accounts(),
        roles=[(role, ui(f"serve.role.{role}", lang)) for role in ROLES],
        groups=groups,
        minimum=MIN_PASSWORD_LENGTH,
        remind_before=REMIND_DAYS_BEFORE,
        remind_after=REMIND_DAYS_AFTER,
        trail=[audit_row(e, lang) for e in service.store.audit_trail(SHOWN_ENTRIES)],
    )


def _known_group(request: Request, unit_group: str) -> bool:
    """Whether an account's group is "" (every unit) or a group of the register's units."""
    return not unit_group or unit_group in {unit.group for unit in service_of(request).units.values()}


@router.post("/planner/admin/accounts", response_model=None)
def add_account(
    request: Request,
    who: AdminPost,
    name: str = Form(""),
    password: str = Form(""),
    role: str = Form(""),
    unit_group: str = Form(""),
) -> Response:
    service = service_of(request)
    if not _known_group(request, unit_group):
        return message(request, "serve.account-bad-group", 400, name=name, group=unit_group)
    try:
        service.store.add_account(name.strip().lower(), password, role, unit_group, actor=who.name,
                                  address=who.address)  # fmt: skip
    except Refused as exc:
        return message(request, f"serve.{exc.code}", 409, minimum=MIN_PASSWORD_LENGTH, **exc.params)
    return RedirectResponse("/planner/admin", status_code=303)


@router.post("/planner/admin/accounts/{name}", response_model=None)
def change_account(
    request: Request,
    who: AdminPost,
    name: str,
    role: str = Form(""),
    unit_group: str = Form(""),
    password: str = Form(""),
    active: str = Form(""),
) -> Response:
    """One form per account: its role and group as chosen, a new password when one is typed, enabled or not."""
    service = service_of(request)
    if not _known_group(request, unit_group):
        return message(request, "serve.account-bad-group", 400, name=name, group=unit_group)
    try:
        service.store.change_account(
            name,
            actor=who.name,
            address=who.address,
            role=role or None,
            unit_group=unit_group,
            password=password or None,
            active={"yes": True, "no": False}.get(active),
        )
    except Refused as exc:
        status = 404 if exc.code == "account-unknown" else 409
        return message(request, f"serve.{exc.code}", status, minimum=MIN_PASSWORD_LENGTH, **exc.params)
    return RedirectResponse("/planner/admin", status_code=303)


@router.post("/planner/admin/remind", response_class=HTMLResponse, response_model=None)
def remind(request: Request, who: AdminPost, action: str = Form("")) -> Response:
    """The units that have not sent, or were sent back: listed (``preview``), or e-mailed their link (``send``).

    As ``qbplan remind`` does, in its default window (qbplan.defaults' REMIND_DAYS_*), with the
    SMTP settings of the server's environment; every message is kept, and the act is audited.
    """
    import datetime as _dt

    from qbplan.defaults import REMIND_DAYS_AFTER, REMIND_DAYS_BEFORE
    from qbplan.errors import QbplanError
    from qbplan.intake.store import ICT
    from qbplan.serve.remind import Smtp, plan_reminders, send_all

    service = service_of(request)
    config = service.config
    lang = lang_of(request, config.lang)
    if action not in ("preview", "send"):
        return message(request, "serve.not_found", 404)
    if not config.base_url:
        # The links in the messages are made from it: without it they would lead nowhere.
        return message(request, "serve.reminders_no_base", 409)
    planned = plan_reminders(
        config, service.store, config.base_url, _dt.datetime.now(ICT).date(), REMIND_DAYS_BEFORE, REMIND_DAYS_AFTER
    )
    if not planned.in_window:
        due = planned.due.astimezone(ICT).date().isoformat() if planned.due else "—"
        return message(
            request, "remind.out_of_window", 409, before=REMIND_DAYS_BEFORE, after=REMIND_DAYS_AFTER, due=due
        )
    if action == "preview":
        results = [(r, "dry") for r in planned.reminders]
    else:
        try:
            results = send_all(planned, config, service.store, Smtp.from_env(), lang)
        except QbplanError as exc:
            return page(request, "message.html", 503, text=exc.message(lang))
        sent = sum(status == "sent" for _, status in results)
        service.store.audit(who.name, "reminded", config.period, f"{sent}/{len(results)}", who.address)
    rows = [
        {
            "unit": r.unit.key,
            "name": r.unit.name,
            "email": r.email,
            "reason": ui(f"remind.reason.{r.reason}", lang),
            "status": ui(f"remind.col.status.{status}", lang) if status in ("sent", "dry") else status,
        }
        for r, status in results
    ]
    without = [f"{u.key} {u.name}" for u in planned.without_email]
    return page(request, "reminders.html", rows=rows, without=without, preview=action == "preview", csrf=who.csrf)


@router.get("/planner/audit.csv", response_model=None)
def audit_csv(request: Request, who: Admin) -> Response:
    """The whole audit trail, newest first, as a CSV for Excel (BOM, text never run as a formula)."""
    from qbplan.render.csv import safe

    service = service_of(request)
    lang = lang_of(request, service.config.lang)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    keys = ("when", "who", "action", "subject", "detail", "address")
    writer.writerow([ui(f"serve.audit_col.{key}", lang) for key in keys])
    for entry in service.store.audit_trail():
        row = audit_row(entry, lang)
        writer.writerow([safe(row[key]) for key in keys])
    return download(out.getvalue().encode("utf-8"), f"nhat-ky-{service.config.period}.csv", "text/csv; charset=utf-8")
