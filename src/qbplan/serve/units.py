"""A unit's pages, reached by its secret link: its form, its uploads, each verdict and a marked copy."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qbplan.errors import QbplanError
from qbplan.i18n import ui
from qbplan.intake.store import Refused, Submission
from qbplan.model.findings import finding_key
from qbplan.serve import security
from qbplan.serve.auth import LinkUnit, LinkUnitPost, NotFound
from qbplan.serve.service import (
    UnitInfo,
    annotatable,
    annotated_copy,
    display_name,
    receive_upload,
    safe_name,
    sheet_labels,
    submission_of,
    workbook_suffix,
)
from qbplan.serve.views import (
    download,
    finding_rows,
    lang_of,
    message,
    page,
    sent_row,
    service_of,
    time_text,
)

log = logging.getLogger("qbplan.serve")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = APIRouter()


def _own_submission(request: Request, unit: UnitInfo, number: str) -> Submission:
    """The unit's own submission by number; another unit's is not there, for this link."""
    found = submission_of(service_of(request), number)
    if found is None or found.unit_key != unit.key:
        raise NotFound
    return found


@router.get("/u/{token}", response_class=HTMLResponse)
def unit_page(request: Request, unit: LinkUnit, token: str) -> HTMLResponse:
    service = service_of(request)
    config = service.config
    lang = lang_of(request, config.lang)
    sent = service.store.of_unit(config.period, unit.key)
    counted = service.store.counted(config.period).get(unit.key)
    return page(
        request,
        "unit.html",
        unit=unit,
        token=token,
        csrf=security.csrf_token(service.secret, token),
        sent=[sent_row(s, lang, counted) for s in sent],
        due=time_text(service.store.due(config.period)),
        closed=time_text(service.store.round_closed(config.period)),
        sheets=sheet_labels(service, unit.key),
    )


@router.get("/u/{token}/form.xlsx")
def unit_form(request: Request, unit: LinkUnit) -> Response:
    from qbplan.tools.template import write_template

    service = service_of(request)
    # The unit's whole part of the survey: every sheet it reports, its rows' keys written in and locked.
    mine = {sheet: list(rows) for sheet, rows in service.owners.rows.get(unit.key, {}).items()}
    buffer = io.BytesIO()
    write_template(service.config.targets, buffer, mine, sheets=set(mine), reporting_unit=unit.name.upper())
    return download(buffer.getvalue(), f"bieu-mau-{safe_name(unit.key)}.xlsx", XLSX)


@router.post("/u/{token}/upload")
async def upload(request: Request, unit: LinkUnitPost, token: str, file: UploadFile | None = None) -> Response:
    service = service_of(request)
    config = service.config
    if file is None or not file.filename:
        return message(request, "serve.no_file", 400)
    filename = display_name(file.filename)
    if not workbook_suffix(filename):
        return message(request, "serve.not_workbook", 400)
    data = await file.read(config.max_upload + 1)
    if len(data) > config.max_upload:
        return message(request, "serve.too_large", 413, limit=config.max_upload // (1024 * 1024))
    try:
        submission = await receive_upload(service, unit, filename, data)
    except Refused as exc:
        status = {"too-many-uploads": 429, "intake-busy": 503}.get(exc.code, 409)
        said = message(request, f"serve.{exc.code}", status, when=time_text(exc.params.get("closed")), **exc.params)
        if exc.code == "intake-busy":
            said.headers["Retry-After"] = "30"  # a burst on the due date drains in seconds to minutes
        return said
    except OSError as exc:
        # A full disk or a folder that cannot be written: nothing was recorded, nothing half-written kept.
        log.error("upload not stored: %s", str(exc)[:200])
        return message(request, "serve.store_failed", 507)
    return RedirectResponse(f"/u/{token}/s/{submission.id}", status_code=303)


def _explainable(submission: Submission) -> bool:
    """Whether the unit may still explain its warnings: checked, and not yet accepted or replaced."""
    return submission.state in ("clean", "errors", "returned") and any(
        f.severity == "warning" for f in submission.findings
    )


@router.get("/u/{token}/s/{number}", response_class=HTMLResponse)
def verdict(request: Request, unit: LinkUnit, token: str, number: str) -> HTMLResponse:
    service = service_of(request)
    submission = _own_submission(request, unit, number)
    lang = lang_of(request, service.config.lang)
    explainable = _explainable(submission)
    return page(
        request,
        "verdict.html",
        unit=unit,
        token=token,
        submission=submission,
        findings=finding_rows(submission.findings, lang, service.store.explanations(submission.id)),
        explain_url=f"/u/{token}/s/{submission.id}/explain" if explainable else "",
        csrf=security.csrf_token(service.secret, token),
        annotatable=annotatable(submission),
        receipt=ui(
            "serve.receipt",
            lang,
            id=submission.id,
            when=time_text(submission.received_at),
            name=submission.filename,
            sha=submission.sha256,
        ),
    )


@router.post("/u/{token}/s/{number}/explain", response_model=None)
def explain(
    request: Request, unit: LinkUnitPost, token: str, number: str, key: str = Form(""), text: str = Form("")
) -> Response:
    """A unit explains one warning of its own submission, in a sentence; the planner reads it when deciding."""
    submission = _own_submission(request, unit, number)
    warnings = {finding_key(f) for f in submission.findings if f.severity == "warning"}
    if key not in warnings:
        raise NotFound  # only a warning of this submission is explained
    service = service_of(request)
    closed = service.store.round_closed(service.config.period)
    if closed is not None:
        return message(request, "serve.round-closed", 409, when=time_text(closed))
    if not _explainable(submission):
        return message(request, "serve.explain_closed", 409)
    service.store.explain(submission.id, key, text)
    return RedirectResponse(f"/u/{token}/s/{submission.id}", status_code=303)


@router.get("/u/{token}/s/{number}/annotated.xlsx")
def annotated(request: Request, unit: LinkUnit, number: str) -> Response:
    service = service_of(request)
    submission = _own_submission(request, unit, number)
    if not annotatable(submission) or service.sound(submission) is None:
        return message(request, "serve.no_annotated", 409)
    try:
        marked = annotated_copy(service, submission, lang_of(request, service.config.lang))
    except QbplanError:
        # The workbook opened for the check but not for marking: said, not a 500.
        return message(request, "serve.no_annotated", 409)
    return download(marked, f"{Path(submission.filename).stem}-danh-dau.xlsx", XLSX)
