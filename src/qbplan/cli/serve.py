"""``qbplan serve``: the web intake of a reporting round, on an embedded SQLite file by default."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from qbplan.cli.app import app as root
from qbplan.cli.options import (
    DEFAULT_INTAKE_FOLDER,
    DEFAULT_LANG,
    OPTIONS,
    IntakeDbOption,
    IntakeFolderOption,
    LangOption,
    MaxMemoryOption,
    PeriodOption,
    PlanOption,
    RegisterOption,
    TargetsOption,
    TimeoutOption,
    as_bytes,
    h,
    register_paths,
    targets_from,
)
from qbplan.defaults import DEFAULT_TIMEOUT
from qbplan.error_handler import error_handler, say
from qbplan.errors import EXIT_OK, QbplanError

if TYPE_CHECKING:  # pragma: no cover
    from qbplan.serve.app import ServeConfig

_SERVE_HELP = h(
    "Mở trang tiếp nhận biểu số liệu: mỗi đơn vị trong danh mục có một đường dẫn riêng để tải biểu mẫu, gửi "
    "biểu và xem kết quả kiểm tra ngay; cán bộ tổng hợp theo dõi đợt báo cáo, chấp nhận hoặc trả lại từng biểu.",
    "Open the submission intake: each registered unit gets its own link to download its form, send its "
    "workbook and see the check's verdict at once; the planner follows the round and accepts or sends back "
    "each submission.",
)


serve_app = typer.Typer(
    name="serve",
    help=_SERVE_HELP,
    invoke_without_command=True,
    options_metavar=OPTIONS,
    subcommand_metavar=h("[users LỆNH [THAM SỐ]...]", "[users COMMAND [ARGS]...]"),
    rich_markup_mode=None,
)


@serve_app.callback(invoke_without_command=True)
def serve_cmd(
    ctx: typer.Context,
    register: RegisterOption = None,
    targets: TargetsOption = None,
    plan: PlanOption = None,
    period: PeriodOption = None,
    folder: IntakeFolderOption = DEFAULT_INTAKE_FOLDER,
    db: IntakeDbOption = None,
    host: Annotated[str, typer.Option("--host", help=h("Địa chỉ nghe.", "The address to listen on."))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help=h("Cổng.", "The port."))] = 8000,
    base_url: Annotated[
        Optional[str],
        typer.Option(
            "--base-url",
            help=h(
                "Địa chỉ mà đơn vị dùng để mở trang (mặc định http://HOST:PORT).",
                "The address units open the pages by (default http://HOST:PORT).",
            ),
            show_default=False,
        ),
    ] = None,
    rotate_links: Annotated[
        bool,
        typer.Option(
            "--rotate-links",
            help=h(
                "Tạo khóa bí mật mới: mọi đường dẫn đã gửi cho đơn vị hết hiệu lực, cần gửi lại đường dẫn mới.",
                "Make a new secret: every link already sent to the units stops working; send the new links.",
            ),
        ),
    ] = False,
    links: Annotated[
        Optional[Path],
        typer.Option(
            "--links",
            help=h(
                "Ghi đường dẫn riêng của từng đơn vị vào tệp CSV này (mã, tên, đường dẫn).",
                "Write each unit's own link to this CSV file (code, name, link).",
            ),
            show_default=False,
        ),
    ] = None,
    planner_token: Annotated[
        Optional[str],
        typer.Option(
            "--planner-token",
            envvar="QBPLAN_PLANNER_TOKEN",
            help=h(
                "Mã truy cập của cán bộ tổng hợp (mặc định: tạo ngẫu nhiên và in ra khi khởi động).",
                "The planner's access token (default: made at random and printed at start).",
            ),
            show_default=False,
        ),
    ] = None,
    due: Annotated[
        Optional[str],
        typer.Option(
            "--due",
            help=h("Hạn nộp của kỳ, YYYY-MM-DD.", "The period's due date, YYYY-MM-DD."),
            show_default=False,
        ),
    ] = None,
    history_db: Annotated[
        Optional[str],
        typer.Option(
            "--history-db",
            help=h(
                "Cơ sở dữ liệu lịch sử (tệp SQLite hoặc postgresql://…) để vẽ biểu đồ các kỳ và lưu kỳ này "
                "(mặc định QBPLAN_DB hoặc qbplan.db).",
                "The history database (an SQLite file or postgresql://…) the periods' chart is drawn from and "
                "this period is saved to (default QBPLAN_DB or qbplan.db).",
            ),
            show_default=False,
        ),
    ] = None,
    max_upload_mb: Annotated[
        int,
        typer.Option(
            "--max-upload-mb",
            min=1,
            max=512,
            help=h("Dung lượng tối đa một tệp gửi lên (MB).", "Most MB one upload may be."),
        ),
    ] = 20,
    uploads_per_hour: Annotated[
        int,
        typer.Option(
            "--max-uploads-per-hour",
            min=1,
            max=10000,
            help=h("Số tệp tối đa một đơn vị gửi trong một giờ.", "Most files one unit may send in an hour."),
        ),
    ] = 30,
    lang: LangOption = DEFAULT_LANG,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    max_memory_mb: MaxMemoryOption = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return  # qbplan serve users …: the accounts, not the server
    with error_handler(lang.value):
        config = serve_config(
            register, targets, plan, period, folder, db, planner_token, due, max_upload_mb, lang.value, timeout,
            max_memory_mb, history_db,
        )  # fmt: skip
        base = base_url or f"http://{host}:{port}"
        # Behind an https address the session cookie is never sent over plain http.
        secure = base.lower().startswith("https://")
        config = dataclasses.replace(config, uploads_per_hour=uploads_per_hour, secure_cookies=secure, base_url=base)
        from qbplan.serve.app import create_app, unit_links

        app = create_app(config, rotate_links=rotate_links)
        if rotate_links:
            say(h("đã tạo khóa bí mật mới: mọi đường dẫn cũ hết hiệu lực; gửi lại đường dẫn mới cho các đơn vị",
                  "made a new secret: every old link stopped working; send the new links to the units"))  # fmt: skip
        every = unit_links(config, base)
        if links is not None:
            _write_links(links, every)
        say(h(f"trang tiếp nhận: {base}/ ({len(every)} đơn vị)", f"intake: {base}/ ({len(every)} units)"))
        if links is not None:
            say(h(f"đường dẫn của từng đơn vị: {links}", f"each unit's link: {links}"))
        else:
            say(h("thêm --links TỆP.csv để ghi đường dẫn của từng đơn vị", "add --links FILE.csv for each unit's link"))
        if app.state.service.store.has_admin():
            # The start-up token signs nobody in once an admin account exists: nothing to print.
            say(h(f"cán bộ tổng hợp: {base}/planner, đăng nhập bằng tài khoản (qbplan serve users)",
                  f"planner: {base}/planner, sign in with an account (qbplan serve users)"))  # fmt: skip
        elif planner_token is None:
            say(h(f"cán bộ tổng hợp: {base}/planner, mã truy cập {config.planner_token} (chỉ để tạo tài khoản "
                  "quản trị đầu tiên)",
                  f"planner: {base}/planner, access token {config.planner_token} (only to make the first admin "
                  "account)"))  # fmt: skip
        else:
            # Given by --planner-token or QBPLAN_PLANNER_TOKEN: its owner has it, a log must not.
            say(h(f"cán bộ tổng hợp: {base}/planner, mã truy cập như đã cho",
                  f"planner: {base}/planner, the access token as given"))  # fmt: skip
        from qbplan.serve.server import serve

        serve(app, host, port)
    raise typer.Exit(EXIT_OK)


from qbplan.cli.serve_users import users_app  # noqa: E402 - the subcommands, beside the server

serve_app.add_typer(users_app, name="users")

from qbplan.cli.serve_backup import backup_cmd, restore_cmd  # noqa: E402 - beside the server, as users

serve_app.command(
    "backup",
    options_metavar=OPTIONS,
    help=h(
        "Sao lưu đợt tiếp nhận trên SQLite (có thể khi máy chủ đang chạy): cơ sở dữ liệu, mọi tệp đã nhận và "
        "khóa bí mật, vào một thư mục mới. Đợt trên PostgreSQL: dùng pg_dump.",
        "Back up a round on SQLite (the server may be running): the database, every file received and the "
        "secret, into a new folder. A round on PostgreSQL: use pg_dump.",
    ),
)(backup_cmd)
serve_app.command(
    "restore",
    options_metavar=OPTIONS,
    help=h(
        "Khôi phục bản sao lưu thành thư mục tiếp nhận mới hoặc trống; mọi tệp được đối chiếu mã băm trước.",
        "Restore a backup as a new or empty intake folder; every file is checked against its hash first.",
    ),
)(restore_cmd)
root.add_typer(serve_app, name="serve")


def serve_config(
    register: list[Path] | None,
    targets: Path | None,
    plan: str | None,
    period: str | None,
    folder: Path,
    db: str | None,
    planner_token: str | None,
    due: str | None,
    max_upload_mb: int,
    lang: str,
    timeout: float,
    max_memory_mb: int | None,
    history_db: str | None,
) -> ServeConfig:
    import datetime as _dt
    import secrets

    from qbplan.history.location import db_location
    from qbplan.history.periods import parse_period
    from qbplan.intake.store import database_url, due_at_end_of
    from qbplan.run.pipeline import CheckOptions, read_register
    from qbplan.serve.app import ServeConfig

    plan_targets = targets_from(targets, plan)
    when = parse_period(period) if period else parse_period(str(_dt.date.today().year))
    read = read_register(plan_targets, CheckOptions(register=register_paths(register)))
    if read is None or not read.sheets:
        raise QbplanError("usage-serve-needs-register")
    due_at = None
    if due:
        try:
            day = _dt.date.fromisoformat(due)
        except ValueError:
            raise QbplanError("usage-bad-date", value=due) from None
        due_at = due_at_end_of(day)
    return ServeConfig(
        targets=plan_targets,
        register=read,
        folder=folder,
        period=when.key,
        db_url=database_url(db, folder),
        planner_token=planner_token or secrets.token_urlsafe(18),
        max_upload=max_upload_mb * 1024 * 1024,
        timeout=timeout,
        max_memory=as_bytes(max_memory_mb),
        lang=lang,
        due=due_at,
        history_db=db_location(history_db),
    )


def _write_links(path: Path, every: list[tuple[str, str, str]]) -> None:
    """Every unit's link, readable by its owner only (each link is that unit's secret).

    Codes and names from the register are written as the CSV report writes
    cells: a name such as ``=HYPERLINK(…)`` is text in Excel, never a formula.
    """
    import csv

    from qbplan.files.output import atomic_write
    from qbplan.render.csv import safe

    with atomic_write(path, mode=0o600) as out:
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["ma_don_vi", "ten_don_vi", "duong_dan"])
        writer.writerows([safe(key), safe(name), link] for key, name, link in every)
