"""How the intake's pages are laid out: the page and message renderers and the rows tables show.

Nothing here computes a figure or touches the store; it words what the
service found (labels from :mod:`qbplan.i18n.interface`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from qbplan.i18n import ui
from qbplan.intake.store import ICT, State, Submission
from qbplan.model.findings import Finding, explained, finding_key
from qbplan.model.wording import describe, place_text
from qbplan.serve.service import Service, UnitInfo


def service_of(request: Request) -> Service:
    """The service the app was made over."""
    found: Service = request.app.state.service
    return found


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page of the intake in the request's language, with what every page shows (the plan, the other language)."""
    config = service_of(request).config
    lang = lang_of(request, config.lang)
    context.update(
        lang=lang,
        t=lambda key, **params: ui(key, lang, **params),
        other_lang="en" if lang == "vi" else "vi",
        plan=config.targets.plan.title_vi if lang == "vi" else config.targets.plan.title_en,
    )
    response = request.app.state.templates.TemplateResponse(request, name, context, status_code=status)
    response.set_cookie("qbplan_lang", lang, samesite="strict", httponly=True)
    assert isinstance(response, HTMLResponse)
    return response


def message(request: Request, key: str, status: int, **params: Any) -> HTMLResponse:
    """A page of one sentence (a refusal, a result), worded from its label key."""
    lang = lang_of(request, service_of(request).config.lang)
    return page(request, "message.html", status, text=ui(key, lang, **params))


def finding_rows(
    findings: tuple[Finding, ...], lang: str, explanations: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """Each finding as the pages list it; a warning the unit explained says so (``explanations`` by finding key)."""
    given = explanations or {}
    rows = []
    for f in findings:
        key = finding_key(f)
        text = given.get(key, "") if f.severity == "warning" else ""
        shown = explained(f, text) if text else f
        where = place_text(None, f.sheet, f.cell, f.row)
        rows.append({"where": where, "message": describe(shown, lang), "severity": f.severity, "key": key,
                     "explanation": text})  # fmt: skip
    return rows


def sent_row(s: Submission, lang: str, counted: Submission | None = None) -> dict[str, Any]:
    """One line of a unit's own list; a file sent after its accepted one says that one still counts."""
    pending = counted is not None and s.id > counted.id and s.decision == "sent"
    return {
        "id": s.id,
        "when": time_text(s.received_at),
        "file": s.filename,
        "state": s.state,
        "state_text": ui(f"serve.state.{s.state}", lang),
        "note": ui("serve.unit_pending", lang, id=counted.id) if pending and counted is not None else s.note,
    }


def unit_row(
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
        "pending_text": ui("serve.pending", lang, id=pending.id, when=time_text(pending.received_at))
        if pending
        else "",
        "when": time_text(shown.received_at) if shown else "",
        "late": late,
        "timing": timing,
    }


def time_text(moment: _dt.datetime | None) -> str:
    """A time as people in Vietnam read it: ICT (UTC+7), 05/12/2026 14:03."""
    if moment is None:
        return ""
    return moment.astimezone(ICT).strftime("%d/%m/%Y %H:%M")


def download(data: bytes, filename: str, media_type: str) -> Response:
    from urllib.parse import quote

    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"}
    )


def lang_of(request: Request, default: str) -> str:
    wanted = request.query_params.get("lang") or request.cookies.get("qbplan_lang") or default
    return "en" if wanted == "en" else "vi"
