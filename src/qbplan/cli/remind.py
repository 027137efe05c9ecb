"""``qbplan remind``: e-mail the units that have not sent, or whose file was returned, around the due date.

Run by cron or a systemd timer once a day; ``--dry-run`` lists what would be sent.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from qbplan.cli.app import command
from qbplan.cli.options import (
    DEFAULT_INTAKE_FOLDER,
    DEFAULT_LANG,
    IntakeDbOption,
    IntakeFolderOption,
    LangOption,
    PeriodOption,
    PlanOption,
    RegisterOption,
    TargetsOption,
    h,
)
from qbplan.defaults import DEFAULT_TIMEOUT, REMIND_DAYS_AFTER, REMIND_DAYS_BEFORE
from qbplan.error_handler import error_handler, say
from qbplan.errors import EXIT_OK, EXIT_TARGET_MISSED, QbplanError

_HELP = h(
    "Gửi thư nhắc các đơn vị chưa gửi biểu hoặc có biểu bị trả lại, từ vài ngày trước đến vài ngày sau hạn nộp; "
    "thư có đường dẫn riêng của đơn vị. Máy chủ thư đặt bằng biến môi trường QBPLAN_SMTP_*. Mã thoát 1 nếu có "
    "thư không gửi được.",
    "E-mail the units that have not sent, or whose file was returned, from a few days before to a few days after "
    "the due date, with each unit's own link. The mail server comes from QBPLAN_SMTP_* variables. Exit 1 if a "
    "message could not be sent.",
)


@command("remind", _HELP)
def remind_cmd(
    register: RegisterOption = None,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    period: PeriodOption = None,
    folder: IntakeFolderOption = DEFAULT_INTAKE_FOLDER,
    db: IntakeDbOption = None,
    base_url: Annotated[
        Optional[str],
        typer.Option(
            "--base-url",
            help=h("Địa chỉ mà đơn vị mở đường dẫn riêng.", "The address units open their links by."),
            show_default=False,
        ),
    ] = None,
    before: Annotated[
        int,
        typer.Option(
            "--days-before",
            min=0,
            max=60,
            help=h("Nhắc từ bấy nhiêu ngày trước hạn.", "From this many days before the due date."),
        ),
    ] = REMIND_DAYS_BEFORE,
    after: Annotated[
        int,
        typer.Option(
            "--days-after", min=0, max=60, help=h("Đến bấy nhiêu ngày sau hạn.", "To this many days after it.")
        ),
    ] = REMIND_DAYS_AFTER,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=h("Chỉ liệt kê, không gửi, không ghi.", "List only: send and keep nothing.")),
    ] = False,
    lang: LangOption = DEFAULT_LANG,
) -> int:
    import datetime as _dt

    with error_handler(lang.value):
        if not base_url:
            raise QbplanError("usage-remind-no-base")
        from qbplan.cli.serve import serve_config
        from qbplan.cli.serve_users import open_intake
        from qbplan.i18n import ui
        from qbplan.intake.store import ICT
        from qbplan.serve.remind import Smtp, plan_reminders, send_all

        smtp = None if dry_run else Smtp.from_env()
        today = _dt.datetime.now(ICT).date()
        # The intake first: a folder with none is said before the register is read.
        with open_intake(folder, db, lang.value) as store:
            config = serve_config(
                register, targets, plan, period, folder, db, planner_token=None, due=None, max_upload_mb=20,
                lang=lang.value, timeout=DEFAULT_TIMEOUT, max_memory_mb=None, history_db=None,
            )  # fmt: skip
            planned = plan_reminders(config, store, base_url, today, before, after)
            if planned.without_email:
                units = ", ".join(u.key for u in planned.without_email)
                say(ui("remind.no_email", lang.value, count=len(planned.without_email), units=units))
            if not planned.in_window:
                due = planned.due.astimezone(ICT).date().isoformat() if planned.due else "—"
                say(ui("remind.out_of_window", lang.value, before=before, after=after, due=due))
                return EXIT_OK
            if smtp is None:
                results = [(r, "dry") for r in planned.reminders]
            else:
                results = send_all(planned, config, store, smtp, lang.value)
        for reminder, status in results:
            word = ui(f"remind.col.status.{status}", lang.value) if status in ("sent", "dry") else status
            reason = ui(f"remind.reason.{reminder.reason}", lang.value)
            sys.stdout.write("\t".join((reminder.unit.key, reminder.email, reason, word)) + "\n")
        failed = any(status not in ("sent", "dry") for _, status in results)
    return EXIT_TARGET_MISSED if failed else EXIT_OK
