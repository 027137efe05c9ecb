"""``qbplan serve users``: accounts from the command line, the same rules as the admin page, kept in the trail."""

from __future__ import annotations

import stat
from pathlib import Path

from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.intake.store import IntakeStore, database_url

runner = CliRunner()
PASSWORD = "mot-mat-khau-du-dai"


def _users(folder: Path, *args: str, password: str | None = PASSWORD) -> tuple[int, str, str]:
    extra = ["--password-stdin"] if password is not None and args[0] in ("add", "set") else []
    result = runner.invoke(
        app, ["serve", "users", *args, *extra, "--folder", str(folder)], input=f"{password}\n" if extra else None
    )
    return result.exit_code, result.stdout, result.stderr


def test_the_first_admin_is_added_before_the_first_start_and_kept_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "intake"
    code, _, err = _users(folder, "add", "Hoa", "--role", "admin")
    assert (code, err.splitlines()[-1]) == (0, "qbplan: đã thêm tài khoản hoa (admin)")
    assert stat.S_IMODE((folder / "intake.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    code, out, _ = _users(folder, "list", password=None)
    assert (code, out) == (0, "ten\tvai_tro\tpham_vi\tduoc_dang_nhap\nhoa\tadmin\t*\tcó\n")
    trail = IntakeStore(database_url(None, folder)).audit_trail()
    assert [(e.actor.startswith("cli"), e.action, e.subject) for e in trail] == [(True, "account-added", "hoa")]


def test_a_weak_password_is_refused_in_one_line_and_nothing_is_added(tmp_path: Path) -> None:
    code, _, err = _users(tmp_path, "add", "hoa", "--role", "admin", password="ngan")
    assert code == 2 and err.splitlines()[-1].startswith("qbplan: Mật khẩu quá yếu: cần ít nhất 12 ký tự")
    assert _users(tmp_path, "list", password=None)[1] == "ten\tvai_tro\tpham_vi\tduoc_dang_nhap\n"


def test_a_role_is_needed(tmp_path: Path) -> None:
    code, _, err = _users(tmp_path, "add", "hoa")
    assert (code, err) == (2, "qbplan: cần --role: viewer (xem), reviewer (duyệt) hoặc admin (quản trị)\n")


def test_listing_a_folder_with_no_intake_says_so_rather_than_listing_nobody(tmp_path: Path) -> None:
    code, _, err = _users(tmp_path / "typo", "list", password=None)
    assert code == 2 and "không có tiếp nhận nào trong thư mục" in err
    assert not (tmp_path / "typo").exists()


def test_an_account_is_disabled_and_the_last_admin_kept(tmp_path: Path) -> None:
    _users(tmp_path, "add", "hoa", "--role", "admin")
    _users(tmp_path, "add", "lan", "--role", "reviewer", "--group", "Huyện Lệ Thủy")
    assert _users(tmp_path, "set", "lan", "--disable", password=None)[0] == 0
    code, _, err = _users(tmp_path, "set", "hoa", "--role", "viewer", password=None)
    assert code == 2 and "quản trị viên cuối cùng" in err
    out = _users(tmp_path, "list", "--lang", "en", password=None)[1]
    assert out.splitlines()[1:] == ["hoa\tadmin\t*\tyes", "lan\treviewer\tHuyện Lệ Thủy\tno"]


def test_the_account_commands_have_their_help_in_vietnamese() -> None:
    for args in (["serve", "users"], ["serve", "users", "add"], ["serve", "users", "set"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0 and "Cách dùng" in result.output
        assert "COMMAND" not in result.output and "[OPTIONS]" not in result.output and "Usage" not in result.output
