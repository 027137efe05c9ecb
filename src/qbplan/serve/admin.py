"""The admin's pages: planner accounts (add, change role or group, new password, disable) and the audit trail."""

from __future__ import annotations

import csv
import io
import re

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

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
