"""A database driver's reason inside a Vietnamese line is worded in Vietnamese, or quoted; English as it is."""

from __future__ import annotations

from typer.testing import CliRunner

from qbplan.cli import app
from qbplan.i18n.drivers import DriverReason
from tests.helpers import SAMPLES


def test_an_unreachable_server_is_said_in_vietnamese() -> None:
    args = ["check", str(SAMPLES / "survey.xlsx"), "--compare", "2024", "--db", "postgresql://a:b@127.0.0.1:1/x"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == (
        "qbplan: postgresql://a:***@127.0.0.1:1/x: không mở được cơ sở dữ liệu lịch sử "
        "(máy chủ từ chối kết nối: chưa chạy, hoặc sai cổng)\n"
    )


def test_a_reason_without_words_of_ours_is_quoted_and_english_is_the_drivers_own() -> None:
    reason = DriverReason("SSL SYSCALL error: EOF detected")
    assert (reason.text("vi"), reason.text("en")) == ("«SSL SYSCALL error: EOF detected»", str(reason))
