"""``qbplan serve users``: the planners' accounts of an intake, from the command line.

The same store and the same rules as the admin page (:mod:`qbplan.serve.admin`);
every change is kept in the audit trail under ``cli:<the system user>``.
Passwords are asked for at a prompt (never an argument: a shell history
keeps those), or read from standard input with ``--password-stdin``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from qbplan.cli.options import (
    DEFAULT_INTAKE_FOLDER,
    DEFAULT_LANG,
    OPTIONS,
    IntakeDbOption,
    IntakeFolderOption,
    LangOption,
    h,
)
from qbplan.error_handler import error_handler, say
from qbplan.errors import EXIT_OK, QbplanError

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from qbplan.intake.store import IntakeStore

users_app = typer.Typer(
    name="users",
    help=h(
        "Tài khoản của cán bộ tổng hợp: thêm, liệt kê, đổi vai trò, phạm vi, mật khẩu, khóa. Vai trò: viewer "
        "(xem), reviewer (xem, chấp nhận, trả lại), admin (thêm hạn nộp, khóa và mở lại đợt, tài khoản, nhật ký).",
        "Planner accounts: add, list, change role, units seen, password, disable. Roles: viewer (looks), "
        "reviewer (looks, accepts, sends back), admin (also due dates, closing and reopening, accounts, audit).",
    ),
    no_args_is_help=True,
    options_metavar=OPTIONS,
    subcommand_metavar=h("LỆNH [THAM SỐ]...", "COMMAND [ARGS]..."),
    rich_markup_mode=None,
)

RoleOption = Annotated[
    Optional[str],
    typer.Option(
        "--role",
        help=h("Vai trò: viewer, reviewer hoặc admin.", "The role: viewer, reviewer or admin."),
        show_default=False,
    ),
]
GroupOption = Annotated[
    Optional[str],
    typer.Option(
        "--group",
        help=h(
            'Chỉ các đơn vị thuộc nhóm này trong danh mục (cột nhóm, ví dụ một tỉnh cũ); "" là tất cả.',
            'Only the units of this register group (its group column, such as a former province); "" for every unit.',
        ),
        show_default=False,
    ),
]
PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help=h("Đọc mật khẩu từ đầu vào chuẩn (một dòng).", "Read the password from standard input (one line)."),
    ),
]
NameArgument = Annotated[str, typer.Argument(metavar=h("TÊN", "NAME"), help=h("Tên đăng nhập.", "The user name."))]


def open_intake(folder: Path, db: str | None, lang: str, *, create: bool = False) -> IntakeStore:
    """The intake's store (``qbplan serve users``, ``qbplan remind``); a new one only with ``create`` (the first
    admin, added before the first start). No intake in ``folder`` is an error: a typo must not read as empty."""
    from qbplan.intake.store import IntakeStore, database_url
    from qbplan.serve.app import owner_only_database, owner_only_folder

    url = database_url(db, folder)
    if db is None and not (folder / "intake.db").exists():
        if not create:
            # No intake here: a typo in --folder must not read as "no accounts".
            raise QbplanError("serve-no-intake", folder=str(folder))
        owner_only_folder(folder)
        say(f"đã tạo nơi tiếp nhận mới: {folder}" if lang == "vi" else f"made a new intake: {folder}")
    store = IntakeStore(url)
    owner_only_database(url)
    return store


def _actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "cli"


def _password(from_stdin: bool, lang: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    prompt = "Mật khẩu" if lang == "vi" else "Password"
    again = "Nhập lại mật khẩu" if lang == "vi" else "Repeat the password"
    value: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=again, err=True)
    return value


def _refused(exc: Exception, lang: str) -> QbplanError:
    """A refusal of the store, worded as the admin page words it, as a one-line error (exit 2)."""
    from qbplan.i18n import ui
    from qbplan.intake.accounts import MIN_PASSWORD_LENGTH

    code, params = getattr(exc, "code", ""), getattr(exc, "params", {})
    return QbplanError("serve-account-refused", detail=ui(f"serve.{code}", lang, minimum=MIN_PASSWORD_LENGTH, **params))


@users_app.command("add", options_metavar=OPTIONS, help=h("Thêm một tài khoản.", "Add an account."))
def add_cmd(
    name: NameArgument,
    role: RoleOption = None,
    group: GroupOption = None,
    password_stdin: PasswordStdinOption = False,
    folder: IntakeFolderOption = DEFAULT_INTAKE_FOLDER,
    db: IntakeDbOption = None,
    lang: LangOption = DEFAULT_LANG,
) -> None:
    from qbplan.intake.store import Refused

    with error_handler(lang.value):
        if role is None:
            raise QbplanError("usage-users-role")
        with open_intake(folder, db, lang.value, create=True) as store:
            password = _password(password_stdin, lang.value)
            try:
                account = store.add_account(name.strip().lower(), password, role, group or "", actor=_actor())
            except Refused as exc:
                raise _refused(exc, lang.value) from None
        vi, en = (
            f"đã thêm tài khoản {account.name} ({account.role})",
            f"added the account {account.name} ({account.role})",
        )
        say(vi if lang.value == "vi" else en)
    raise typer.Exit(EXIT_OK)


@users_app.command("list", options_metavar=OPTIONS, help=h("Liệt kê các tài khoản.", "List the accounts."))
def list_cmd(
    folder: IntakeFolderOption = DEFAULT_INTAKE_FOLDER,
    db: IntakeDbOption = None,
    lang: LangOption = DEFAULT_LANG,
) -> None:
    with error_handler(lang.value):
        with open_intake(folder, db, lang.value) as store:
            accounts = store.accounts()
        vi = lang.value == "vi"
        head = ("ten", "vai_tro", "pham_vi", "duoc_dang_nhap") if vi else ("name", "role", "units", "active")
        lines = ["\t".join(head)]
        for a in accounts:
            active = ("có" if vi else "yes") if a.active else ("không" if vi else "no")
            lines.append("\t".join((a.name, a.role, a.unit_group or "*", active)))
        sys.stdout.write("\n".join(lines) + "\n")
    raise typer.Exit(EXIT_OK)


@users_app.command(
    "set",
    options_metavar=OPTIONS,
    help=h(
        "Đổi vai trò, phạm vi, mật khẩu của một tài khoản, hoặc khóa, mở khóa nó.",
        "Change an account's role, units seen or password, or disable or enable it.",
    ),
)
def set_cmd(
    name: NameArgument,
    role: RoleOption = None,
    group: GroupOption = None,
    password: Annotated[bool, typer.Option("--password", help=h("Đặt mật khẩu mới.", "Set a new password."))] = False,
    password_stdin: PasswordStdinOption = False,
    disable: Annotated[
        bool, typer.Option("--disable", help=h("Khóa tài khoản (đăng xuất ngay).", "Disable it (signed out at once)."))
    ] = False,
    enable: Annotated[bool, typer.Option("--enable", help=h("Mở khóa tài khoản.", "Enable it."))] = False,
    folder: IntakeFolderOption = DEFAULT_INTAKE_FOLDER,
    db: IntakeDbOption = None,
    lang: LangOption = DEFAULT_LANG,
) -> None:
    from qbplan.intake.store import Refused

    with error_handler(lang.value):
        if disable and enable:
            raise QbplanError("usage-users-disable-enable")
        with open_intake(folder, db, lang.value) as store:
            secret = _password(password_stdin, lang.value) if password or password_stdin else None
            active = False if disable else True if enable else None
            try:
                account = store.change_account(
                    name, actor=_actor(), role=role, unit_group=group, password=secret, active=active
                )
            except Refused as exc:
                raise _refused(exc, lang.value) from None
        vi = lang.value == "vi"
        state = "" if account.active else (", đã khóa" if vi else ", disabled")
        say(f"{'tài khoản' if vi else 'account'} {account.name}: {account.role}{state}")
    raise typer.Exit(EXIT_OK)
