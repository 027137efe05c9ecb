"""Reminders: an e-mail to each unit that has not sent its file, or whose file was returned, around the due date.

Who is reminded is decided from the intake's records: a unit of the register with no
submission in the period, or whose latest submission was sent back. The message holds
the unit's own link and the sheets it reports. SMTP settings come from the environment
(``QBPLAN_SMTP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_FROM``, ``_STARTTLS``); every
message sent, or refused by the server, is kept in the store.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal

from qbplan.errors import QbplanError
from qbplan.i18n import ui
from qbplan.intake.store import ICT, IntakeStore
from qbplan.serve import security
from qbplan.serve.service import ServeConfig, UnitInfo, registered_units, sheet_label

Reason = Literal["missing", "returned"]
EMAIL_COLUMN = "thu_dien_tu"


@dataclass(frozen=True)
class Reminder:
    """One unit to remind: its e-mail, why, its own link and the sheets it reports."""

    unit: UnitInfo
    email: str
    reason: Reason
    link: str
    sheets: tuple[str, ...]
    note: str = ""  # the planner's note when the file was returned


@dataclass(frozen=True)
class Plan:
    """Who would be reminded today: the reminders, the units with nothing to write to, and whether it is the time."""

    reminders: tuple[Reminder, ...]
    without_email: tuple[UnitInfo, ...]
    in_window: bool
    due: _dt.datetime | None


def plan_reminders(
    config: ServeConfig, store: IntakeStore, base: str, today: _dt.date, before: int, after: int
) -> Plan:
    """The units to remind on ``today``: from ``before`` days before the due date to ``after`` days after it.

    Without a due date no reminder is due (a round with no date has nobody late).
    """
    from qbplan.serve.owners import ownership

    due = store.due(config.period)
    in_window = due is not None and (
        due.astimezone(ICT).date() - _dt.timedelta(days=before)
        <= today
        <= due.astimezone(ICT).date() + _dt.timedelta(days=after)
    )
    secret = security.known_links_secret(config.folder, store)
    owners = ownership(config.register)
    current = store.current(config.period)
    out: list[Reminder] = []
    without: list[UnitInfo] = []
    for unit in registered_units(next(iter(config.register.sheets.values()))):
        latest = current.get(unit.key)
        reason: Reason | None = "missing" if latest is None else "returned" if latest.state == "returned" else None
        if reason is None:
            continue
        email = str(unit.values.get(EMAIL_COLUMN) or "").strip()
        if "@" not in email:
            without.append(unit)
            continue
        link = f"{base.rstrip('/')}/u/{security.unit_token(secret, unit.key)}"
        sheets = tuple(sheet_label(config.targets, key) for key in owners.sheets_of(unit.key))
        out.append(Reminder(unit, email, reason, link, sheets, latest.note if latest is not None else ""))
    return Plan(tuple(out), tuple(without), in_window, due)


def message(reminder: Reminder, config: ServeConfig, due: _dt.datetime | None, sender: str, lang: str) -> EmailMessage:
    """The e-mail of one reminder, in ``lang``: why, the due date, the sheets, the unit's own link."""
    from qbplan.history.periods import parse_period

    period = parse_period(config.period).label(lang)
    when = due.astimezone(ICT).strftime("%d/%m/%Y") if due is not None else "—"
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = reminder.email
    mail["Subject"] = ui("remind.subject", lang, period=period, unit=reminder.unit.name)
    lines = [
        ui("remind.greeting", lang, unit=reminder.unit.name),
        "",
        ui(f"remind.{reminder.reason}", lang, period=period, due=when, note=reminder.note or "—"),
        ui("remind.sheets", lang, sheets=", ".join(reminder.sheets) or "—"),
        "",
        ui("remind.link", lang),
        reminder.link,
        "",
        ui("remind.signature", lang),
    ]
    mail.set_content("\n".join(lines))
    return mail


@dataclass(frozen=True)
class Smtp:
    """Where mail goes, from the environment."""

    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    starttls: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Smtp:
        """The settings ``QBPLAN_SMTP_*`` give; a usage error naming what is missing."""
        host, sender = env.get("QBPLAN_SMTP_HOST", ""), env.get("QBPLAN_SMTP_FROM", "")
        port = env.get("QBPLAN_SMTP_PORT", "25")
        if not host or not sender or not port.isdigit():
            raise QbplanError("usage-remind-smtp")
        return cls(host, int(port), sender, env.get("QBPLAN_SMTP_USER", ""), env.get("QBPLAN_SMTP_PASSWORD", ""),
                   env.get("QBPLAN_SMTP_STARTTLS", "") == "1")  # fmt: skip


def send_all(plan: Plan, config: ServeConfig, store: IntakeStore, smtp: Smtp, lang: str) -> list[tuple[Reminder, str]]:
    """Send each reminder on one connection; keep each in the store. Each reminder's status: sent or why not."""
    import smtplib

    results: list[tuple[Reminder, str]] = []
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
            if smtp.starttls:
                server.starttls()
            if smtp.user:
                server.login(smtp.user, smtp.password)
            for reminder in plan.reminders:
                status = _send(server, message(reminder, config, plan.due, smtp.sender, lang))
                results.append((reminder, status))
                detail = "" if status == "sent" else status
                store.reminded(config.period, reminder.unit.key, reminder.email, reminder.reason,
                               "sent" if status == "sent" else "failed", detail)  # fmt: skip
    except (OSError, smtplib.SMTPException) as exc:
        raise QbplanError("remind-smtp-failed", host=f"{smtp.host}:{smtp.port}", detail=str(exc)[:200]) from None
    return results


def _send(server: object, mail: EmailMessage) -> str:
    """ "sent", or the server's refusal of this one message (the others still go)."""
    import smtplib

    try:
        server.send_message(mail)  # type: ignore[attr-defined]
    except smtplib.SMTPRecipientsRefused as exc:
        return f"refused: {next(iter(exc.recipients.values()), '')}"[:200]
    return "sent"
